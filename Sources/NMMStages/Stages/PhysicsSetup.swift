import NMMCore
import NMMStatistics
import NMMPhysics

/// Maps a config's detector, reactor, source, neutrino and coherent sections onto the physics
/// values. Physics errors are reported against the config file and key they came from.
public enum PhysicsSetup {
    /// sin²θ_W from the config, else PhysicsConstants.sin2ThetaWDefault (PDG).
    public static func sin2ThetaW(_ config: AnalysisConfig) -> Double {
        config.neutrino?.sin2ThetaW ?? PhysicsConstants.sin2ThetaWDefault
    }

    /// ²³⁸U(n,γ) captures per fission from the config, else the seed Table 1 value.
    public static func capturesPerFission(_ config: AnalysisConfig) -> Double {
        config.reactor?.capturesPerFission ?? CaptureChainSpectrum.defaultCapturesPerFission
    }

    /// The reactor core of the `reactor` section (required by validation for the reactor and
    /// reactor-lines sources unless the lines' flux is given).
    public static func reactorSource(_ config: AnalysisConfig, lowEnergyTiltScale: Double = 1) throws -> ReactorSource {
        guard let reactor = config.reactor else {
            throw ConfigError(file: file(config), key: "reactor", "required key is missing (source.kind \(config.sourceKind.rawValue))")
        }
        var fractions: [FissionIsotope: Double] = [:]
        for (k, v) in reactor.fissionFractions {
            guard let iso = FissionIsotope(rawValue: k) else {
                throw ConfigError(file: file(config), key: "reactor.fissionFractions.\(k)", "unknown isotope")
            }
            fractions[iso] = v
        }
        let core = try mapped(config, "reactor") {
            if let flux = reactor.totalFluxPerCm2PerS {
                return try ReactorSource(totalFluxPerCm2PerS: flux, fissionFractions: fractions,
                                         capturesPerFission: capturesPerFission(config))
            }
            return try ReactorSource(thermalPowerMW: reactor.thermalPowerMW ?? 0, distanceM: reactor.distanceM ?? 0,
                                     fissionFractions: fractions, capturesPerFission: capturesPerFission(config))
        }
        return lowEnergyTiltScale == 1 ? core : try mapped(config, "reactor") { try core.withLowEnergyTiltScale(lowEnergyTiltScale) }
    }

    /// The neutrino source of the `source` section (default: the reactor's ν̄e).
    public static func neutrinoSource(_ config: AnalysisConfig, lowEnergyTiltScale: Double = 1) throws -> NeutrinoSource {
        let s = config.source
        switch config.sourceKind {
        case .reactor:
            return .reactor(try reactorSource(config, lowEnergyTiltScale: lowEnergyTiltScale))
        case .reactorLines:
            let share = s?.chromiumShare ?? ReactorLineSource.defaultChromiumShare
            if let flux = s?.totalFluxPerCm2PerS {
                return .reactorLines(try mapped(config, "source") { try ReactorLineSource(totalFluxPerCm2PerS: flux, chromiumShare: share) })
            }
            let core = try reactorSource(config)
            return .reactorLines(try mapped(config, "source") {
                try ReactorLineSource(reactor: core, neutrinosPerFission: s?.neutrinosPerFission ?? ReactorLineSource.defaultNeutrinosPerFission,
                                      chromiumShare: share)
            })
        case .tritium:
            let endpoint = s?.endpointKeV ?? TritiumSource.defaultEndpointKeV
            return .tritium(try mapped(config, "source") {
                if let flux = s?.totalFluxPerCm2PerS { return try TritiumSource(totalFluxPerCm2PerS: flux, endpointKeV: endpoint) }
                return try TritiumSource(activityBq: (s?.activityCi ?? 0) * TritiumSource.becquerelPerCurie,
                                         distanceM: s?.distanceM ?? 0, endpointKeV: endpoint)
            })
        }
    }

    public static func target(_ config: AnalysisConfig) throws -> TargetMaterial {
        try mapped(config, "detector.target") { try TargetMaterial(formula: config.detector.target) }
    }

    public static func response(_ config: AnalysisConfig) throws -> DetectorResponse? {
        guard config.detector.resolution != nil || config.detector.efficiency != nil else { return nil }
        let r = config.detector.resolution
        let table = (config.detector.efficiency ?? []).map { (energyKeV: $0[0], efficiency: $0[1]) }
        return try mapped(config, "detector") {
            try DetectorResponse(resolutionAKeV: r?.aKeV ?? 0, resolutionBKeV: r?.bKeV ?? 0,
                                 resolutionC: r?.c ?? 0, efficiency: table)
        }
    }

    public static func flavor(_ config: AnalysisConfig) -> NeutrinoFlavor { config.flavor }

    /// The quenching model of the `coherent` section (nil without one).
    public static func quenching(_ config: AnalysisConfig) throws -> QuenchingModel? {
        guard let q = config.coherent?.quenching else { return nil }
        let model: QuenchingModel
        switch q.model {
        case .none: model = .unquenched
        case .lindhard: model = .lindhard(k: q.k ?? 0)
        case .table: model = .tabulated((q.table ?? []).map { QuenchingPoint(nuclearRecoilKeV: $0[0], yield: $0[1]) })
        }
        return try mapped(config, "coherent.quenching") { try model.validated() }
    }

    /// Whether the coherent samples use the Helm form factor (default on).
    public static func formFactor(_ config: AnalysisConfig) -> Bool { config.coherent?.formFactor ?? true }

    /// The reactor ν̄–e rate model (reactor source; any flavour's couplings).
    public static func rateModel(_ config: AnalysisConfig, lowEnergyTiltScale: Double = 1) throws -> RateModel {
        let src = try reactorSource(config, lowEnergyTiltScale: lowEnergyTiltScale), tgt = try target(config), resp = try response(config), fl = flavor(config)
        return try mapped(config, "neutrino") {
            try RateModel(source: src, target: tgt, flavor: fl, sin2ThetaW: sin2ThetaW(config),
                          chargeRadiusCm2: config.chargeRadiusCm2, bindingStep: config.bindingStep, response: resp)
        }
    }

    /// Every sample of the config (SampleModel.swift).
    public static func sampleModel(_ config: AnalysisConfig, lowEnergyTiltScale: Double = 1) throws -> SampleModel {
        try SampleModel(config: config, lowEnergyTiltScale: lowEnergyTiltScale)
    }

    static func file(_ config: AnalysisConfig) -> String { config.sourcePath.isEmpty ? "<config>" : config.sourcePath }

    /// Runs `body`, turning a PhysicsError into a ConfigError on `section` of this config.
    static func mapped<T>(_ config: AnalysisConfig, _ section: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as PhysicsError where e.exitStatus == .dataError {
            throw ConfigError(file: file(config), key: "\(section) (\(e.field))", e.message)
        }
    }
}
