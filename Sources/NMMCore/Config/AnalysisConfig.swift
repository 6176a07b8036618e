/// The typed contents of one experiment's config file (config/<experiment>.yaml).
/// Field names carry their units. Parsing and validation live in ConfigLoader.swift and
/// ConfigValidation.swift; the documented example is config/default.yaml.
public struct AnalysisConfig: Codable, Equatable, Sendable {
    /// Short name; outputs go to build/<experiment>/.
    public var experiment: String
    public var description: String?
    public var detector: DetectorConfig
    public var reactor: ReactorConfig
    public var neutrino: NeutrinoConfig?
    public var inputs: InputsConfig
    public var analysis: AnalysisWindowConfig
    public var fit: FitConfig?
    public var limit: LimitConfig?
    /// How `nmm simulate` generated this experiment's fixture spectra (not used by the analysis).
    public var simulation: SimulationConfig?

    /// Set by the loader: the config file's path, its folder (relative input paths are
    /// resolved against it) and the SHA-256 of its text (CFGSHA).
    public var sourcePath: String = ""
    public var sha256: String = ""

    enum CodingKeys: String, CodingKey {
        case experiment, description, detector, reactor, neutrino, inputs, analysis, fit, limit, simulation
    }
}

public struct DetectorConfig: Codable, Equatable, Sendable {
    /// Built-in material (Ge, Si, NaI, CsI, CF4, Xe) or a chemical formula.
    public var target: String
    public var massKg: Double
    /// Atomic-binding step approximation (electrons bound deeper than T do not scatter).
    public var bindingStep: Bool?
    /// σ(E) = sqrt(a² + b·E + c·E²), E in keV.
    public var resolution: ResolutionConfig?
    /// Efficiency table: [[energyKeV, efficiency], ...], linearly interpolated.
    public var efficiency: [[Double]]?
}

public struct ResolutionConfig: Codable, Equatable, Sendable {
    public var aKeV: Double
    public var bKeV: Double
    public var c: Double
}

public struct ReactorConfig: Codable, Equatable, Sendable {
    public var thermalPowerMW: Double?
    public var distanceM: Double?
    /// Given instead of power and distance: total ν̄e flux at the detector.
    public var totalFluxPerCm2PerS: Double?
    /// Fission fractions per isotope: keys U235, U238, Pu239, Pu241.
    public var fissionFractions: [String: Double]
    /// ²³⁸U(n,γ) captures per fission (seed Table 1: 0.6).
    public var capturesPerFission: Double?
}

public struct NeutrinoConfig: Codable, Equatable, Sendable {
    /// nu_e, nu_mu, nu_tau, anti-nu_e, anti-nu_mu, anti-nu_tau (default anti-nu_e).
    public var flavor: NeutrinoFlavor?
    /// Weak mixing angle (default 0.23122, PDG MS-bar at M_Z).
    public var sin2ThetaW: Double?
    /// Neutrino charge radius ⟨r²⟩ in cm² (default 0).
    public var chargeRadiusCm2: Double?
}

public struct InputsConfig: Codable, Equatable, Sendable {
    /// Reactor-ON (MUNU: forward cone) spectrum, FITS or CSV.
    public var on: String
    /// Reactor-OFF (MUNU: background cones) spectrum, FITS or CSV.
    public var off: String
    /// Extra factor on the OFF exposure beyond live time × mass (e.g. a solid-angle ratio
    /// of background to forward cones). Default 1: OFF is scaled by live time only.
    public var offExposureFactor: Double?
}

public struct AnalysisWindowConfig: Codable, Equatable, Sendable {
    /// [low, high] in keV; bins lying wholly inside are analysed.
    public var windowKeV: [Double]
    /// Ranges [[low, high], ...] in keV excluded from the fit (e.g. X-ray lines).
    public var maskedKeV: [[Double]]?
}

public struct FitConfig: Codable, Equatable, Sendable {
    /// chi2 (residual, weighted least squares) or poisson (joint ON/OFF likelihood).
    public var method: FitMethod?
    /// Extra residual background terms in the χ² fit: none, flat or linear.
    public var background: BackgroundTerms?
    /// Gaussian constraint width on the SM normalisation a (0 = fixed at 1; omit = fixed).
    public var smNormalisationSigma: Double?
    /// Let the SM normalisation float freely (overrides the constraint).
    public var smNormalisationFree: Bool?
    /// Gaussian constraint width on the flux normalisation (0 or omitted = fixed at 1).
    public var fluxNormalisationSigma: Double?
    /// Error of each residual bin in the χ² fit: pooled (default; background estimated from
    /// ON and OFF together; too small when the known SM is a sizeable part of ON), expected
    /// (pooled with the expected SM taken out of the background and put into the ON variance,
    /// statistics.md §3) or observed (√n of each count, Neyman's χ², biased upward in κ when
    /// counts are modest).
    public var residualErrors: ResidualErrorRule?
    /// κ range and points of the profile scan written into fit.fits.
    public var profileKappaMin: Double?
    public var profileKappaMax: Double?
    public var profilePoints: Int?
    /// Iteration cap of the minimisers of the observed-data fit (default: GSL nlinear 500,
    /// multimin 2000). A fit stopped by it is written with CONVERGD = F, not an error.
    public var maxIterations: Int?
}

public struct LimitConfig: Codable, Equatable, Sendable {
    /// Confidence level, e.g. 0.9.
    public var cl: Double?
    /// gaussian (analytic Feldman–Cousins belt) or toys (Neyman construction by toy MC).
    public var method: LimitMethod?
    /// Seed of every random draw (toys, sensitivity).
    public var seed: UInt64?
    public var toysPerPoint: Int?
    public var gridPoints: Int?
    /// Upper end of the κ grid; default from the fit (max(κ̂, 0) + 5σ).
    public var kappaMax: Double?
    /// Background-only pseudo-experiments for the sensitivity bands.
    public var sensitivityToys: Int?
    /// Tolerated fraction of failed toy fits.
    public var maxFailedFraction: Double?
}

/// Inputs of the fixture generator `nmm simulate`: true spectra = background + SM + κ_true·MM,
/// folded through the same physics as the templates stage, then drawn (seeded) or Asimov.
public struct SimulationConfig: Codable, Equatable, Sendable {
    /// Energy range of the generated spectra [low, high] in keV and the bin width.
    public var rangeKeV: [Double]
    public var binWidthKeV: Double
    public var onLiveTimeHours: Double
    public var offLiveTimeHours: Double
    /// Flat background level in counts/(kg·keV·day), the same ON and OFF.
    public var backgroundPerKgKeVDay: Double
    /// Linear background slope in counts/(kg·keV·day) per keV about the range centre.
    public var backgroundSlopePerKgKeVDayPerKeV: Double?
    /// Gaussian background lines [[energyKeV, sigmaKeV, countsPerKgDay], ...] (e.g. Ge X-rays).
    public var lines: [[Double]]?
    /// True κ (μ_ν² in 1e-20 μ_B²) put into the ON spectrum.
    public var kappaTrue: Double?
    public var seed: UInt64?
}
