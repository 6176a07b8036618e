import NMMCore
import NMMStatistics

/// limit.fits (NMMTYPE LIMIT): the Feldman–Cousins interval on κ and the μ_ν limit, with
/// everything needed to check it: method, CL, the belt on its κ grid (analytic acceptance
/// regions, or toy critical values and observed statistics with toy and failure counts),
/// the seed, and the sensitivity band.
public struct LimitProduct: StageProduct, Equatable {
    public static let kind = ProductKind.limit
    /// 2: BELT holds the columns of its construction only (BELTKIND); GLOBOBS for toys. Toy belts
    /// gained T_CRIT_ERR, KAPUPERR/KAPLOERR/MULIMERR and the adaptive-toy keywords within schema 2:
    /// they are optional on reading (a file written before them reads with no Monte Carlo error).
    public static let schemaVersion = 2

    /// What a construction produces on its κ grid.
    public enum Belt: Equatable, Sendable {
        /// The analytic belt for a Gaussian κ̂: the acceptance region [low, high] of κ̂ at each κ.
        case gaussian(GaussianBelt)
        /// The toy Neyman construction: t_c (the CL quantile of the toys' t) and t_obs at each κ.
        case toys(ToyBeltTable)

        public var kappa: [Double] {
            switch self {
            case .gaussian(let g): g.kappa
            case .toys(let t): t.kappa
            }
        }

        /// BELTKIND of the BELT table.
        var kindWord: String {
            switch self {
            case .gaussian: "gaussian"
            case .toys: "toys"
            }
        }
    }

    public struct GaussianBelt: Equatable, Sendable {
        public var kappa: [Double]
        public var acceptLow: [Double]
        public var acceptHigh: [Double]
        public init(kappa: [Double], acceptLow: [Double], acceptHigh: [Double]) {
            self.kappa = kappa
            self.acceptLow = acceptLow
            self.acceptHigh = acceptHigh
        }
    }

    public struct ToyBeltTable: Equatable, Sendable {
        public var kappa: [Double]
        public var criticalValue: [Double]
        public var observed: [Double]
        public var toys: [Int64]
        public var failures: [Int64]
        /// σ(t_c), the Monte Carlo error of each critical value (T_CRIT_ERR); nil in a file
        /// written before the column existed.
        public var criticalValueError: [Double]?
        public init(kappa: [Double], criticalValue: [Double], observed: [Double], toys: [Int64], failures: [Int64],
                    criticalValueError: [Double]? = nil) {
            self.kappa = kappa
            self.criticalValue = criticalValue
            self.observed = observed
            self.toys = toys
            self.failures = failures
            self.criticalValueError = criticalValueError
        }
    }

    public struct Sensitivity: Equatable, Sendable {
        /// Quantiles (0.0228, 0.1587, 0.5, 0.8413, 0.9772) and the upper κ limits there.
        public var quantiles: [Double]
        public var kappaUpper: [Double]
        public var pseudoExperiments: Int
        public init(quantiles: [Double], kappaUpper: [Double], pseudoExperiments: Int) {
            self.quantiles = quantiles
            self.kappaUpper = kappaUpper
            self.pseudoExperiments = pseudoExperiments
        }
        public var median: Double {
            guard !kappaUpper.isEmpty else { return .nan }
            let i = quantiles.firstIndex(of: 0.5) ?? kappaUpper.count / 2
            return i < kappaUpper.count ? kappaUpper[i] : .nan
        }
    }

    public var method: LimitMethod
    /// The toy test statistic; nil for the analytic Gaussian belt (STATISTC = 'gaussian').
    public var statistic: ToyStatistic?
    /// The neutrino species the templates were made for (FLAVOR of templates.fits).
    public var flavor: NeutrinoFlavor
    public var confidenceLevel: Double
    public var kappaHat: Double
    /// Error on κ̂ used by the Gaussian belt (stat ⊕ sys).
    public var kappaSigma: Double
    public var kappaLower: Double
    public var kappaUpper: Double
    public var seed: UInt64
    public var belt: Belt
    public var sensitivity: Sensitivity?
    public var failedToys: Int
    public var totalToys: Int
    /// CONVERGD and COVACC of the fit the limit was made from (FITCONV, FITCOVOK; nil when
    /// not from a fit file, e.g. a published summary).
    public var fitConverged: Bool? = nil
    public var fitCovarianceAccurate: Bool? = nil
    /// Toys: how the global observables of constrained nuisances were treated (GLOBOBS):
    /// "resampled" (statistics.md §2), "fixed", or "none" (no constrained nuisance); nil for the Gaussian belt.
    public var globalObservables: String? = nil
    /// The other interval constructions of `limit.methods` (CLs, CLs+b, asymptotic, Bayesian),
    /// on the same model; Feldman–Cousins stays the headline.
    public var comparisons: [IntervalResult] = []
    /// Toys: the Monte Carlo error of the interval edges (KAPLOERR, KAPUPERR; `CriticalValueError`);
    /// nil for the Gaussian belt, an upper edge at the grid end, or a file written without them.
    public var kappaLowerError: Double? = nil
    public var kappaUpperError: Double? = nil
    /// Toys: the adaptive toys' target and outcome (MCTARGET, MCMAXTOY, MCTGTMET, MCROUNDS); nil
    /// for a fixed number of toys per point.
    public var adaptiveToys: AdaptiveToyOutcome? = nil

    public init(method: LimitMethod, statistic: ToyStatistic?, flavor: NeutrinoFlavor = .antiNuE, confidenceLevel: Double, kappaHat: Double, kappaSigma: Double,
                kappaLower: Double, kappaUpper: Double, seed: UInt64, belt: Belt, sensitivity: Sensitivity?,
                failedToys: Int, totalToys: Int) {
        self.method = method
        self.statistic = statistic
        self.flavor = flavor
        self.confidenceLevel = confidenceLevel
        self.kappaHat = kappaHat
        self.kappaSigma = kappaSigma
        self.kappaLower = kappaLower
        self.kappaUpper = kappaUpper
        self.seed = seed
        self.belt = belt
        self.sensitivity = sensitivity
        self.failedToys = failedToys
        self.totalToys = totalToys
    }

    /// Upper limit on μ_ν in μ_B: κ = μ_ν² / 1e-20 μ_B².
    public var muLimitBohr: Double { MagneticMomentUnits.muBohr(kappa: kappaUpper) }
    public var tauM3Bound: Double { MagneticMomentUnits.radiativeDecayTauM3(muBohr: muLimitBohr) }
    /// Monte Carlo error of the μ_ν limit in μ_B: σ_μ = σ_κ/(2√κ)·1e-10 (μ = √κ·1e-10 μ_B).
    public var muLimitErrorBohr: Double? {
        guard let e = kappaUpperError, kappaUpper > 0 else { return nil }
        return MagneticMomentUnits.muBohr(kappa: kappaUpper) * e / (2 * kappaUpper)
    }

    public init(document doc: FITSDocument) throws {
        method = try Self.choice(doc, "METHOD", LimitMethod.self)
        let statisticWord = try doc.string("STATISTC")
        if statisticWord == Self.gaussianStatisticWord {
            statistic = nil
        } else {
            statistic = try Self.choice(doc, "STATISTC", ToyStatistic.self)
        }
        flavor = try Self.choice(doc, "FLAVOR", NeutrinoFlavor.self)
        confidenceLevel = try doc.double("CL")
        guard confidenceLevel > 0, confidenceLevel < 1 else {
            throw InputError(file: doc.sourceFile, field: "CL", "expected a confidence level in (0, 1), found \(confidenceLevel)")
        }
        kappaHat = try doc.double("KAPHAT")
        kappaSigma = try doc.double("KAPSIG")
        guard kappaHat.isFinite, kappaSigma.isFinite else {
            throw InputError(file: doc.sourceFile, field: "KAPHAT/KAPSIG", "expected finite values, found \(kappaHat), \(kappaSigma)")
        }
        kappaLower = try doc.double("KAPLO")
        kappaUpper = try doc.double("KAPUP")
        let seedText = try doc.string("SEED")
        guard let parsedSeed = UInt64(seedText) else {
            throw InputError(file: doc.sourceFile, field: "SEED", "expected a non-negative integer seed, found '\(seedText)'")
        }
        seed = parsedSeed
        failedToys = try doc.int("NFAILED")
        totalToys = try doc.int("NTOYS")
        fitConverged = doc.keyword("FITCONV") == nil ? nil : try doc.bool("FITCONV")
        fitCovarianceAccurate = doc.keyword("FITCOVOK") == nil ? nil : try doc.bool("FITCOVOK")
        let b = try doc.table("BELT")
        let kappa = try b.doubles("KAPPA", unit: MagneticMomentUnits.kappaUnit)
        switch try b.string("BELTKIND") {
        case "gaussian":
            belt = .gaussian(GaussianBelt(kappa: kappa, acceptLow: try b.doubles("ACC_LO", unit: MagneticMomentUnits.kappaUnit),
                                          acceptHigh: try b.doubles("ACC_HI", unit: MagneticMomentUnits.kappaUnit)))
        case "toys":
            belt = .toys(ToyBeltTable(kappa: kappa, criticalValue: try b.doubles("T_CRIT", unit: nil),
                                      observed: try b.doubles("T_OBS", unit: nil),
                                      toys: try b.integers("NTOYS"), failures: try b.integers("NFAIL"),
                                      criticalValueError: b.hasColumn("T_CRIT_ERR") ? try b.doubles("T_CRIT_ERR", unit: nil) : nil))
        case let other:
            throw InputError(file: doc.sourceFile, field: "BELT BELTKIND", "expected gaussian or toys, found '\(other)'")
        }
        globalObservables = doc.keyword("GLOBOBS") == nil ? nil : try doc.string("GLOBOBS")
        kappaLowerError = doc.keyword("KAPLOERR") == nil ? nil : try doc.double("KAPLOERR")
        kappaUpperError = doc.keyword("KAPUPERR") == nil ? nil : try doc.double("KAPUPERR")
        if doc.keyword("MCTARGET") != nil {
            adaptiveToys = AdaptiveToyOutcome(settings: AdaptiveToySettings(targetRelativeError: try doc.double("MCTARGET"),
                                                                            maxToysPerPoint: try doc.int("MCMAXTOY")),
                                              targetMet: try doc.bool("MCTGTMET"), rounds: try doc.int("MCROUNDS"))
        }
        if doc.hasTable("SENSITIVITY") {
            let s = try doc.table("SENSITIVITY")
            sensitivity = Sensitivity(quantiles: try s.doubles("QUANTILE", unit: nil),
                                      kappaUpper: try s.doubles("KAPPA_UP", unit: MagneticMomentUnits.kappaUnit),
                                      pseudoExperiments: try s.int("NPSEUDO"))
        } else {
            sensitivity = nil
        }
        comparisons = try Self.readMethodTables(doc)
    }

    public func document() -> FITSDocument {
        let ku = MagneticMomentUnits.kappaUnit
        let beltColumns: [FITSColumn] = switch belt {
        case .gaussian(let g): [
            FITSColumn("KAPPA", unit: ku, .double(g.kappa)),
            FITSColumn("ACC_LO", unit: ku, .double(g.acceptLow)),
            FITSColumn("ACC_HI", unit: ku, .double(g.acceptHigh)),
        ]
        case .toys(let t): [
            FITSColumn("KAPPA", unit: ku, .double(t.kappa)),
            FITSColumn("T_CRIT", unit: "", .double(t.criticalValue)),
            FITSColumn("T_OBS", unit: "", .double(t.observed)),
            FITSColumn("NTOYS", unit: "", .int64(t.toys)),
            FITSColumn("NFAIL", unit: "", .int64(t.failures)),
        ] + (t.criticalValueError.map { [FITSColumn("T_CRIT_ERR", unit: "", .double($0))] } ?? [])
        }
        var tables = [FITSTable(name: "BELT", keywords: [
            FITSKeyword("BELTKIND", .string(belt.kindWord), "construction: gaussian (analytic) or toys (Neyman)"),
        ], columns: beltColumns)]
        if let s = sensitivity {
            tables.append(FITSTable(name: "SENSITIVITY", keywords: [
                FITSKeyword("NPSEUDO", .int(s.pseudoExperiments), "background-only pseudo-experiments (0: analytic)"),
            ], columns: [
                FITSColumn("QUANTILE", unit: "", .double(s.quantiles)),
                FITSColumn("KAPPA_UP", unit: ku, .double(s.kappaUpper)),
                FITSColumn("MU_UP", unit: "mu_B", .double(s.kappaUpper.map { MagneticMomentUnits.muBohr(kappa: $0) })),
            ]))
        }
        tables += methodTables()
        return FITSDocument(primaryKeywords: [
            FITSKeyword("METHOD", .string(method.rawValue), "gaussian (analytic FC belt) or toys (Neyman construction)"),
            FITSKeyword("STATISTC", .string(statistic?.rawValue ?? Self.gaussianStatisticWord), "test statistic"),
            FITSKeyword("FLAVOR", .string(flavor.rawValue), "neutrino flavour of the templates"),
            FITSKeyword("CL", .double(confidenceLevel), "confidence level"),
            FITSKeyword("KAPHAT", .double(kappaHat), "[1e-20 mu_B^2] fitted kappa"),
            FITSKeyword("KAPSIG", .double(kappaSigma), "[1e-20 mu_B^2] error used by the Gaussian belt"),
            FITSKeyword("KAPLO", .double(kappaLower), "[1e-20 mu_B^2] interval lower edge"),
            FITSKeyword("KAPUP", .double(kappaUpper), "[1e-20 mu_B^2] interval upper edge"),
            FITSKeyword("MULIMIT", .double(muLimitBohr), "[mu_B] upper limit on mu_nu"),
            FITSKeyword("SEED", .string(String(seed)), "seed of every random draw"),
            FITSKeyword("NTOYS", .int(totalToys), "toys in the belt (all grid points)"),
            FITSKeyword("NFAILED", .int(failedToys), "failed toy fits (excluded)"),
        ] + (tauM3Bound.isFinite   // no bound (infinite) for a zero limit: left out, FITS cannot hold inf
                ? [FITSKeyword("TAUM3", .double(tauM3Bound), "[eV3 s] radiative decay bound tau m^3 (seed Eq. 7)")] : [])
          + (fitConverged.map { [FITSKeyword("FITCONV", .bool($0), "the fit converged (CONVERGD of the fit file)")] } ?? [])
          + (fitCovarianceAccurate.map { [FITSKeyword("FITCOVOK", .bool($0), "its covariance is accurate (COVACC)")] } ?? [])
          + (globalObservables.map { [FITSKeyword("GLOBOBS", .string($0), "toys: global observables resampled, fixed or none")] } ?? [])
          + monteCarloErrorKeywords,
          tables: tables)
    }

    /// The headline line printed by `nmm limit` and `nmm show`.
    public var headline: String {
        let mu = headlineLimit
        let pct = MagneticMomentUnits.formatPercent(confidenceLevel)
        let construction = switch method {
        case .gaussian: "Gaussian belt"
        case .toys: "toy MC, \(statistic?.rawValue ?? Self.gaussianStatisticWord)"
        }
        return "mu_nu(\(flavor.rawValue)) < \(mu) mu_B at \(pct)% CL (Feldman-Cousins, \(construction))"
    }

    /// The μ_ν limit as printed: with its Monte Carlo error for a toy limit that has one.
    var headlineLimit: String {
        if let e = muLimitErrorBohr, let text = MagneticMomentUnits.format(muLimitBohr, error: e) { return text }
        return MagneticMomentUnits.format(muLimitBohr)
    }

    /// STATISTC of the analytic belt.
    static let gaussianStatisticWord = "gaussian"

    static func choice<C: ConfigChoice>(_ doc: FITSDocument, _ key: String, _ type: C.Type) throws -> C {
        let word = try doc.string(key)
        guard let value = C(word: word) else {
            throw InputError(file: doc.sourceFile, field: key, "expected \(C.choiceList), found '\(word)'")
        }
        return value
    }
}
