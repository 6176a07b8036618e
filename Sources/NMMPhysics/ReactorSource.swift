/// A reactor core seen from a detector: the ν̄e flux spectrum dφ/dE at the detector.
///
/// dφ/dE = (fissions per cm² per s at the detector) × [Σ_i f_i S_i(E) + c · S_capture(E)],
/// with S_i the per-fission spectra (`FissionSpectrum`), f_i the fission fractions, c the
/// ²³⁸U captures per fission and S_capture the ²³⁹U/²³⁹Np chain (`CaptureChainSpectrum`).
/// From power and distance: fissions/s = P / Σ f_i E_i (Ma et al. 2013 energies) and the
/// flux is that over 4πL² (physics.md §3). From a given total flux: the same shape,
/// normalised to that total.
public struct ReactorSource: Sendable {
    public let fissionFractions: [FissionIsotope: Double]
    public let capturesPerFission: Double
    /// Thermal power and distance when built from them; nil when built from a total flux.
    public let thermalPowerMW: Double?
    public let distanceM: Double?
    /// Fissions per cm² per s at the detector (fission rate / 4πL²); the flux per fission.
    public let fissionDensityPerCm2PerS: Double

    private var components: [(spectrum: FissionSpectrum, weight: Double)]
    /// Scale of every fission spectrum's low-energy tilt (1: the standard treatment).
    public private(set) var lowEnergyTiltScale = 1.0
    private let captureChain: CaptureChainSpectrum

    /// Tolerance on Σ fission fractions = 1.
    public static let fractionSumTolerance = 1e-3

    /// The low-energy (< 2 MeV) spectrum treatment, one line for output headers.
    public static var lowEnergyTreatment: String {
        FissionSpectrum.lowEnergyTreatment + "; 238U(n,g) chain: allowed beta shapes, "
            + "Q(239U)=\(CaptureChainSpectrum.uranium239EndpointMeV) MeV, "
            + "Q(239Np)=\(CaptureChainSpectrum.neptunium239EndpointMeV) MeV, "
            + "\(Int(CaptureChainSpectrum.neutrinosPerCapture)) nu per capture"
    }

    /// The same core with every fission spectrum's low-energy tilt scaled (see
    /// `FissionSpectrum.init(isotope:lowEnergyTiltScale:)`); the fission density is unchanged.
    public func withLowEnergyTiltScale(_ scale: Double) throws -> ReactorSource {
        var copy = self
        copy.lowEnergyTiltScale = scale
        copy.components = try components.map { (try FissionSpectrum(isotope: $0.spectrum.isotope, lowEnergyTiltScale: scale), $0.weight) }
        return copy
    }

    /// A core of thermal power `thermalPowerMW` at `distanceM` from the detector.
    public init(thermalPowerMW: Double, distanceM: Double, fissionFractions: [FissionIsotope: Double],
                capturesPerFission: Double = CaptureChainSpectrum.defaultCapturesPerFission) throws {
        guard thermalPowerMW.isFinite, thermalPowerMW > 0 else {
            throw PhysicsError(.invalidValue, field: "thermalPowerMW", "must be a positive number, got \(thermalPowerMW)")
        }
        guard distanceM.isFinite, distanceM > 0 else {
            throw PhysicsError(.invalidValue, field: "distanceM", "must be a positive number, got \(distanceM)")
        }
        try self.init(fissionFractions: fissionFractions, capturesPerFission: capturesPerFission,
                      thermalPowerMW: thermalPowerMW, distanceM: distanceM) { meanEnergyMeV, _ in
            let fissionsPerSecond = thermalPowerMW * PhysicsConstants.wattsPerMW
                / (meanEnergyMeV * PhysicsConstants.joulePerMeV)
            let distanceCm = distanceM * PhysicsConstants.cmPerM
            return fissionsPerSecond / (4 * Double.pi * distanceCm * distanceCm)
        }
    }

    /// A source of the standard shape normalised to `totalFluxPerCm2PerS` ν̄e/cm²/s.
    public init(totalFluxPerCm2PerS: Double, fissionFractions: [FissionIsotope: Double],
                capturesPerFission: Double = CaptureChainSpectrum.defaultCapturesPerFission) throws {
        guard totalFluxPerCm2PerS.isFinite, totalFluxPerCm2PerS > 0 else {
            throw PhysicsError(.invalidValue, field: "totalFluxPerCm2PerS", "must be a positive number, got \(totalFluxPerCm2PerS)")
        }
        try self.init(fissionFractions: fissionFractions, capturesPerFission: capturesPerFission,
                      thermalPowerMW: nil, distanceM: nil) { _, neutrinosPerFission in
            totalFluxPerCm2PerS / neutrinosPerFission
        }
    }

    private init(fissionFractions: [FissionIsotope: Double], capturesPerFission: Double,
                 thermalPowerMW: Double?, distanceM: Double?,
                 density: (_ meanEnergyMeV: Double, _ neutrinosPerFission: Double) -> Double) throws {
        try Self.validate(fissionFractions: fissionFractions)
        guard capturesPerFission.isFinite, capturesPerFission >= 0 else {
            throw PhysicsError(.invalidValue, field: "capturesPerFission", "must be ≥ 0, got \(capturesPerFission)")
        }
        self.fissionFractions = fissionFractions
        self.capturesPerFission = capturesPerFission
        self.thermalPowerMW = thermalPowerMW
        self.distanceM = distanceM
        self.components = try FissionIsotope.allCases.compactMap { isotope in
            guard let f = fissionFractions[isotope], f > 0 else { return nil }
            return (try FissionSpectrum.standard(isotope), f)
        }
        self.captureChain = try CaptureChainSpectrum.standard()
        let meanEnergy = Self.meanEnergy(fissionFractions)
        let perFission = Self.neutrinos(fissionFractions, capturesPerFission)
        self.fissionDensityPerCm2PerS = density(meanEnergy, perFission)
    }

    private static func validate(fissionFractions: [FissionIsotope: Double]) throws {
        for (isotope, f) in fissionFractions where !(f.isFinite && f >= 0) {
            throw PhysicsError(.invalidFissionFractions, field: "fissionFractions.\(isotope.rawValue)",
                               "must be a number ≥ 0, got \(f)")
        }
        let sum = FissionIsotope.allCases.reduce(0) { $0 + (fissionFractions[$1] ?? 0) }
        guard abs(sum - 1) <= fractionSumTolerance else {
            throw PhysicsError(.invalidFissionFractions, field: "fissionFractions",
                               "must sum to 1 within \(fractionSumTolerance), got \(sum)")
        }
    }

    // Sums run in FissionIsotope.allCases order: a Dictionary's order changes from process to
    // process, and a different summation order changes the last bits of the flux.
    private static func meanEnergy(_ fractions: [FissionIsotope: Double]) -> Double {
        FissionIsotope.allCases.reduce(0) { $0 + (fractions[$1] ?? 0) * $1.energyPerFissionMeV }
    }

    private static func neutrinos(_ fractions: [FissionIsotope: Double], _ captures: Double) -> Double {
        FissionIsotope.allCases.reduce(0) { $0 + (fractions[$1] ?? 0) * $1.neutrinosPerFission }
            + captures * CaptureChainSpectrum.neutrinosPerCapture
    }

    /// Mean thermal energy released per fission, Σ f_i E_i (MeV).
    public var meanEnergyPerFissionMeV: Double { Self.meanEnergy(fissionFractions) }
    /// ν̄e per fission, Σ f_i Y_i + 2c (seed Table 1 values: 7.23 for the typical core).
    public var neutrinosPerFission: Double { Self.neutrinos(fissionFractions, capturesPerFission) }
    /// Total ν̄e flux at the detector (cm⁻² s⁻¹).
    public var totalFluxPerCm2PerS: Double { fissionDensityPerCm2PerS * neutrinosPerFission }
    /// Fissions per second in the core (nil when the source was built from a flux).
    public var fissionsPerSecond: Double? {
        guard let distanceM else { return nil }
        let distanceCm = distanceM * PhysicsConstants.cmPerM
        return fissionDensityPerCm2PerS * 4 * Double.pi * distanceCm * distanceCm
    }
    /// Highest ν̄e energy of the model spectrum (MeV).
    public var maxEnergyMeV: Double { FissionSpectrum.maximumEnergyMeV }
    /// Energies (MeV) where dφ/dE has a kink or step: the capture-chain endpoints (if any
    /// captures) and the 2 MeV matching point. Integrals over E are split there.
    public var kinksMeV: [Double] {
        (capturesPerFission > 0 ? captureChain.kinksMeV : []) + [FissionSpectrum.matchingEnergyMeV]
    }

    /// dφ/dE at the detector, ν̄e per cm² per s per MeV.
    public func fluxPerCm2PerSPerMeV(energyMeV e: Double) -> Double {
        var perFission = 0.0
        for (spectrum, weight) in components { perFission += weight * spectrum.perMeVPerFission(energyMeV: e) }
        if capturesPerFission > 0 {
            perFission += capturesPerFission * captureChain.perMeVPerCapture(energyMeV: e)
        }
        return fissionDensityPerCm2PerS * perFission
    }

    /// dφ/dE at each energy (MeV), ν̄e per cm² per s per MeV.
    public func spectrumTable(energiesMeV: [Double]) -> [Double] {
        energiesMeV.map { fluxPerCm2PerSPerMeV(energyMeV: $0) }
    }
}

/// One additive piece of the reactor spectrum, with a fixed per-event shape.
enum SpectrumComponent: Hashable, Sendable, CaseIterable {
    case fission(FissionIsotope)
    case captureChain

    static var allCases: [SpectrumComponent] { FissionIsotope.allCases.map { .fission($0) } + [.captureChain] }

    /// The per-event shape E (MeV) ↦ ν̄e per MeV per event (fission or capture).
    func shapePerMeVPerEvent() throws -> @Sendable (Double) -> Double {
        switch self {
        case .fission(let isotope):
            let spectrum = try FissionSpectrum.standard(isotope)
            return { spectrum.perMeVPerFission(energyMeV: $0) }
        case .captureChain:
            let chain = try CaptureChainSpectrum.standard()
            return { chain.perMeVPerCapture(energyMeV: $0) }
        }
    }

    /// Energies (MeV) where the shape has a kink or step.
    static var kinksMeV: [Double] {
        [CaptureChainSpectrum.neptunium239EndpointMeV, CaptureChainSpectrum.uranium239EndpointMeV,
         FissionSpectrum.matchingEnergyMeV]
    }
}

extension ReactorSource {
    /// Events per cm² per s at the detector for each spectrum component, so that
    /// dφ/dE = Σ weight × (per-event shape).
    var componentWeights: [(component: SpectrumComponent, weightPerCm2PerS: Double)] {
        var result = FissionIsotope.allCases.compactMap { iso -> (SpectrumComponent, Double)? in
            guard let f = fissionFractions[iso], f > 0 else { return nil }
            return (SpectrumComponent.fission(iso), fissionDensityPerCm2PerS * f)
        }
        if capturesPerFission > 0 { result.append((.captureChain, fissionDensityPerCm2PerS * capturesPerFission)) }
        return result
    }
}
