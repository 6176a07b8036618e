import NMMCore

/// Feldman–Cousins belt of a `StatisticalModel` by toy Monte Carlo with the profile
/// construction of statistics.md §2 (FC 1998 Sec. IV; Cranmer, PHYSTAT 2003; the LHC Higgs
/// combination recipe). For each grid point κ_j:
///  1. fit the observed data (with the observed global observables) at κ = κ_j → θ̂(κ_j), and
///     the per-bin backgrounds b̂_i(κ_j) in closed form (`ModelProfiler.generationPoint`; for
///     χ² the nuisances of the χ² fit, as `FeldmanCousinsToys`);
///  2. each toy draws ON_i ~ Pois(α_i(b̂_i + S_i)), OFF_i ~ Pois(β_i b̂_i) at (κ_j, θ̂(κ_j)) and the
///     global observables θ̃ around θ̂(κ_j) (`GlobalObservables`; held at the observed values
///     when `configuration.resampleGlobalObservables` is false);
///  3. each toy is fitted with its own θ̃ in the constraint terms;
///  4. t(κ_j) = −2 ln[L(κ_j, θ̂̂)/L(κ̂, θ̂)] with κ̂ ≥ 0; t_c(κ_j) its CL quantile
///     (`FeldmanCousinsToys.acceptanceCut`), and the interval {κ_j : t_obs ≤ t_c} (`KappaInterval`).
/// The statistic is `configuration.statistic`; `options` give the χ² variance rule and the
/// iteration cap. Streams: block k of grid point j uses deriveSeed(seed, [j, k]) (sensitivity:
/// [UInt64.max, k]); a toy's t depends only on its stream and its grid point, so belts are
/// bit-identical for any thread count and any slicing of the grid (`ToyBelt.joining`).
/// Every toy fit starts from its generation point (κ_j, θ̂(κ_j)).
public struct ModelToys: BeltConstruction {
    public let model: StatisticalModel
    public let options: ModelFitOptions
    public let configuration: ToyConfiguration
    let compiled: CompiledModel
    /// Toys by the nuisance block kernels where they settle (`NuisanceBlockKernel`); false: every
    /// toy by the general profiler (the reference, for tests and benchmarks).
    var nuisanceFastPath = true

    public init(model: StatisticalModel, options: ModelFitOptions = ModelFitOptions(),
                configuration: ToyConfiguration) throws {
        try options.validate()
        try configuration.validate()
        self.model = model
        self.options = options
        self.configuration = configuration
        compiled = try CompiledModel(model)
        let layout = compiled.layout(fittingKappa: true)
        guard compiled.binCount + compiled.fittedConstraintCount >= layout.count else {
            throw StatisticsError.tooFewBins(bins: compiled.binCount, constraints: compiled.fittedConstraintCount,
                                             parameters: layout.free.map { compiled.parameterNames[$0] })
        }
    }

    var statistic: FitMethod { configuration.statistic.method }

    private func observedProfiler() -> ModelProfiler {
        let p = ModelProfiler(compiled, statistic: statistic, rule: options.residualErrors,
                              maxIterations: options.maxIterations)
        p.loadObserved()
        return p
    }

    /// Generation points at `kappas` (each conditional fit starts from the observed best fit,
    /// so a point does not depend on the others).
    func generationPoints(_ kappas: [Double]) throws -> [ModelGenerationPoint] {
        let obs = observedProfiler()
        guard let best = obs.best() else {
            throw StatisticsError.fitFailed("\(statistic.rawValue) fit of the observed data (model)")
        }
        obs.start = best.parameters
        var on = [Double](repeating: 0, count: compiled.binCount), off = on
        return try kappas.map { k in
            guard let p = obs.generationPoint(atKappa: k, on: &on, off: &off) else {
                throw StatisticsError.fitFailed("profiling the nuisances on the observed data at κ = \(k)")
            }
            return ModelGenerationPoint(on: on, off: off, parameters: p)
        }
    }

    private func makeWorker(gridPoints: Int = 0) throws -> ModelToyWorker {
        try ModelToyWorker(compiled, statistic: statistic, options: options, sampler: configuration.sampler,
                           blockSize: configuration.toysPerBlock, resample: configuration.resampleGlobalObservables,
                           gridPoints: gridPoints, fastPath: nuisanceFastPath)
    }

    /// The belt; `points` restricts the toys to a slice of the grid (a shard), the other points
    /// get t_c = NaN.
    public func belt(points: Range<Int>? = nil, progress: ProgressHandler? = nil) throws -> ToyBelt {
        let cfg = configuration, grid = cfg.kappaGrid, g = grid.count, n = cfg.toysPerPoint
        let slice = try cfg.gridSlice(points)
        let obs = observedProfiler()
        var tObs = [Double](repeating: 0, count: g)
        guard obs.tValues(grid, into: &tObs), let best = obs.bestFitKappa() else {
            throw StatisticsError.fitFailed("\(statistic.rawValue) fit of the observed data (model)")
        }
        let results = try toyValues(points: slice, progress: progress)
        var critical = [Double](repeating: .nan, count: g), failures = [Int](repeating: 0, count: g)
        var criticalErrors = critical
        for j in slice {
            let cut = try FeldmanCousinsToys.acceptanceCut(toyValues: results.array((j * n)..<((j + 1) * n)),
                                                           cl: cfg.confidenceLevel, kappa: grid[j],
                                                           maxFailureFraction: cfg.maxFailureFraction)
            critical[j] = cut.value
            failures[j] = cut.failures
            criticalErrors[j] = cut.error
        }
        return ToyBelt(statistic: cfg.statistic, confidenceLevel: cfg.confidenceLevel, seed: cfg.seed,
                       toysPerBlock: cfg.toysPerBlock, kappaGrid: grid, criticalValues: critical,
                       observedValues: tObs, toysPerPoint: n, failuresPerPoint: failures,
                       interval: slice.count == g ? KappaInterval.fromGrid(grid, observed: tObs, critical: critical,
                                                                           criticalErrors: criticalErrors) : nil,
                       observedKappa: best.kappa, observedKappaError: best.error, sampler: cfg.sampler,
                       resampleGlobalObservables: cfg.resampleGlobalObservables || compiled.constrainedParameters.isEmpty,
                       criticalValueErrors: criticalErrors, toysAtPoint: ToyBelt.firstPassToys(n, grid: g, slice: slice))
    }

    /// t(κ_j) of whole blocks of toys at chosen grid points (adaptive toys, `AdaptiveToys`):
    /// block k of point j is drawn from deriveSeed(seed, [j, k]) with `configuration.toys(inBlock:)`
    /// toys, exactly as in `toyValues(points:)`, so a point's first-pass toys come out unchanged.
    /// One array per request, its blocks in order (NaN: failed fit).
    func toyValues(blocks requests: [ToyBlockRequest], progress: ProgressHandler?) throws -> [[Double]] {
        let cfg = configuration, grid = cfg.kappaGrid
        let gens = try generationPoints(requests.map { grid[$0.point] })
        let layout = ToyBlockLayout(requests, configuration: cfg, group: 1)
        let results = SharedResults(count: layout.totalToys)
        let make: @Sendable () throws -> ModelToyWorker = { try self.makeWorker() }
        try ParallelTasks.run(taskCount: layout.tasks.count, threads: cfg.threads, progress: progress, makeWorker: make,
                              task: { worker, index in
            let task = layout.tasks[index], j = requests[task.request].point
            for (b, k) in task.blocks.enumerated() {
                let count = cfg.toys(inBlock: k)
                worker.generate(gens[task.request], key: j,
                                seed: SeedSequence.deriveSeed(master: cfg.seed, indices: [UInt64(j), UInt64(k)]), count: count)
                worker.tValues(atKappa: grid[j], count: count, into: results.pointer.baseAddress! + task.offsets[b])
            }
        })
        return layout.split(results)
    }

    /// The toys' t(κ_j): grid point j's toys at j·N ..< (j+1)·N (NaN outside `slice` and for
    /// failed fits).
    func toyValues(points slice: Range<Int>, progress: ProgressHandler? = nil) throws -> SharedResults {
        let cfg = configuration, grid = cfg.kappaGrid, g = grid.count, n = cfg.toysPerPoint
        let gens = try generationPoints(Array(grid[slice]))
        let bs = cfg.toysPerBlock, blocks = (n + bs - 1) / bs
        let results = SharedResults(count: g * n)
        let workers = max(1, min(cfg.threads ?? ParallelTasks.defaultThreadCount, slice.count * blocks))
        let chunk = slice.count >= 2 * workers ? blocks : 1
        let make: @Sendable () throws -> ModelToyWorker = { try self.makeWorker() }
        try ParallelTasks.run(taskCount: slice.count * blocks, threads: cfg.threads, chunk: chunk, progress: progress,
                              makeWorker: make, task: { worker, index in
            let local = index / blocks, j = slice.lowerBound + local, block = index % blocks, first = block * bs
            let count = min(n, first + bs) - first
            worker.generate(gens[local], key: j,
                            seed: SeedSequence.deriveSeed(master: cfg.seed, indices: [UInt64(j), UInt64(block)]), count: count)
            worker.tValues(atKappa: grid[j], count: count, into: results.pointer.baseAddress! + j * n + first)
        })
        return results
    }

    /// Median expected upper limit and ±1σ, ±2σ bands: M pseudo-experiments drawn at κ = 0
    /// (nuisances from the observed data's fit at κ = 0, global observables drawn as in the
    /// toys), each scanned over the belt's grid and inverted against its t_c (as
    /// `FeldmanCousinsToys.sensitivity`).
    public func sensitivity(belt: ToyBelt, pseudoExperiments m: Int,
                            progress: ProgressHandler? = nil) throws -> ToySensitivity {
        guard m >= 10, m <= ToyConfiguration.maxToys else {
            throw StatisticsError.invalidOptions("need 10 to \(ToyConfiguration.maxToys) pseudo-experiments (got \(m))")
        }
        guard belt.statistic == configuration.statistic, belt.kappaGrid.count == belt.criticalValues.count else {
            throw StatisticsError.invalidOptions("the belt was built with another statistic or is malformed")
        }
        let cfg = configuration, grid = belt.kappaGrid, critical = belt.criticalValues
        let gen = try generationPoints([0])[0]
        let bs = cfg.toysPerBlock, blocks = (m + bs - 1) / bs
        let uppers = SharedResults(count: m), atEnd = SharedResults(count: m, initial: 0)
        let make: @Sendable () throws -> ModelToyWorker = { try self.makeWorker(gridPoints: grid.count) }
        try ParallelTasks.run(taskCount: blocks, threads: cfg.threads, progress: progress, makeWorker: make,
                              task: { worker, block in
            let first = block * bs, count = min(m, first + bs) - first
            worker.generate(gen, key: -1, seed: SeedSequence.deriveSeed(master: cfg.seed,
                                                                        indices: [FeldmanCousinsToys.sensitivityStream, UInt64(block)]),
                            count: count)
            worker.scanGrid(grid, count: count) { t, values in
                guard let values else { return }
                SensitivityScan.record(values, grid: grid, critical: critical, index: first + t, uppers: uppers, atEnd: atEnd)
            }
        })
        return try SensitivityScan.sensitivity(uppers: uppers, atEnd: atEnd, pseudoExperiments: m, configuration: cfg)
    }
}
