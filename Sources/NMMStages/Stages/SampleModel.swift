import NMMCore
import NMMStatistics
import NMMPhysics

/// Every signal sample a config predicts, in counts/(kg·keV·day) with MM at κ = 1
/// (μ_ν = 10⁻¹⁰ μ_B): ν–e SM and MM of the config's source, and — with a `coherent`
/// section — coherent ν–N SM and MM in electron-equivalent energy (quenched, Helm F², every
/// isotope of the target), all folded with the same detector response.
///
/// The reactor's ν–e rates come from `RateModel` (which takes any flavour's couplings, so a
/// reactor config keeps its `neutrino.flavor` what-if and exactly its former templates); the
/// line and tritium sources from `ElectronRecoilRates` (flavour = the source's).
///
/// How the samples enter today's fit: the model stage's fits run on its legacy form (one known
/// SM sample, one signal MM sample) until the general model likelihood exists, so the coherent
/// SM is added to the SM template (a known SM-like sample, scaled with the ν–e SM by the fit's
/// SM normalisation) and the coherent MM to the MM template (it scales with μ_ν² exactly like
/// the ν–e MM, so κ is the same parameter). templates.fits keeps each sample's column, so the
/// model stage can make them separate samples (with, e.g., a quenching nuisance) later.
public struct SampleModel: Sendable {
    /// The ν–e rate model of the source.
    public enum Electron: Sendable {
        case reactor(RateModel)
        case source(ElectronRecoilRates)
    }

    /// Bin averages of every sample.
    public struct Binned: Sendable, Equatable {
        public var electronSM: [Double]
        public var electronMM: [Double]
        /// Zero when the config has no (enabled) coherent section.
        public var coherentSM: [Double]
        public var coherentMM: [Double]
        /// SM template: ν–e SM + coherent SM (exactly the ν–e SM without coherent samples).
        public var sm: [Double]
        /// MM template at κ = 1: ν–e MM + coherent MM.
        public var mm: [Double]

        /// Every rate multiplied by `factor`.
        func scaled(by factor: Double) -> Binned {
            func f(_ v: [Double]) -> [Double] { v.map { $0 * factor } }
            return Binned(electronSM: f(electronSM), electronMM: f(electronMM), coherentSM: f(coherentSM),
                          coherentMM: f(coherentMM), sm: f(sm), mm: f(mm))
        }
    }

    /// Differential rates of every sample at one electron-equivalent energy.
    public struct Point: Sendable, Equatable {
        public var energyKeV: Double
        public var electronSM: Double
        public var electronMM: Double
        public var coherentSM: Double
        public var coherentMM: Double
        public var sm: Double { electronSM + coherentSM }
        public var mm: Double { electronMM + coherentMM }
    }

    public let source: NeutrinoSource
    public let target: TargetMaterial
    public let flavor: NeutrinoFlavor
    public let electron: Electron
    /// The coherent samples (nil without an enabled `coherent` section).
    public let coherent: CoherentRates?

    /// `lowEnergyTiltScale`: the reactor spectrum below 2 MeV (1 standard; see FissionSpectrum).
    public init(config: AnalysisConfig, lowEnergyTiltScale: Double = 1) throws {
        let src = try PhysicsSetup.neutrinoSource(config, lowEnergyTiltScale: lowEnergyTiltScale)
        let tgt = try PhysicsSetup.target(config), resp = try PhysicsSetup.response(config)
        source = src
        target = tgt
        flavor = config.flavor
        switch src {
        case .reactor:
            electron = .reactor(try PhysicsSetup.rateModel(config, lowEnergyTiltScale: lowEnergyTiltScale))
        case .reactorLines, .tritium:
            electron = .source(try PhysicsSetup.mapped(config, "neutrino") {
                try ElectronRecoilRates(source: src, target: tgt, sin2ThetaW: PhysicsSetup.sin2ThetaW(config),
                                        chargeRadiusCm2: config.chargeRadiusCm2, bindingStep: config.bindingStep, response: resp)
            })
        }
        if config.coherentEnabled, let q = try PhysicsSetup.quenching(config) {
            coherent = try PhysicsSetup.mapped(config, "coherent") {
                try CoherentRates(source: src, target: tgt, quenching: q, sin2ThetaW: PhysicsSetup.sin2ThetaW(config),
                                  useFormFactor: PhysicsSetup.formFactor(config), response: resp)
            }
        } else {
            coherent = nil
        }
    }

    /// The bin averages of every sample on the n+1 `edgesKeV` of a contiguous binning.
    public func binned(edgesKeV: [Double]) throws -> Binned {
        let e: (sm: [Double], mm: [Double])
        switch electron {
        case .reactor(let m): e = try m.binnedRates(edgesKeV: edgesKeV)
        case .source(let m): e = try m.binnedRates(edgesKeV: edgesKeV)
        }
        guard let coherent else {
            let zero = [Double](repeating: 0, count: e.sm.count)
            return Binned(electronSM: e.sm, electronMM: e.mm, coherentSM: zero, coherentMM: zero, sm: e.sm, mm: e.mm)
        }
        let c = try coherent.binnedRates(edgesKeV: edgesKeV)
        return Binned(electronSM: e.sm, electronMM: e.mm, coherentSM: c.sm, coherentMM: c.mm,
                      sm: zip(e.sm, c.sm).map(+), mm: zip(e.mm, c.mm).map(+))
    }

    /// Differential rates at electron-equivalent energy E (keV): ν–e at recoil T = E, coherent
    /// at E_ee = E (0 without coherent samples). No detector response.
    public func differential(energyKeV t: Double) throws -> Point {
        let e: (smPerKgKeVDay: Double, mmPerKgKeVDay: Double)
        switch electron {
        case .reactor(let m): e = try m.differentialRates(recoilKeV: t)
        case .source(let m): e = m.differentialRates(recoilKeV: t)
        }
        let c = coherent?.differentialRates(electronEquivalentKeV: t) ?? (smPerKgKeVDay: 0, mmPerKgKeVDay: 0)
        return Point(energyKeV: t, electronSM: e.smPerKgKeVDay, electronMM: e.mmPerKgKeVDay,
                     coherentSM: c.smPerKgKeVDay, coherentMM: c.mmPerKgKeVDay)
    }
}
