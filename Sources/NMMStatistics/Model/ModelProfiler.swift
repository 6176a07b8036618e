import NMMCore

/// The profile statistic of a `StatisticalModel` on one loaded data set (observed, toy or
/// pseudo-experiment, each with its own global observables): the unconditional fit, the
/// conditional fit at fixed κ, and t(κ) = −2 ln[L(κ, θ̂̂)/L(κ̂, θ̂)] with κ̂ ≥ 0
/// (statistics.md §2 step 4). One instance per worker; the fits start from `start` (the toy's
/// generation point in the toy loop), and the best fit and the physical minimum are cached
/// per loaded data set.
final class ModelProfiler {
    let compiled: CompiledModel
    let evaluator: ModelEvaluator
    let minimizer: ModelMinimizer
    let freeLayout: ModelLayout
    let fixedLayout: ModelLayout
    /// Start point of every fit (full parameter vector; κ is overwritten for conditional fits).
    var start: [Double]
    private var scratch: [Double]
    private var cachedBest: ModelMinimizer.Solution?
    private var cachedPhysicalMinimum: Double?
    /// Start of the best fit when the χ² weights were iterated (their last fit's minimum).
    private var bestStart: [Double]?

    init(_ compiled: CompiledModel, statistic: FitMethod, rule: ResidualErrorRule, maxIterations: Int? = nil) {
        self.compiled = compiled
        evaluator = ModelEvaluator(compiled, statistic: statistic, rule: rule)
        minimizer = ModelMinimizer(evaluator)
        if let maxIterations { minimizer.maxIterations = maxIterations }
        freeLayout = compiled.layout(fittingKappa: true)
        fixedLayout = compiled.layout(fittingKappa: false)
        start = compiled.startValues
        scratch = start
        reset()
    }

    /// Forget the cached fits and set the χ² weights of the loaded data (call after loading).
    func reset() {
        cachedBest = nil
        cachedPhysicalMinimum = nil
        bestStart = minimizer.prepareWeights(from: start)
    }

    /// Loads the observed data of the model.
    func loadObserved() {
        evaluator.load(on: compiled.onCounts, off: compiled.offCounts, globals: compiled.globalObservables)
        reset()
    }

    func best() -> ModelMinimizer.Solution? {
        if let cachedBest { return cachedBest }
        cachedBest = minimizer.minimize(freeLayout, from: bestStart ?? start)
        return cachedBest
    }

    /// Fit with κ held at `kappa`, from `start` (or from `from`, a full vector).
    func conditional(_ kappa: Double, from: [Double]? = nil) -> ModelMinimizer.Solution? {
        for q in 0..<scratch.count { scratch[q] = from?[q] ?? start[q] }
        scratch[0] = kappa
        return minimizer.minimize(fixedLayout, from: scratch)
    }

    /// min over κ ≥ 0 of the profiled −2 ln L: at κ̂ if κ̂ ≥ 0, else the fit at κ = 0.
    func physicalMinimum() -> Double? {
        if let cachedPhysicalMinimum { return cachedPhysicalMinimum }
        guard let b = best() else { return nil }
        cachedPhysicalMinimum = b.parameters[0] >= 0 ? b.value : conditional(0, from: b.parameters)?.value
        return cachedPhysicalMinimum
    }

    func tValue(atKappa kappa: Double) -> Double? {
        guard let minPhys = physicalMinimum(), let s = conditional(kappa) else { return nil }
        return max(s.value - minPhys, 0)
    }

    /// q̃(κ) of CCGV 2011 eq. 16 (Cowan, Cranmer, Gross, Vitells, EPJC 71 (2011) 1554): t(κ) with
    /// κ̂ clipped at ≥ 0 when κ̂ ≤ κ, and 0 when κ̂ > κ (the one-sided statistic of upper limits).
    /// The conditional fit starts from `start`, so a value does not depend on other κ evaluated.
    func qTildeValue(atKappa kappa: Double) -> Double? {
        guard let b = best() else { return nil }
        return b.parameters[0] > kappa ? 0 : tValue(atKappa: kappa)
    }

    /// Loads a data set with its own global observables (an Asimov data set: counts may be
    /// non-integer; the Poisson deviance and the χ² residual take them as they are).
    func load(on: [Double], off: [Double], globals: [Double]) {
        evaluator.load(on: on, off: off, globals: globals)
        reset()
    }

    /// t(κ_j) over a grid into `out`; each conditional fit starts from the previous point's
    /// nuisances. False when a fit fails.
    func tValues(_ grid: [Double], into out: inout [Double]) -> Bool {
        guard let minPhys = physicalMinimum(), let b = best() else { return false }
        var from = b.parameters
        for (j, k) in grid.enumerated() {
            guard let s = conditional(k, from: from) else { return false }
            out[j] = max(s.value - minPhys, 0)
            from = s.parameters
        }
        return true
    }

    /// (κ̂, σ_κ) of the loaded data: σ_κ² = 2(H⁻¹)_κκ, H the Hessian of −2 ln L.
    func bestFitKappa() -> (kappa: Double, error: Double)? {
        guard let b = best() else { return nil }
        let v = minimizer.kappaVariance(at: b.parameters, freeLayout, gaussNewton: false)
        return (b.parameters[0], v.squareRoot())
    }

    /// Conditional fit at κ and the expected ON and OFF counts per bin at it, with the per-bin
    /// backgrounds profiled in closed form (`OnOffProfile` with S_i of the fitted point — for
    /// χ² the χ² fit's nuisances, as `FeldmanCousinsToys`). Nil when the fit fails.
    func generationPoint(atKappa kappa: Double, on: inout [Double], off: inout [Double]) -> [Double]? {
        guard let s = conditional(kappa) else { return nil }
        _ = evaluator.evaluate(s.parameters, fixedLayout, derivatives: false)
        for i in 0..<compiled.binCount {
            let p = OnOffProfile.profile(on: evaluator.onCount(i), off: evaluator.offCount(i), onScale: evaluator.onScale(i),
                                         offScale: evaluator.offScale(i), signal: evaluator.expectedRate(i))
            on[i] = evaluator.onScale(i) * p.onRate
            off[i] = evaluator.offScale(i) * p.background
        }
        return s.parameters
    }
}
