import NMMCore

/// CLs and CLs+b upper limits on κ from toys (Read, J. Phys. G 28 (2002) 2693; the LHC recipe
/// ATL-PHYS-PUB-2011-011 / CMS NOTE-2011/005), with the statistic q̃_κ (CCGV 2011 eq. 16:
/// t̃_κ with κ̂ clipped at ≥ 0, and 0 when κ̂ > κ; `ModelProfiler.qTildeValue`), on a
/// `StatisticalModel` through the model engine.
///
/// Toys (the `ToyConfiguration` of `ModelToys`, statistics.md §2):
///  • s+b: at grid point κ_j, toys drawn at the conditional fit θ̂(κ_j) of the observed data with
///    the global observables resampled, from the SAME streams as `ModelToys`
///    (deriveSeed(seed, [j, block])): the Feldman–Cousins belt and this scan see the same
///    pseudo-data (common random numbers); each is fitted with its own global observables;
///  • background-only: `backgroundToys` toys drawn once at θ̂(κ = 0) from the streams
///    deriveSeed(seed, [UInt64.max − 1, block]), each evaluated at every grid point (every
///    conditional fit starting from the toy's generation point, so a value does not depend on
///    which other points are evaluated).
/// p-values per point (`CLsToyCurves`): CL_{s+b} = P(q̃ ≥ q̃_obs | s+b), CL_b = P(q̃ ≥ q̃_obs | b)
/// (pyhf's `ToyCalculator` convention), CLs = CL_{s+b}/CL_b. The limits are where CLs and
/// CLs+b cross 1 − CL, interpolated linearly between grid points (`GridCrossing`, as pyhf's
/// `linear_grid_scan`) on the curve made non-increasing first (`MonotoneFit`, weights 1/σ²:
/// Monte Carlo noise must not make it cross twice; an already falling curve is unchanged, so
/// the limit is then pyhf's); the expected CLs limits (±1σ, ±2σ) are where pyhf's toy expected
/// CLs curves cross it (CLs of each background-only toy's q̃ as if observed; its percentiles;
/// made non-increasing with equal weights). The result's curves are the raw toy curves.
///
/// Monte Carlo error of a limit: the binomial errors √(p(1−p)/N) of CL_{s+b} and CL_b at the two
/// grid points around the crossing (s+b and background-only toys are independent sets),
/// propagated to CLs (σ_CLs/CLs = √((σ_{s+b}/CL_{s+b})² + (σ_b/CL_b)²)), combined where the
/// monotone fit pooled points (1/σ² = Σ 1/σ_i²), and mapped to κ through the interpolation,
/// i.e. the slope of the curve between them (`GridCrossing.error`). The s+b toys of different
/// grid points are independent, so the two points' errors add in quadrature with the
/// interpolation weights (CL_b at neighbouring points comes from the same background-only toys
/// and is correlated; where CL_b's error matters this is approximate).
public struct CLsToys: IntervalConstruction {
    public let model: StatisticalModel
    public let options: ModelFitOptions
    public let configuration: ToyConfiguration
    /// Background-only toys (default: `configuration.toysPerPoint`).
    public let backgroundToys: Int
    let engine: ModelToys
    /// q̃ by the nuisance block kernels (whose t are the FC toys' t), the general profiler taking
    /// the toys they do not settle; false: the general profiler throughout (the reference, in tests).
    var nuisanceFastPath = true

    /// Stream index of the background-only toys ([backgroundStream, block]); UInt64.max is the
    /// sensitivity stream of the toy constructions.
    static let backgroundStream = UInt64.max - 1

    public var methods: [IntervalMethod] { [.cls, .clsb] }

    public init(model: StatisticalModel, options: ModelFitOptions = ModelFitOptions(), configuration: ToyConfiguration,
                backgroundToys: Int? = nil) throws {
        engine = try ModelToys(model: model, options: options, configuration: configuration)
        let nb = backgroundToys ?? configuration.toysPerPoint
        guard nb >= 10 else { throw StatisticsError.invalidOptions("need ≥ 10 background-only toys (got \(nb))") }
        let (total, overflow) = configuration.kappaGrid.count.multipliedReportingOverflow(by: nb)
        guard !overflow, total <= ToyConfiguration.maxToys else {
            throw StatisticsError.invalidOptions("\(configuration.kappaGrid.count) grid points × \(nb) background-only toys is more than \(ToyConfiguration.maxToys)")
        }
        self.model = model
        self.options = options
        self.configuration = configuration
        self.backgroundToys = nb
    }

    private func makeWorker() throws -> ModelToyWorker {
        let cfg = configuration
        return try ModelToyWorker(engine.compiled, statistic: cfg.statistic.method, options: options, sampler: cfg.sampler,
                                  blockSize: cfg.toysPerBlock, resample: cfg.resampleGlobalObservables,
                                  fastPath: nuisanceFastPath)
    }

    /// q̃ of the observed data and of the toys; `points` restricts the toys to a slice of the grid
    /// (a shard; the other points are left out and marked not computed).
    public func scan(points: Range<Int>? = nil, progress: ProgressHandler? = nil) throws -> CLsToyScan {
        let cfg = configuration, grid = cfg.kappaGrid, g = grid.count, n = cfg.toysPerPoint, m = backgroundToys
        let slice = try cfg.gridSlice(points)
        let obs = ModelProfiler(engine.compiled, statistic: cfg.statistic.method, rule: options.residualErrors,
                                maxIterations: options.maxIterations)
        obs.loadObserved()
        guard let best = obs.best() else { throw StatisticsError.fitFailed("\(cfg.statistic.rawValue) fit of the observed data (CLs toys)") }
        obs.start = best.parameters
        let observed = try grid.map { k in
            guard let q = obs.qTildeValue(atKappa: k) else { throw StatisticsError.fitFailed("q̃ of the observed data at κ = \(k)") }
            return q
        }
        let sb = SharedResults(count: g * n), bOnly = SharedResults(count: g * m)
        let bs = cfg.toysPerBlock
        let make: @Sendable () throws -> ModelToyWorker = { try self.makeWorker() }
        if !slice.isEmpty {
            let gens = try engine.generationPoints(Array(grid[slice]))
            let blocks = (n + bs - 1) / bs
            let workers = max(1, min(cfg.threads ?? ParallelTasks.defaultThreadCount, slice.count * blocks))
            try ParallelTasks.run(taskCount: slice.count * blocks, threads: cfg.threads, chunk: slice.count >= 2 * workers ? blocks : 1,
                                  progress: progress, makeWorker: make, task: { worker, index in
                let local = index / blocks, j = slice.lowerBound + local, block = index % blocks, first = block * bs
                let count = min(n, first + bs) - first
                worker.generate(gens[local], key: j,
                                seed: SeedSequence.deriveSeed(master: cfg.seed, indices: [UInt64(j), UInt64(block)]), count: count)
                worker.qTildeValues(atKappa: grid[j], count: count, into: sb.pointer.baseAddress! + j * n + first)
            })
            let gen0 = try engine.generationPoints([0])[0]
            let bBlocks = (m + bs - 1) / bs
            try ParallelTasks.run(taskCount: bBlocks, threads: cfg.threads, progress: progress, makeWorker: make, task: { worker, block in
                let first = block * bs, count = min(m, first + bs) - first
                worker.generate(gen0, key: -2, seed: SeedSequence.deriveSeed(master: cfg.seed, indices: [Self.backgroundStream, UInt64(block)]),
                                count: count)
                worker.qTildeScan(grid[slice], count: count, into: bOnly.pointer.baseAddress! + slice.lowerBound * m + first, stride: m)
            })
        }
        return CLsToyScan(confidenceLevel: cfg.confidenceLevel, seed: cfg.seed, kappaGrid: grid, observed: observed,
                          observedKappa: best.parameters[0], toysPerPoint: n, backgroundToys: m,
                          signalPlusBackground: sb.array(0..<(g * n)), backgroundOnly: bOnly.array(0..<(g * m)),
                          computed: grid.indices.map { slice.contains($0) })
    }

    public func intervals(progress: ProgressHandler? = nil) throws -> [IntervalResult] {
        try intervals(from: scan(progress: progress))
    }

    /// CLs and CLs+b results of a whole-grid scan (one run or joined shards).
    public func intervals(from scan: CLsToyScan) throws -> [IntervalResult] {
        let cfg = configuration, grid = scan.kappaGrid, level = 1 - scan.confidenceLevel
        guard grid == cfg.kappaGrid, scan.seed == cfg.seed, scan.toysPerPoint == cfg.toysPerPoint,
              scan.backgroundToys == backgroundToys, scan.confidenceLevel == cfg.confidenceLevel else {
            throw StatisticsError.invalidOptions("the CLs toy scan was made with other settings (grid, seed, toys or CL)")
        }
        let c = try CLsToyCurves(scan, maxFailureFraction: cfg.maxFailureFraction)
        let expected = try c.expected.enumerated().map { k, curve in
            let monotone = MonotoneFit.nonIncreasing(curve, weights: curve.map { _ in 1 }).values
            return try Self.crossing(grid, monotone, level, what: "expected CLs (\(LimitBands.quantiles[k]) quantile)").kappa
        }
        // Binomial errors floored at 1/N (a point on the plateau CLs = 1 below κ̂ has none) for the weights.
        let floor = 1 / Double(min(scan.toysPerPoint, scan.backgroundToys))
        let curves = [IntervalCurve(name: "CLS", values: c.cls), IntervalCurve(name: "CLSB", values: c.clsb),
                      IntervalCurve(name: "CLB", values: c.clb)]
            + zip(AsymptoticCLs.curveNames.suffix(5), c.expected).map { IntervalCurve(name: $0, values: $1) }
        var notes = [
            "toys with q̃_κ (CCGV 2011 eq. 16), κ̂ clipped at ≥ 0; statistic \(cfg.statistic.rawValue)",
            "s+b toys at the conditional fit θ̂(κ_j) of the observed data (streams of the FC toys: common random numbers), global observables \(cfg.resampleGlobalObservables ? "resampled" : "held at the observed values")",
            "\(backgroundToys) background-only toys at θ̂(κ = 0) evaluated at every grid point; CL_b = P(q̃ ≥ q̃_obs | b) (pyhf)",
            "limit: crossing of 1 − CL by linear interpolation between grid points (pyhf linear_grid_scan) on the curve made non-increasing by weighted isotonic regression (pool-adjacent-violators; unchanged where the toy curve already falls); MC error: binomial errors of CL_s+b and CL_b at the grid points around the crossing (pooled where pooled), through the interpolation (the slope of the curve there)",
            "expected CLs limits: percentiles of the background-only toys' CLs at Φ(−2…2) (pyhf ToyCalculator.expected_pvalues)",
        ]
        var results: [IntervalResult] = []
        for method in methods {
            let errors = (method == .cls ? c.clsErrors : c.clsbErrors).map { max($0, floor) }
            let fit = MonotoneFit.nonIncreasing(method == .cls ? c.cls : c.clsb, weights: errors.map { 1 / ($0 * $0) })
            let x = try Self.crossing(grid, fit.values, level, what: method.rawValue)
            if x.atGridEnd { notes.append("\(method.rawValue): the curve stays above \(level) up to the grid's end; the limit is a lower bound") }
            let error = x.error(grid: grid, values: fit.values, errors: errors)
            if let coarse = Self.gridLimitedNote(x, grid: grid, values: fit.values, level: level, method: method) { notes.append(coarse) }
            results.append(IntervalResult(method: method, confidenceLevel: scan.confidenceLevel, kappaUpper: x.kappa,
                                          monteCarloError: error, expected: method == .cls ? LimitBands(values: expected) : nil,
                                          scanKappa: grid, curves: curves, toys: scan.toys, seed: scan.seed, notes: notes))
        }
        return results
    }

    /// A note when the curve falls by more than the level itself across the grid step that holds
    /// the crossing: the linear interpolation, not the toys, then sets where the crossing lies
    /// (anywhere in the step for a curve that is monotone but not linear there), and the MC error
    /// (binomial errors over the secant slope) does not include that.
    static func gridLimitedNote(_ x: GridCrossing, grid: [Double], values: [Double], level: Double,
                                method: IntervalMethod) -> String? {
        guard !x.atGridEnd, x.index > 0 else { return nil }
        let a = values[x.index - 1], b = values[x.index]
        guard a - b > level else { return nil }
        return "\(method.rawValue): the curve falls from \(a) to \(b) within one grid step [\(grid[x.index - 1]), \(grid[x.index])]: "
            + "the crossing is set by the linear interpolation (the grid's resolution, up to the step), which the MC error does not include; a finer grid (limit.gridPoints) resolves it"
    }

    static func crossing(_ grid: [Double], _ values: [Double], _ level: Double, what: String) throws -> GridCrossing {
        guard let x = GridCrossing.find(grid: grid, values: values, level: level) else {
            throw StatisticsError.invalidOptions("\(what): already below \(level) at κ = \(grid[0]); the grid must start at 0")
        }
        return x
    }
}
