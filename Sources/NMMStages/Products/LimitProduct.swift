import NMMCore
import NMMStatistics

/// limit.fits (NMMTYPE LIMIT): the Feldman–Cousins interval on κ and the μ_ν limit, with
/// everything needed to check it: method, CL, the belt on its κ grid (analytic acceptance
/// regions, or toy critical values and observed statistics with toy and failure counts),
/// the seed, and the sensitivity band.
public struct LimitProduct: StageProduct, Equatable {
    public static let kind = ProductKind.limit
    public static let schemaVersion = 1

    public struct Belt: Equatable, Sendable {
        public var kappa: [Double]
        /// gaussian: acceptance region [low, high] of the measured κ̂; toys: unused (NaN).
        public var acceptLow: [Double]
        public var acceptHigh: [Double]
        /// toys: the CL quantile of the toy statistic and the observed statistic; gaussian: NaN.
        public var criticalValue: [Double]
        public var observed: [Double]
        public var toys: [Int64]
        public var failures: [Int64]

        public init(kappa: [Double], acceptLow: [Double], acceptHigh: [Double], criticalValue: [Double],
                    observed: [Double], toys: [Int64], failures: [Int64]) {
            self.kappa = kappa
            self.acceptLow = acceptLow
            self.acceptHigh = acceptHigh
            self.criticalValue = criticalValue
            self.observed = observed
            self.toys = toys
            self.failures = failures
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
        belt = Belt(kappa: try b.doubles("KAPPA", unit: MagneticMomentUnits.kappaUnit),
                    acceptLow: try b.doubles("ACC_LO", unit: MagneticMomentUnits.kappaUnit),
                    acceptHigh: try b.doubles("ACC_HI", unit: MagneticMomentUnits.kappaUnit),
                    criticalValue: try b.doubles("T_CRIT", unit: nil), observed: try b.doubles("T_OBS", unit: nil),
                    toys: try b.integers("NTOYS"), failures: try b.integers("NFAIL"))
        if doc.hasTable("SENSITIVITY") {
            let s = try doc.table("SENSITIVITY")
            sensitivity = Sensitivity(quantiles: try s.doubles("QUANTILE", unit: nil),
                                      kappaUpper: try s.doubles("KAPPA_UP", unit: MagneticMomentUnits.kappaUnit),
                                      pseudoExperiments: try s.int("NPSEUDO"))
        } else {
            sensitivity = nil
        }
    }

    public func document() -> FITSDocument {
        let ku = MagneticMomentUnits.kappaUnit
        var tables = [FITSTable(name: "BELT", columns: [
            FITSColumn("KAPPA", unit: ku, .double(belt.kappa)),
            FITSColumn("ACC_LO", unit: ku, .double(belt.acceptLow)),
            FITSColumn("ACC_HI", unit: ku, .double(belt.acceptHigh)),
            FITSColumn("T_CRIT", unit: "", .double(belt.criticalValue)),
            FITSColumn("T_OBS", unit: "", .double(belt.observed)),
            FITSColumn("NTOYS", unit: "", .int64(belt.toys)),
            FITSColumn("NFAIL", unit: "", .int64(belt.failures)),
        ])]
        if let s = sensitivity {
            tables.append(FITSTable(name: "SENSITIVITY", keywords: [
                FITSKeyword("NPSEUDO", .int(s.pseudoExperiments), "background-only pseudo-experiments (0: analytic)"),
            ], columns: [
                FITSColumn("QUANTILE", unit: "", .double(s.quantiles)),
                FITSColumn("KAPPA_UP", unit: ku, .double(s.kappaUpper)),
                FITSColumn("MU_UP", unit: "mu_B", .double(s.kappaUpper.map { MagneticMomentUnits.muBohr(kappa: $0) })),
            ]))
        }
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
            FITSKeyword("NTOYS", .int(totalToys), "toys in the belt"),
            FITSKeyword("NFAILED", .int(failedToys), "failed toy fits (excluded)"),
        ] + (tauM3Bound.isFinite   // no bound (infinite) for a zero limit: left out, FITS cannot hold inf
                ? [FITSKeyword("TAUM3", .double(tauM3Bound), "[eV3 s] radiative decay bound tau m^3 (seed Eq. 7)")] : [])
          + (fitConverged.map { [FITSKeyword("FITCONV", .bool($0), "the fit converged (CONVERGD of the fit file)")] } ?? [])
          + (fitCovarianceAccurate.map { [FITSKeyword("FITCOVOK", .bool($0), "its covariance is accurate (COVACC)")] } ?? []),
          tables: tables)
    }

    /// The headline line printed by `nmm limit` and `nmm show`.
    public var headline: String {
        let mu = MagneticMomentUnits.format(muLimitBohr)
        let pct = MagneticMomentUnits.formatPercent(confidenceLevel)
        let construction = switch method {
        case .gaussian: "Gaussian belt"
        case .toys: "toy MC, \(statistic?.rawValue ?? Self.gaussianStatisticWord)"
        }
        return "mu_nu(\(flavor.rawValue)) < \(mu) mu_B at \(pct)% CL (Feldman-Cousins, \(construction))"
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
