import NMMCore

/// Asymptotic CLs upper limit on κ (Cowan, Cranmer, Gross, Vitells, EPJC 71 (2011) 1554, "CCGV")
/// with the statistic q̃_κ (CCGV eq. 16; `ModelProfiler.qTildeValue`), computed as pyhf 0.7.6
/// computes it (`pyhf.infer.calculators.AsymptoticCalculator` with test_stat "qtilde" and its
/// default "normal" base distribution; `pyhf.infer.intervals.upper_limits.upper_limit`):
///  • σ from the Asimov data set at κ = 0 built from the conditional fit of the observed data
///    (`AsimovDataSet`): √q̃_A(κ) = √q̃_κ(Asimov);
///  • the test statistic in "σ units": t = √q̃ − √q̃_A when √q̃ ≤ √q̃_A, else (q̃ − q̃_A)/(2√q̃_A)
///    (CCGV eq. 66 in pyhf's form), and CL_{s+b} = Φ(−(t + √q̃_A)), CL_b = Φ(−t),
///    CLs = CL_{s+b}/CL_b (CL_b is P(q̃ ≥ q̃_obs | b), i.e. 1 − p_b in CCGV's notation);
///  • expected CLs at n = +2, +1, 0, −1, −2 σ of the background-only distribution: t = n, so
///    CLs_exp = Φ(−(n + √q̃_A))/Φ(−n) (pyhf's `expected_pvalues`); n = +2 gives the lowest
///    limit, reported as the −2σ band;
///  • each limit is the root of CLs(κ) − (1 − CL) by GSL's Brent solver (pyhf uses scipy's
///    toms748 with rtol 1e-4 on the same function; here the relative tolerance is 1e-9),
///    bracketed by [0, κ_hi] with κ_hi doubled from max(κ̂, 0) + 3σ_κ until CLs < 1 − CL.
/// Every fit is the model engine's (`ModelProfiler`), for the statistic of `options`.
public struct AsymptoticCLs: IntervalConstruction {
    public let model: StatisticalModel
    public let options: ModelFitOptions
    public let confidenceLevel: Double
    /// κ points of the curves in the result (nil: 41 points on [0, 1.5 × the largest limit]).
    public let scanKappa: [Double]?
    let compiled: CompiledModel

    public var methods: [IntervalMethod] { [.asymptotic] }

    public init(model: StatisticalModel, options: ModelFitOptions = ModelFitOptions(), confidenceLevel: Double = 0.9,
                scanKappa: [Double]? = nil) throws {
        try options.validate()
        guard confidenceLevel > 0, confidenceLevel < 1 else {
            throw StatisticsError.invalidOptions("confidence level \(confidenceLevel) must be in (0, 1)")
        }
        if let s = scanKappa, s.isEmpty || !s.allSatisfy({ $0.isFinite && $0 >= 0 }) {
            throw StatisticsError.invalidOptions("the asymptotic CLs scan needs κ points ≥ 0")
        }
        self.model = model
        self.options = options
        self.confidenceLevel = confidenceLevel
        self.scanKappa = scanKappa
        compiled = try CompiledModel(model)
    }

    /// n of the expected CLs curves in the order of `LimitBands` (−2σ, −1σ, median, +1σ, +2σ limits).
    static let expectedShifts: [Double] = [2, 1, 0, -1, -2]
    static let curveNames = ["CLS", "CLSB", "CLB", "CLS_EXP_M2", "CLS_EXP_M1", "CLS_EXP_MED", "CLS_EXP_P1", "CLS_EXP_P2"]

    public func intervals(progress: ProgressHandler? = nil) throws -> [IntervalResult] {
        let calc = try AsymptoticCLsCalculator(compiled, options: options)
        let level = 1 - confidenceLevel
        let observed = try limit(calc, level: level, context: "observed asymptotic CLs") { try calc.pValues(atKappa: $0).cls }
        let expected = try Self.expectedShifts.map { n in
            try limit(calc, level: level, context: "expected asymptotic CLs at \(n) σ") { try calc.expectedCLs(atKappa: $0, shift: n) }
        }
        let top = 1.5 * max(observed, expected.max() ?? observed)
        let grid = scanKappa ?? (0..<41).map { top * Double($0) / 40 }
        let curves = try Self.curves(calc, grid)
        let notes = [
            "asymptotic CLs (Cowan, Cranmer, Gross, Vitells, EPJC 71 (2011) 1554) with q̃_κ, κ̂ clipped at ≥ 0",
            "σ from the Asimov data set at κ = 0 with the nuisances and global observables of the observed data's conditional fit at κ = 0 (pyhf generate_asimov_data)",
            "CLs = Φ(−(t + √q̃_A))/Φ(−t), expected CLs = Φ(−(n + √q̃_A))/Φ(−n), n = ±2, ±1, 0 (pyhf AsymptoticCalculator, normal base distribution)",
            "limits are roots of CLs − \(level) by GSL Brent (relative tolerance 1e-9); statistic \(options.statistic.rawValue)",
        ]
        return [IntervalResult(method: .asymptotic, confidenceLevel: confidenceLevel, kappaUpper: observed,
                               expected: LimitBands(values: expected), scanKappa: grid, curves: curves, notes: notes)]
    }

    /// CLs, CLs+b, CLb and the five expected CLs (`curveNames`) at each κ of `kappas`.
    public func curves(at kappas: [Double]) throws -> [IntervalCurve] {
        try Self.curves(try AsymptoticCLsCalculator(compiled, options: options), kappas)
    }

    private static func curves(_ calc: AsymptoticCLsCalculator, _ kappas: [Double]) throws -> [IntervalCurve] {
        var curves = curveNames.map { IntervalCurve(name: $0, values: []) }
        for k in kappas {
            let p = try calc.pValues(atKappa: k)
            var row = [p.cls, p.clsb, p.clb]
            for n in expectedShifts { row.append(try calc.expectedCLs(atKappa: k, shift: n)) }
            for c in curves.indices { curves[c].values.append(row[c]) }
        }
        return curves
    }

    /// The root of curve(κ) − level, bracketed from κ = 0 (every CLs curve is 1 there) upwards.
    private func limit(_ calc: AsymptoticCLsCalculator, level: Double, context: String,
                       _ curve: (Double) throws -> Double) throws -> Double {
        var lo = 0.0, hi = max(calc.observedKappa, 0) + 3 * calc.observedKappaError
        var doublings = 0
        while try curve(hi) >= level {
            lo = hi
            hi *= 2
            doublings += 1
            guard doublings < 60 else { throw StatisticsError.fitFailed("\(context): CLs stays above \(level) up to κ = \(hi)") }
        }
        var failure: Error?
        let root = try RootFinder(relativeTolerance: 1e-9).root(in: lo, hi, context: context) { k in
            do { return try curve(k) - level } catch { failure = error; return .nan }
        }
        if let failure { throw failure }
        return root
    }
}

/// The fits behind `AsymptoticCLs`: a profiler on the observed data and one on the Asimov data
/// set, with q̃ and q̃_A cached per κ (the root finder and the expected curves revisit κ).
final class AsymptoticCLsCalculator {
    let observed: ModelProfiler
    let asimov: ModelProfiler
    let asimovData: AsimovDataSet
    let observedKappa: Double
    let observedKappaError: Double
    private var cache: [Double: (q: Double, qA: Double)] = [:]

    init(_ compiled: CompiledModel, options: ModelFitOptions) throws {
        let statistic = options.statistic
        observed = ModelProfiler(compiled, statistic: statistic, rule: options.residualErrors, maxIterations: options.maxIterations)
        observed.loadObserved()
        guard let best = observed.best(), let fit = observed.bestFitKappa() else {
            throw StatisticsError.fitFailed("\(statistic.rawValue) fit of the observed data (asymptotic CLs)")
        }
        observedKappa = fit.kappa
        observedKappaError = fit.error.isFinite && fit.error > 0 ? fit.error : 1
        asimovData = try AsimovDataSet.make(compiled, observed: observed, kappa: 0)
        observed.start = best.parameters
        asimov = ModelProfiler(compiled, statistic: statistic, rule: options.residualErrors, maxIterations: options.maxIterations)
        asimov.start = asimovData.parameters
        asimov.load(on: asimovData.on, off: asimovData.off, globals: asimovData.globals)
    }

    /// (q̃_obs(κ), q̃_A(κ)).
    func statistics(atKappa kappa: Double) throws -> (q: Double, qA: Double) {
        if let c = cache[kappa] { return c }
        guard let q = observed.qTildeValue(atKappa: kappa) else {
            throw StatisticsError.fitFailed("q̃ of the observed data at κ = \(kappa)")
        }
        guard let qA = asimov.qTildeValue(atKappa: kappa) else {
            throw StatisticsError.fitFailed("q̃ of the Asimov data set at κ = \(kappa)")
        }
        cache[kappa] = (q, qA)
        return (q, qA)
    }

    func pValues(atKappa kappa: Double) throws -> (clsb: Double, clb: Double, cls: Double) {
        let s = try statistics(atKappa: kappa)
        return Self.pValues(q: s.q, qA: s.qA)
    }

    func expectedCLs(atKappa kappa: Double, shift n: Double) throws -> Double {
        Self.expectedCLs(qA: try statistics(atKappa: kappa).qA, shift: n)
    }

    /// pyhf's `AsymptoticCalculator.teststatistic` and `pvalues` (qtilde, normal base distribution).
    /// At √q̃_A = 0 (κ = 0, or a κ the data cannot tell from 0) CLs is 1.
    static func pValues(q: Double, qA: Double) -> (clsb: Double, clb: Double, cls: Double) {
        let sq = max(q, 0).squareRoot(), sqA = max(qA, 0).squareRoot()
        guard sqA > 0 else { return (0.5, 0.5, 1) }
        let t = sq <= sqA ? sq - sqA : (q - qA) / (2 * sqA)
        let clsb = Distributions.gaussianQ(t + sqA), clb = Distributions.gaussianQ(t)
        return (clsb, clb, clb > 0 ? clsb / clb : 0)
    }

    /// pyhf's `expected_pvalues`: CLs at t = n (n σ of the background-only distribution).
    static func expectedCLs(qA: Double, shift n: Double) -> Double {
        let sqA = max(qA, 0).squareRoot()
        guard sqA > 0 else { return 1 }
        return Distributions.gaussianQ(n + sqA) / Distributions.gaussianQ(n)
    }
}
