/// The typed contents of one experiment's config file (config/<experiment>.yaml).
/// Field names carry their units. Parsing and validation live in ConfigLoader.swift and
/// ConfigValidation.swift; the documented example is config/default.yaml.
public struct AnalysisConfig: Codable, Equatable, Sendable {
    /// Short name; outputs go to build/<experiment>/.
    public var experiment: String
    public var description: String?
    public var detector: DetectorConfig
    /// The reactor core: required for `source.kind` reactor (the default) and reactor-lines
    /// (unless the lines' flux is given), refused for tritium.
    public var reactor: ReactorConfig?
    /// The neutrino source (SourceConfig.swift); absent: the reactor's ν̄e.
    public var source: SourceConfig?
    public var neutrino: NeutrinoConfig?
    /// Coherent ν–nucleus scattering as a sample (SourceConfig.swift); absent: ν–e only.
    public var coherent: CoherentConfig?
    public var inputs: InputsConfig
    public var analysis: AnalysisWindowConfig
    public var fit: FitConfig?
    public var limit: LimitConfig?
    /// Extra ON-only terms of the likelihood (the model stage).
    public var model: ModelConfig?
    /// Nuisance parameters: normalisations and shapes, named and shared across samples.
    public var systematics: [SystematicConfig]?
    /// How `nmm simulate` generated this experiment's fixture spectra (not used by the analysis).
    public var simulation: SimulationConfig?

    /// Set by the loader: the config file's path, its folder (relative input paths are
    /// resolved against it) and the SHA-256 of its text (CFGSHA).
    public var sourcePath: String = ""
    public var sha256: String = ""

    enum CodingKeys: String, CodingKey {
        case experiment, description, detector, reactor, source, neutrino, coherent, inputs, analysis, fit, limit, model, systematics,
             simulation
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
    /// nu_e, nu_mu, nu_tau, anti-nu_e, anti-nu_mu, anti-nu_tau. Default: the source's flavour
    /// (reactor and tritium anti-nu_e, reactor-lines nu_e). A reactor may be given another
    /// species' couplings (a what-if); a line or tritium source refuses any other flavour.
    public var flavor: NeutrinoFlavor?
    /// Weak mixing angle (default 0.23122, PDG MS-bar at M_Z).
    public var sin2ThetaW: Double?
    /// Neutrino charge radius ⟨r²⟩ in cm² (default 0).
    public var chargeRadiusCm2: Double?
}

public struct InputsConfig: Codable, Equatable, Sendable {
    /// pair (default: an ON and an OFF spectrum file), events (event list + reactor log) or
    /// ogip (OGIP PHA spectra). Keys of another kind are errors.
    public var kind: InputKind?
    /// pair: reactor-ON (MUNU: forward cone) spectrum, FITS or CSV. ogip: the ON PHA file.
    public var on: String?
    /// pair: reactor-OFF (MUNU: background cones) spectrum, FITS or CSV. ogip: the OFF PHA file
    /// (default: the ON file's BACKFILE).
    public var off: String?
    /// pair: extra factor on the OFF exposure beyond live time × mass (e.g. a solid-angle ratio
    /// of background to forward cones). Default 1: OFF is scaled by live time only.
    /// (ogip: the factor is BACKSCAL_off·AREASCAL_off / (BACKSCAL_on·AREASCAL_on).)
    public var offExposureFactor: Double?
    /// events: FITS event list (EVENTS: TIME, ENERGY or PHA; GTI: START, STOP).
    public var events: String?
    /// events: reactor operation log, CSV or FITS (start, stop, thermal power in MW).
    public var reactorLog: String?
    /// events: the nominal thermal power the fractions refer to (default reactor.thermalPowerMW).
    public var nominalPowerMW: Double?
    /// events: ON is where power ≥ onPowerFraction × nominal power.
    public var onPowerFraction: Double?
    /// events: OFF is where power ≤ offPowerFraction × nominal power.
    public var offPowerFraction: Double?
    /// events: time cut from each side of an ON or OFF run that borders another state (default 0).
    public var transitionMarginHours: Double?
    /// events: fraction of time the detector is dead (default: the EVENTS header's DEADC, else 0).
    public var deadTimeFraction: Double?
    /// events: [lowKeV, highKeV, widthKeV] of the binned spectra.
    public var binningKeV: [Double]?
    /// events: [offsetKeV, keVPerChannel] to turn a PHA column into energy (E = a + b·PHA);
    /// when absent the ENERGY column (with TUNIT) is read.
    public var phaCalibrationKeV: [Double]?
    /// events: [startMJD, stopMJD] in the event list's time system; one data period.
    public var timeRangeMJD: [Double]?
    /// events, ogip: detector mass (default detector.massKg).
    public var massKg: Double?
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
    /// Error of each residual bin in the χ² fit: expected (default; the pooled background with
    /// the expected SM taken out of it and put into the ON variance, statistics.md §3), pooled
    /// (background estimated from ON and OFF together; too small when the known SM is a sizeable
    /// part of ON: MUNU's σ_κ 0.645 instead of 0.699) or observed (√n of each count, Neyman's χ², biased upward in κ when
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
    /// The interval constructions to run side by side (default [fc]); fc is the headline.
    public var methods: [IntervalMethod]?
    /// Adaptive toys: add toys near the crossing until the Monte Carlo error of κ_up is below
    /// this fraction of κ_up (nil: a fixed toysPerPoint everywhere).
    public var targetRelativeError: Double?
    /// Adaptive toys: at most this many toys at one grid point.
    public var maxToysPerPoint: Int?

    /// What is wrong with an adaptive-toy target (nil: a relative MC error in (0, 1)); the
    /// config's limit.targetRelativeError and `nmm limit --target-relative-error` share it.
    public static func targetRelativeErrorProblem(_ r: Double) -> String? {
        r.isFinite && r > 0 && r < 1 ? nil : "expected a relative Monte Carlo error in (0, 1), e.g. 0.005, found \(r)"
    }

    /// What is wrong with an adaptive-toy cap given the toys per point of the first pass (nil:
    /// toysPerPoint … 10⁸); shared like `targetRelativeErrorProblem`.
    public static func maxToysPerPointProblem(_ n: Int, toysPerPoint first: Int) -> String? {
        n >= first && n <= 100_000_000 ? nil : "expected \(first) (toysPerPoint) to 100000000 toys, found \(n)"
    }
}

/// Extra ON-only terms of the model (beyond fit.background's flat and linear terms).
public struct ModelConfig: Codable, Equatable, Sendable {
    /// Gaussian lines in the ON − OFF residual, [[energyKeV, sigmaKeV], ...], each an ON-only
    /// sample named line1, line2, … with a free normalisation (counts/(kg·day) in the line).
    public var linesKeV: [[Double]]?
    /// Other experiments' configs (paths relative to this file) whose data sets join this
    /// model: one likelihood, one κ, nuisances with the same name shared (e.g. the reactor flux
    /// model). Each is analysed on its own too (build/<experiment>/members/<member>/).
    public var combine: [String]?
    /// Name of this config's own data set in the model (default: the experiment name).
    public var dataSet: String?
}

/// One nuisance parameter of the model.
public struct SystematicConfig: Codable, Equatable, Sendable {
    /// Parameter name (letters, digits, '_'); the same name in two entries is an error.
    public var name: String
    public var kind: NuisanceKind
    /// Normalisations: gaussian (default), lognormal or free.
    public var constraint: ConstraintKind?
    /// Normalisations: relative width σ of the constraint (0.03 = ±3%).
    public var sigma: Double?
    /// The samples it acts on: sm, mm, and the ON-only terms flat, linear, line1, line2, ….
    public var samples: [String]
    /// Shapes: the built-in generator of the ±1σ templates.
    public var generator: ShapeGenerator?
    /// Shapes: size of the ±1σ variation for energyScale and efficiency (fraction, e.g. 0.01).
    public var size: Double?
}

/// Inputs of the fixture generator `nmm simulate`: true spectra = background + SM + κ_true·MM,
/// folded through the same physics as the templates stage, then drawn (seeded) or Asimov.
public struct SimulationConfig: Codable, Equatable, Sendable {
    /// Energy range of the generated spectra [low, high] in keV and the bin width.
    public var rangeKeV: [Double]
    public var binWidthKeV: Double
    /// ON and OFF live times of a simulated spectrum pair (required unless `events` is given).
    public var onLiveTimeHours: Double?
    public var offLiveTimeHours: Double?
    /// Flat background level in counts/(kg·keV·day), the same ON and OFF.
    public var backgroundPerKgKeVDay: Double
    /// Linear background slope in counts/(kg·keV·day) per keV about the range centre.
    public var backgroundSlopePerKgKeVDayPerKeV: Double?
    /// Gaussian background lines [[energyKeV, sigmaKeV, countsPerKgDay], ...] (e.g. Ge X-rays).
    public var lines: [[Double]]?
    /// True κ (μ_ν² in 1e-20 μ_B²) put into the ON spectrum.
    public var kappaTrue: Double?
    public var seed: UInt64?
    /// `nmm simulate --events --reactor-log`: an event list with GTIs and a reactor log.
    public var events: EventSimulationConfig?
}

/// How `nmm simulate` writes an event list (EVENTS + GTI) and a reactor operation log: the
/// reactor runs through `reactorPeriodsHours`, the detector takes data over the whole log
/// except `dataGapsHours`, and events arrive at the rate background + (P/P_nom)·(SM + κ_true·MM)
/// per live time, with P_nom = reactor.thermalPowerMW.
public struct EventSimulationConfig: Codable, Equatable, Sendable {
    /// MJD (TT) of time zero of the event list and the log (MJDREF).
    public var mjdRef: Double
    /// Consecutive reactor periods from time zero: [[hours, powerFraction], ...] or
    /// [[hours, powerFraction, U235, U238, Pu239, Pu241], ...] with the fission fractions.
    public var reactorPeriodsHours: [[Double]]
    /// Times without data [[startHours, stopHours], ...]; the GTIs are the log span minus these.
    public var dataGapsHours: [[Double]]?
    /// Fraction of time the detector is dead (written as DEADC = 1 − fraction; default 0).
    public var deadTimeFraction: Double?
}
