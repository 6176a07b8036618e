import NMMCore
import NMMStatistics
import NMMPhysics

/// Maps a config's detector, reactor and neutrino sections onto the physics values.
/// Physics errors are reported against the config file and key they came from.
public enum PhysicsSetup {
    /// sin²θ_W from the config, else PhysicsConstants.sin2ThetaWDefault (PDG).
    public static func sin2ThetaW(_ config: AnalysisConfig) -> Double {
        config.neutrino?.sin2ThetaW ?? PhysicsConstants.sin2ThetaWDefault
    }

    /// ²³⁸U(n,γ) captures per fission from the config, else the seed Table 1 value.
    public static func capturesPerFission(_ config: AnalysisConfig) -> Double {
        config.reactor.capturesPerFission ?? CaptureChainSpectrum.defaultCapturesPerFission
    }

    public static func source(_ config: AnalysisConfig) throws -> ReactorSource {
        var fractions: [FissionIsotope: Double] = [:]
        for (k, v) in config.reactor.fissionFractions {
            guard let iso = FissionIsotope(rawValue: k) else {
                throw ConfigError(file: config.sourcePath, key: "reactor.fissionFractions.\(k)", "unknown isotope")
            }
            fractions[iso] = v
        }
        return try mapped(config, "reactor") {
            if let flux = config.reactor.totalFluxPerCm2PerS {
                return try ReactorSource(totalFluxPerCm2PerS: flux, fissionFractions: fractions,
                                         capturesPerFission: capturesPerFission(config))
            }
            return try ReactorSource(thermalPowerMW: config.reactor.thermalPowerMW ?? 0, distanceM: config.reactor.distanceM ?? 0,
                                     fissionFractions: fractions, capturesPerFission: capturesPerFission(config))
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

    public static func rateModel(_ config: AnalysisConfig) throws -> RateModel {
        let src = try source(config), tgt = try target(config), resp = try response(config), fl = try flavor(config)
        return try mapped(config, "neutrino") {
            try RateModel(source: src, target: tgt, flavor: fl, sin2ThetaW: sin2ThetaW(config),
                          chargeRadiusCm2: config.chargeRadiusCm2, bindingStep: config.bindingStep, response: resp)
        }
    }

    /// Runs `body`, turning a PhysicsError into a ConfigError on `section` of this config.
    static func mapped<T>(_ config: AnalysisConfig, _ section: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as PhysicsError where e.exitStatus == .dataError {
            throw ConfigError(file: config.sourcePath.isEmpty ? "<config>" : config.sourcePath,
                              key: "\(section) (\(e.field))", e.message)
        }
    }
}
