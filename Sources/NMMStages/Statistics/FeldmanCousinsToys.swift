import NMMCore

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
/// thread count. Each worker allocates its buffers once; the toy loop does not allocate.
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
    private func generationMeans(_ kappas: [Double]) throws -> (on: [Double], off: [Double]) {
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
        let slice = points ?? 0..<g
        guard slice.lowerBound >= 0, slice.upperBound <= g else {
            throw StatisticsError.invalidOptions("grid slice \(slice) outside the \(g) grid points")
        }
        let obs = observedProfiler()
        var tObs = [Double](repeating: 0, count: g)
        guard obs.tValues(grid, into: &tObs), let best = obs.bestFitKappa() else {
            throw StatisticsError.fitFailed("\(cfg.statistic.rawValue) fit of the observed data")
        }
        let means = try generationMeans(grid)
        let blocks = (n + cfg.toysPerBlock - 1) / cfg.toysPerBlock
        let results = SharedResults(count: g * n)
        let model = self.model, nb = model.binCount
        try ParallelTasks.run(taskCount: slice.count * blocks, threads: cfg.threads, progress: progress,
                              makeWorker: { try ToyWorker(model: model, statistic: cfg.statistic) },
                              task: { worker, index in
            let j = slice.lowerBound + index / blocks, block = index % blocks
            worker.rng.reseed(SeedSequence.deriveSeed(master: cfg.seed, indices: [UInt64(j), UInt64(block)]))
            worker.setMeans(on: means.on, off: means.off)
            for toy in (block * cfg.toysPerBlock)..<min(n, (block + 1) * cfg.toysPerBlock) {
                worker.draw(offset: j * nb)
                worker.profiler.load(on: worker.on, off: worker.off)
                results[j * n + toy] = worker.profiler.tValue(atKappa: grid[j]) ?? .nan
            }
        })
        var critical = [Double](repeating: .nan, count: g), failures = [Int](repeating: 0, count: g)
        for j in slice {
            (critical[j], failures[j]) = try Self.acceptanceCut(toyValues: results.array((j * n)..<((j + 1) * n)),
                                                                cl: cfg.confidenceLevel, kappa: grid[j],
                                                                maxFailureFraction: cfg.maxFailureFraction)
        }
        return ToyBelt(statistic: cfg.statistic, confidenceLevel: cfg.confidenceLevel, seed: cfg.seed,
                       toysPerBlock: cfg.toysPerBlock, kappaGrid: grid, criticalValues: critical,
                       observedValues: tObs, toysPerPoint: n, failuresPerPoint: failures,
                       interval: slice.count == g ? KappaInterval.fromGrid(grid, observed: tObs, critical: critical) : nil,
                       observedKappa: best.kappa, observedKappaError: best.error)
    }

    /// t_c from the toy t values of one grid point (NaN = failed toy fit): failures are
    /// counted and excluded; too many is an error. t_c is the smallest toy t with at least a
    /// fraction CL of the valid toys at or below it (inverse empirical CDF), so the acceptance
    /// region t ≤ t_c holds ≥ CL of the toys.
    static func acceptanceCut(toyValues: [Double], cl: Double, kappa: Double,
                              maxFailureFraction: Double) throws -> (value: Double, failures: Int) {
        var t = toyValues.filter { $0.isFinite }
        let failures = toyValues.count - t.count
        guard !t.isEmpty, Double(failures) <= maxFailureFraction * Double(toyValues.count) else {
            throw StatisticsError.tooManyFailedToys(kappa: kappa, failed: failures, toys: toyValues.count,
                                                    allowedFraction: maxFailureFraction)
        }
        t.sort()
        let k = Int((cl * Double(t.count)).rounded(.up))
        return (t[min(max(k, 1), t.count) - 1], failures)
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
        let blocks = (m + cfg.toysPerBlock - 1) / cfg.toysPerBlock
        let uppers = SharedResults(count: m), atEnd = SharedResults(count: m, initial: 0)
        let model = self.model
        try ParallelTasks.run(taskCount: blocks, threads: cfg.threads, progress: progress,
                              makeWorker: { try ToyWorker(model: model, statistic: cfg.statistic, gridPoints: grid.count) },
                              task: { worker, block in
            worker.rng.reseed(SeedSequence.deriveSeed(master: cfg.seed, indices: [Self.sensitivityStream, UInt64(block)]))
            worker.setMeans(on: means.on, off: means.off)
            for pe in (block * cfg.toysPerBlock)..<min(m, (block + 1) * cfg.toysPerBlock) {
                worker.draw(offset: 0)
                worker.profiler.load(on: worker.on, off: worker.off)
                guard worker.profiler.tValues(grid, into: &worker.tGrid),
                      let interval = KappaInterval.fromGrid(grid, observed: worker.tGrid, critical: critical) else { continue }
                uppers[pe] = interval.upper
                atEnd[pe] = interval.upperAtGridEnd ? 1 : 0
            }
        })
        var limits = uppers.array(0..<m).filter { $0.isFinite }
        let failed = m - limits.count
        guard Double(failed) <= cfg.maxFailureFraction * Double(m), !limits.isEmpty else {
            throw StatisticsError.tooManyFailedToys(kappa: 0, failed: failed, toys: m, allowedFraction: cfg.maxFailureFraction)
        }
        limits.sort()
        let bands = LimitBands(values: LimitBands.quantiles.map { Self.quantile(sorted: limits, $0) })
        return ToySensitivity(bands: bands, pseudoExperiments: m, failed: failed,
                              atGridEnd: Int(atEnd.array(0..<m).reduce(0, +)), seed: cfg.seed)
    }

    /// Linearly interpolated sample quantile (Hyndman–Fan type 7).
    static func quantile(sorted x: [Double], _ p: Double) -> Double {
        guard x.count > 1 else { return x.first ?? .nan }
        let h = p * Double(x.count - 1)
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, x.count - 1)
        return x[lo] + (h - Double(lo)) * (x[hi] - x[lo])
    }
}

/// Per-worker state: a profiler, a generator and the toy buffers, allocated once.
final class ToyWorker {
    let profiler: any ProfileStatistic
    let rng: RandomGenerator
    var on: [Double]
    var off: [Double]
    var tGrid: [Double]
    /// This worker's own copies of the generation means (flattened bins × points).
    private(set) var onMeans: [Double] = []
    private(set) var offMeans: [Double] = []

    init(model: FitModel, statistic: ToyStatistic, gridPoints: Int = 0) throws {
        profiler = statistic.makeProfiler(model.isolatedCopy())
        rng = try RandomGenerator(seed: 0)
        on = [Double](repeating: 0, count: model.binCount)
        off = on
        tGrid = [Double](repeating: 0, count: gridPoints)
    }

    /// Keep private copies of the generation means (first call only).
    func setMeans(on: [Double], off: [Double]) {
        guard onMeans.isEmpty else { return }
        onMeans = on.map { $0 }
        offMeans = off.map { $0 }
    }

    /// One toy: ON then OFF counts, bin by bin, from the means at `offset`.
    @inline(__always)
    func draw(offset: Int) {
        for i in 0..<on.count { on[i] = Double(rng.poisson(mean: onMeans[offset + i])) }
        for i in 0..<off.count { off[i] = Double(rng.poisson(mean: offMeans[offset + i])) }
    }
}
