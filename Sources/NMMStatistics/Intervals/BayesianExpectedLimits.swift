import Foundation
import NMMCore

/// Expected Bayesian limits (median, ±1σ, ±2σ) from background-only pseudo-experiments:
/// counts drawn at the conditional fit of the observed data at κ = 0 (ON ~ Pois(α(b̂ + S)),
/// OFF ~ Pois(β b̂), b̂ in closed form as in `ModelToys`), global observables drawn around
/// θ̂(0) with each constraint (`GlobalObservables`). Each pseudo-experiment is refitted and its
/// limit computed under every configured prior with `pseudoExperimentSegments` segments.
/// Pseudo-experiment e draws from deriveSeed(seed, [expectedStream, e]) (mt19937: ON counts,
/// OFF counts, then one normal per constrained modifier) and samples its nuisances from
/// [samplingStream, e + 1]: the bands do not depend on the thread count.
struct BayesianExpectedLimits {
    struct Result {
        var bands: [IntervalMethod: LimitBands]
        var failed: [IntervalMethod: Int]
        /// Limits per method (NaN: failed), in pseudo-experiment order.
        var limits: [IntervalMethod: [Double]]
    }

    let construction: BayesianLimit

    func run(progress: ProgressHandler?) throws -> Result {
        let c = construction, cfg = c.configuration, compiled = c.compiled, m = cfg.pseudoExperiments
        let methods = cfg.methods
        let observed = ModelProfiler(compiled, statistic: c.options.statistic, rule: c.options.residualErrors,
                                     maxIterations: c.options.maxIterations)
        observed.loadObserved()
        guard let best = observed.best() else {
            throw StatisticsError.fitFailed("\(c.options.statistic.rawValue) fit of the observed data (Bayesian expected limits)")
        }
        observed.start = best.parameters
        var meanOn = [Double](repeating: 0, count: compiled.binCount), meanOff = meanOn
        guard let centre = observed.generationPoint(atKappa: 0, on: &meanOn, off: &meanOff) else {
            throw StatisticsError.fitFailed("profiling the nuisances on the observed data at κ = 0 (Bayesian expected limits)")
        }
        let generation = ModelGenerationPoint(on: meanOn, off: meanOff, parameters: centre)
        let results = SharedResults(count: m * methods.count)
        let make: @Sendable () throws -> (BayesianPosterior, RandomGenerator) = {
            (try c.makePosterior(), try RandomGenerator(seed: 0))
        }
        try ParallelTasks.run(taskCount: m, threads: cfg.threads, progress: progress, makeWorker: make, task: { worker, e in
            let (posterior, rng) = worker
            do {
                let (on, off, globals) = Self.draw(generation, compiled, rng: rng,
                                                   seed: SeedSequence.deriveSeed(master: cfg.seed, indices: [BayesianLimit.expectedStream, UInt64(e)]))
                try posterior.integrand.load(on: on, off: off, globals: globals)
                try posterior.nuisances.drawSamples(seed: SeedSequence.deriveSeed(master: cfg.seed,
                                                                                 indices: [BayesianLimit.samplingStream, UInt64(e) + 1]))
                for (k, method) in methods.enumerated() {
                    let s = try posterior.posterior(method, confidenceLevel: cfg.confidenceLevel, segments: cfg.pseudoExperimentSegments)
                    results[k * m + e] = BayesianPosterior.kappa(method, s.upper)
                }
            } catch {
                // Left NaN: counted as failed.
            }
        })
        var bands: [IntervalMethod: LimitBands] = [:], failed: [IntervalMethod: Int] = [:], limits: [IntervalMethod: [Double]] = [:]
        for (k, method) in methods.enumerated() {
            let all = results.array((k * m)..<((k + 1) * m))
            let ok = all.filter(\.isFinite).sorted()
            guard ok.count * 10 >= m * 9 else {
                throw StatisticsError.fitFailed("\(m - ok.count) of \(m) Bayesian pseudo-experiments failed (\(method.rawValue))")
            }
            bands[method] = LimitBands(values: LimitBands.quantiles.map { FeldmanCousinsToys.quantile(sorted: ok, $0) })
            failed[method] = m - ok.count
            limits[method] = all
        }
        return Result(bands: bands, failed: failed, limits: limits)
    }

    /// One pseudo-experiment's counts and global observables (per parameter; NaN where unconstrained).
    static func draw(_ point: ModelGenerationPoint, _ compiled: CompiledModel, rng: RandomGenerator,
                     seed: UInt64) -> (on: [Double], off: [Double], globals: [Double]) {
        rng.reseed(seed)
        let on = point.on.map { Double(rng.poisson(mean: $0)) }
        let off = point.off.map { Double(rng.poisson(mean: $0)) }
        var globals = compiled.globalObservables
        for q in compiled.constrainedParameters {
            globals[q] = compiled.constraints[q].globalObservable(center: point.parameters[q], standardNormal: rng.gaussian())
        }
        return (on, off, globals)
    }
}
