import NMMCore
import Synchronization

/// Feldman–Cousins confidence belt for κ ≥ 0 by toy Monte Carlo (Neyman construction with
/// the likelihood-ratio ordering and profiled nuisances, FC 1998 Sec. IV / "profile
/// construction"):
///
/// For each grid point κ_j:
///  1. profile the nuisances (normalisations and per-bin backgrounds) on the observed data at
///     κ = κ_j → expected ON and OFF counts per bin. For the χ² statistic the normalisations
///     and background terms come from the χ² fit at κ_j, and the per-bin backgrounds b_i from
///     the Poisson closed-form profile with s_i = that χ² model (residual background terms
///     included, so they enter the ON mean);
///  2. draw N toys: ON_i, OFF_i ~ Poisson(expected), with the generator seeded by
///     deriveSeed(seed, [j, block]);
///  3. for each toy t(κ_j) = S(κ_j) − min_{κ' ≥ 0} S(κ') (S = χ² or Poisson deviance, profiled);
///  4. t_c(κ_j) = CL quantile of the toy t; the observed t_obs(κ_j) is accepted if ≤ t_c.
/// The interval is {κ_j : t_obs ≤ t_c} with linearly interpolated edges (`KappaInterval`).
///
/// Failed toy fits are excluded from the quantile and counted; above
/// `maxFailureFraction` of the toys at a grid point the construction stops with an error.
/// Work is split into (grid point, block) tasks over `threads` workers; each task's random
/// stream and output slots depend only on its indices, so results are bit-identical for any
/// thread count and for any slicing of the grid. Each worker allocates its buffers once; the
/// toy loop does not allocate (`ToyWorker`: `ToyCountGenerator` draws, `KappaOnlyToyPath` or
/// `GeneralToyPath` evaluates).
///
/// Sampling (`ToyConfiguration.sampler`): by default exact Walker alias tables of the Poisson
/// pmf, built once per (bin, ON/OFF, grid point) and driven by xoshiro256** seeded per task
/// with deriveSeed(seed, [j, block]) (`PoissonTables`); `.gsl` keeps the original
/// gsl_ran_poisson on mt19937. When κ is the only fitted parameter (held normalisations, no
/// χ² background terms) a block of toys is evaluated at once by the block kernels
/// (`KappaOnlyChiSquare`: closed form; `KappaOnlyPoisson`: closed-form per-bin backgrounds
/// and a safeguarded Halley iteration in κ); otherwise toy by toy with the general profilers.
public struct FeldmanCousinsToys: Sendable {
    public let input: FitInput
    public let options: FitOptions
    public let configuration: ToyConfiguration
    let model: FitModel

    /// Stream index of the sensitivity pseudo-experiments (never a grid index).
    static let sensitivityStream = UInt64.max

    public init(input: FitInput, options: FitOptions, configuration: ToyConfiguration) throws {
        try input.validate()
        try options.validate()
        try configuration.validate()
        self.input = input
        self.options = options
        self.configuration = configuration
        model = FitModel(input: input, options: options, method: configuration.statistic.method)
    }

    private func observedProfiler() -> any ProfileStatistic {
        let p = configuration.statistic.makeProfiler(model)
        p.load(on: input.onCounts, off: input.offCounts)
        return p
    }

    /// Expected (ON, OFF) counts, bins × points flattened, at the given κ values.
    func generationMeans(_ kappas: [Double]) throws -> (on: [Double], off: [Double]) {
        let obs = observedProfiler()
        let nb = model.binCount
        var on = [Double](repeating: 0, count: nb * kappas.count), off = on
        var bufOn = [Double](repeating: 0, count: nb), bufOff = bufOn
        for (j, k) in kappas.enumerated() {
            guard obs.expectedCounts(atKappa: k, on: &bufOn, off: &bufOff) else {
                throw StatisticsError.fitFailed("profiling the nuisances on the observed data at κ = \(k)")
            }
            for i in 0..<nb { on[j * nb + i] = bufOn[i]; off[j * nb + i] = bufOff[i] }
        }
        return (on, off)
    }

    /// The belt. `points` restricts the toys to a slice of the grid indices (a shard): the
    /// other points get t_c = NaN. A point's toys depend only on (seed, grid index, block),
    /// so slices computed apart and joined (`ToyBelt.joining`) equal the whole belt.
    public func belt(points: Range<Int>? = nil, progress: ProgressHandler? = nil) throws -> ToyBelt {
        let cfg = configuration, grid = cfg.kappaGrid, g = grid.count, n = cfg.toysPerPoint
        let slice = try cfg.gridSlice(points)
        let obs = observedProfiler()
        var tObs = [Double](repeating: 0, count: g)
        guard obs.tValues(grid, into: &tObs), let best = obs.bestFitKappa() else {
            throw StatisticsError.fitFailed("\(cfg.statistic.rawValue) fit of the observed data")
        }
        let results = try toyValues(points: slice, progress: progress)
        // t_c per grid point, in parallel (each point's cut in its own slot; the first failing
        // point in grid order is reported).
        let cuts = SharedResults(count: g), failed = SharedResults(count: g, initial: 0), sigmas = SharedResults(count: g)
        let errors = Mutex<[Int: any Error]>([:])
        try ParallelTasks.run(taskCount: slice.count, threads: cfg.threads, progress: nil, makeWorker: { () }) { _, index in
            let j = slice.lowerBound + index
            do {
                let cut = try Self.acceptanceCut(toyValues: results.array((j * n)..<((j + 1) * n)), cl: cfg.confidenceLevel,
                                                 kappa: grid[j], maxFailureFraction: cfg.maxFailureFraction)
                cuts[j] = cut.value
                failed[j] = Double(cut.failures)
                sigmas[j] = cut.error
            } catch {
                errors.withLock { $0[j] = error }
            }
        }
        if let first = errors.withLock({ $0.min { $0.key < $1.key } }) { throw first.value }
        var critical = [Double](repeating: .nan, count: g), failures = [Int](repeating: 0, count: g)
        var criticalErrors = critical
        for j in slice {
            critical[j] = cuts[j]
            failures[j] = Int(failed[j])
            criticalErrors[j] = sigmas[j]
        }
        return ToyBelt(statistic: cfg.statistic, confidenceLevel: cfg.confidenceLevel, seed: cfg.seed,
                       toysPerBlock: cfg.toysPerBlock, kappaGrid: grid, criticalValues: critical,
                       observedValues: tObs, toysPerPoint: n, failuresPerPoint: failures,
                       interval: slice.count == g ? KappaInterval.fromGrid(grid, observed: tObs, critical: critical,
                                                                           criticalErrors: criticalErrors) : nil,
                       observedKappa: best.kappa, observedKappaError: best.error, sampler: cfg.sampler,
                       resampleGlobalObservables: model.layout(fittingKappa: true).constraints.isEmpty,
                       criticalValueErrors: criticalErrors, toysAtPoint: ToyBelt.firstPassToys(n, grid: g, slice: slice))
    }

    /// The toys' t(κ_j), grid point j's toys at j·N ..< (j+1)·N (NaN outside `slice` and for
    /// failed fits).
    func toyValues(points slice: Range<Int>, progress: ProgressHandler? = nil) throws -> SharedResults {
        let cfg = configuration, grid = cfg.kappaGrid, g = grid.count, n = cfg.toysPerPoint
        let means = try generationMeans(grid)
        let bs = cfg.toysPerBlock, blocks = (n + bs - 1) / bs
        let results = SharedResults(count: g * n)
        let model = self.model
        // A worker takes all blocks of a grid point at once when there are enough points to
        // share, so each point's Poisson tables are built once.
        let workers = max(1, min(cfg.threads ?? ParallelTasks.defaultThreadCount, slice.count * blocks))
        let chunk = slice.count >= 2 * workers ? blocks : 1
        try ParallelTasks.run(taskCount: slice.count * blocks, threads: cfg.threads, chunk: chunk,
                              group: { $0.groupBlocks }, progress: progress,
                              makeWorker: { try ToyWorker(model: model, statistic: cfg.statistic, sampler: cfg.sampler,
                                                          blockSize: bs) },
                              tasks: { worker, range in
            // Tasks of one range belong to one grid point (a range never crosses a chunk, and a
            // chunk is one point or one block).
            var seeds: [UInt64] = [], counts: [Int] = [], outs: [UnsafeMutablePointer<Double>] = []
            let j = slice.lowerBound + range.lowerBound / blocks
            for index in range {
                let block = index % blocks, first = block * bs
                precondition(slice.lowerBound + index / blocks == j)
                seeds.append(SeedSequence.deriveSeed(master: cfg.seed, indices: [UInt64(j), UInt64(block)]))
                counts.append(min(n, first + bs) - first)
                outs.append(results.pointer.baseAddress! + j * n + first)
            }
            worker.setMeans(on: means.on, off: means.off)
            worker.run(point: j, seeds: seeds, counts: counts, kappa: grid[j], outs: outs)
        })
        return results
    }

    /// t_c from the toy t values of one grid point (NaN = failed toy fit): failures are
    /// counted and excluded; too many is an error. t_c is the smallest toy t with at least a
    /// fraction CL of the valid toys at or below it (inverse empirical CDF), so the acceptance
    /// region t ≤ t_c holds ≥ CL of the toys. `error`: its Monte Carlo error σ(t_c) from the
    /// valid toys (`CriticalValueError`).
    static func acceptanceCut(toyValues: [Double], cl: Double, kappa: Double,
                              maxFailureFraction: Double) throws -> (value: Double, failures: Int, error: Double) {
        var t = toyValues.filter { $0.isFinite }
        let failures = toyValues.count - t.count
        guard !t.isEmpty, Double(failures) <= maxFailureFraction * Double(toyValues.count) else {
            throw StatisticsError.tooManyFailedToys(kappa: kappa, failed: failures, toys: toyValues.count,
                                                    allowedFraction: maxFailureFraction)
        }
        let k = Int((cl * Double(t.count)).rounded(.up))
        t.sort()
        return (t[min(max(k, 1), t.count) - 1], failures, CriticalValueError.sigma(sorted: t, cl: cl))
    }

    /// The k-th smallest element (0-based) of `x` (Hoare's quickselect, median-of-three
    /// pivots; reorders `x`): the value a full sort would put at index k.
    static func select(_ x: inout [Double], _ k: Int) -> Double {
        x.withUnsafeMutableBufferPointer { a in
            var lo = 0, hi = a.count - 1
            while hi > lo {
                let mid = lo + (hi - lo) / 2
                // Median of three to a[mid].
                if a[mid] < a[lo] { a.swapAt(mid, lo) }
                if a[hi] < a[lo] { a.swapAt(hi, lo) }
                if a[hi] < a[mid] { a.swapAt(hi, mid) }
                let pivot = a[mid]
                var i = lo, j = hi
                while i <= j {
                    while a[i] < pivot { i += 1 }
                    while pivot < a[j] { j -= 1 }
                    if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
                }
                if k <= j { hi = j } else if k >= i { lo = i } else { break }
            }
            return a[k]
        }
    }

    /// Median expected upper limit and ±1σ, ±2σ bands: M pseudo-experiments drawn at κ = 0
    /// (nuisances profiled on the observed data at κ = 0), each scanned over the belt's grid
    /// (its own t(κ_j)) and inverted against the belt's t_c(κ_j).
    public func sensitivity(belt: ToyBelt, pseudoExperiments m: Int,
                            progress: ProgressHandler? = nil) throws -> ToySensitivity {
        guard m >= 10, m <= ToyConfiguration.maxToys else {
            throw StatisticsError.invalidOptions("need 10 to \(ToyConfiguration.maxToys) pseudo-experiments (got \(m))")
        }
        guard belt.statistic == configuration.statistic, belt.kappaGrid.count == belt.criticalValues.count else {
            throw StatisticsError.invalidOptions("the belt was built with another statistic or is malformed")
        }
        let cfg = configuration, grid = belt.kappaGrid, critical = belt.criticalValues
        let means = try generationMeans([0])
        let bs = cfg.toysPerBlock, blocks = (m + bs - 1) / bs
        let uppers = SharedResults(count: m), atEnd = SharedResults(count: m, initial: 0)
        let model = self.model
        try ParallelTasks.run(taskCount: blocks, threads: cfg.threads, progress: progress,
                              makeWorker: { try ToyWorker(model: model, statistic: cfg.statistic, sampler: cfg.sampler,
                                                          blockSize: bs, gridPoints: grid.count) },
                              task: { worker, block in
            let first = block * bs, count = min(m, first + bs) - first
            worker.setMeans(on: means.on, off: means.off)
            worker.generate(point: 0, seed: SeedSequence.deriveSeed(master: cfg.seed, indices: [Self.sensitivityStream, UInt64(block)]),
                            count: count)
            worker.scanGrid(grid, count: count) { t, values in
                guard let values else { return }   // a failed fit: counted below
                SensitivityScan.record(values, grid: grid, critical: critical, index: first + t, uppers: uppers, atEnd: atEnd)
            }
        })
        return try SensitivityScan.sensitivity(uppers: uppers, atEnd: atEnd, pseudoExperiments: m, configuration: cfg)
    }

    /// Grid index where t − t_c is smallest.
    static func closestApproach(_ t: [Double], _ critical: [Double]) -> Int {
        var best = 0
        for j in t.indices where t[j] - critical[j] < t[best] - critical[best] { best = j }
        return best
    }

    /// Linearly interpolated sample quantile (Hyndman–Fan type 7).
    static func quantile(sorted x: [Double], _ p: Double) -> Double {
        guard x.count > 1 else { return x.first ?? .nan }
        let h = p * Double(x.count - 1)
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, x.count - 1)
        return x[lo] + (h - Double(lo)) * (x[hi] - x[lo])
    }
}
