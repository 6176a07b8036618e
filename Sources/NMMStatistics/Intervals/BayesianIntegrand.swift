import Foundation
import NMMCore

/// ln of the Bayesian integrand L(data | κ, θ)·π(θ) of a `StatisticalModel` for one loaded
/// data set (observed or pseudo-experiment, with its global observables), as a function of κ
/// and the nuisance coordinates u, up to a constant that does not depend on (κ, u):
///  • Poisson: Σ_i ln I_i(S_i(κ, θ)), each bin's background marginalised analytically under a
///    flat prior b_i ≥ 0 (`OnOffBackgroundMarginal`);
///  • χ²: −χ²(κ, θ)/2 with the engine's bin variances (`ModelEvaluator`; for the `expected`
///    rule, the SM rate at the unconditional best fit of the loaded data, held), no per-bin
///    background parameters;
///  • nuisances: every fitted modifier. The prior is its constraint term read as a density,
///    exp(−c(θ; θ̃)/2): Gaussian in θ (Gaussian normalisation, shape α), Gaussian in u = ln θ
///    for a log-normal constraint (integrated in u, so the prior is the log-normal density
///    in θ with its 1/θ, as Combine's lnN); flat in θ for free normalisations (ON-only terms).
///    Normalisations that must stay > 0 get zero density at θ ≤ 0 (truncated prior).
/// u_a = θ_a except u_a = ln θ_a for log-normal modifiers.
final class BayesianIntegrand {
    let compiled: CompiledModel
    let statistic: FitMethod
    let profiler: ModelProfiler
    /// Parameter indices of the integrated nuisances (the fitted modifiers, model order).
    let nuisances: [Int]
    /// Per nuisance: integrated in ln θ.
    let logScale: [Bool]
    private var bins: [OnOffBackgroundMarginal] = []
    private var point: [Double]
    /// Best fit (κ free) of the loaded data: the start of every conditional fit.
    private(set) var bestFit: [Double]
    /// (κ̂, σ_κ) of the loaded data's profile fit (the scale of the κ integration).
    private(set) var kappaScale: (kappa: Double, error: Double)

    init(_ compiled: CompiledModel, options: ModelFitOptions) {
        self.compiled = compiled
        statistic = options.statistic
        profiler = ModelProfiler(compiled, statistic: options.statistic, rule: options.residualErrors,
                                 maxIterations: options.maxIterations)
        nuisances = profiler.fixedLayout.free
        logScale = nuisances.map { q in
            if case .logNormal = compiled.constraints[q] { true } else { false }
        }
        point = compiled.startValues
        bestFit = compiled.startValues
        kappaScale = (0, 1)
    }

    var dimension: Int { nuisances.count }

    /// Loads the observed data and global observables of the model.
    func loadObserved() throws {
        try load(on: compiled.onCounts, off: compiled.offCounts, globals: compiled.globalObservables)
    }

    /// Loads counts (per concatenated bin) and global observables (per parameter), fits them.
    func load(on: [Double], off: [Double], globals: [Double]) throws {
        profiler.start = compiled.startValues
        profiler.evaluator.load(on: on, off: off, globals: globals)
        profiler.reset()
        guard let best = profiler.best(), let scale = profiler.bestFitKappa() else {
            throw StatisticsError.fitFailed("\(statistic.rawValue) fit of the data for the Bayesian limit")
        }
        bestFit = best.parameters
        kappaScale = (scale.kappa, scale.error.isFinite && scale.error > 0 ? scale.error : max(abs(scale.kappa), 1))
        if statistic == .poisson {
            let e = profiler.evaluator
            bins = (0..<compiled.binCount).map {
                OnOffBackgroundMarginal(on: e.onCount($0), off: e.offCount($0), onScale: e.onScale($0), offScale: e.offScale($0))
            }
        }
    }

    /// θ from the nuisance coordinates u.
    @inline(__always)
    func theta(_ a: Int, _ u: Double) -> Double { logScale[a] ? exp(u) : u }

    /// ln[L·π] at κ and nuisance coordinates `u` (−∞ outside the domain).
    func logDensity(kappa: Double, _ u: UnsafePointer<Double>) throws -> Double {
        point[0] = kappa
        for a in 0..<nuisances.count { point[nuisances[a]] = theta(a, u[a]) }
        let e = profiler.evaluator
        switch statistic {
        case .chi2:
            let v = e.evaluate(point, profiler.fixedLayout, derivatives: false)
            return v.isFinite ? -0.5 * v : -.infinity
        case .poisson:
            guard e.fillExpectedRates(point) else { return -.infinity }
            var total = 0.0
            for i in 0..<bins.count { total += try bins[i].logIntegral(signal: e.expectedRate(i)) }
            for q in nuisances where compiled.constraints[q].isConstrained {
                total -= 0.5 * compiled.constraints[q].penalty(point[q], globalObservable: e.globals[q])
            }
            return total.isNaN ? -.infinity : total
        }
    }

    /// The conditional mode û(κ) of the profile fit and the lower Cholesky factor L of
    /// A = ½ ∂²(−2 ln L)/∂u∂u (the Gaussian approximation's inverse covariance, A = L Lᵀ),
    /// row-major. A Hessian that is not positive definite (a nuisance at a bound) is
    /// Levenberg-damped; `damped` says so.
    func mode(kappa: Double) throws -> (centre: [Double], factor: [Double], damped: Bool) {
        guard let s = profiler.conditional(kappa, from: bestFit) else {
            throw StatisticsError.fitFailed("\(statistic.rawValue) fit of the nuisances at κ = \(kappa) (Bayesian limit)")
        }
        let d = nuisances.count
        let h = profiler.minimizer.hessianMatrix(at: s.parameters, profiler.fixedLayout, gaussNewton: false)
        let g = (0..<d).map { profiler.evaluator.gradient[$0] }
        let jac = (0..<d).map { logScale[$0] ? s.parameters[nuisances[$0]] : 1 }
        var a = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d { a[i * d + j] = 0.5 * jac[i] * jac[j] * h[i][j] }
            if logScale[i] { a[i * d + i] += 0.5 * jac[i] * g[i] }
        }
        let centre = (0..<d).map { logScale[$0] ? log(s.parameters[nuisances[$0]]) : s.parameters[nuisances[$0]] }
        var damping = 0.0
        for _ in 0..<40 {
            var f = a
            if damping > 0 { for i in 0..<d { f[i * d + i] += damping * max(abs(a[i * d + i]), 1e-12) + damping } }
            if SmallLinearAlgebra.cholesky(&f, d) {
                for i in 0..<d { for j in (i + 1)..<max(d, i + 1) { f[i * d + j] = 0 } }
                return (centre, f, damping > 0)
            }
            damping = damping == 0 ? 1e-8 : damping * 10
        }
        throw StatisticsError.fitFailed("the curvature of the nuisances at κ = \(kappa) is not positive definite (Bayesian limit)")
    }
}
