import NMMCore

/// The Poisson ON/OFF deviance profiled over the per-bin backgrounds in closed form
/// (`OnOffProfile`), as a function of the fitted parameters θ ⊂ (κ, a, f), plus the
/// Gaussian constraint terms ((θ_c − mean)/σ)²:
///     D(θ) = Σ_i D_i(s_i(θ)) + Σ_c ((θ_c − mean_c)/σ_c)²,  s_i = f·(a·SM_i + κ·MM_i).
/// Gradient and Hessian are analytic (chain rule through dD_i/ds_i, d²D_i/ds_i²). Each
/// D_i is convex in s_i, so with f held D is convex in θ and Newton's method with a
/// backtracking line search finds the global minimum. The χ² background terms are not
/// used: the per-bin backgrounds already absorb any background shape.
/// Guard: f ≤ 0 is outside the domain (D = +∞). κ may be negative: the profiled b_i then
/// grows to keep every ON mean ≥ 0, which the OFF counts penalise.
final class PoissonProfiler: ProfileStatistic {
    struct Solution {
        var deviance: Double
        var point: ModelPoint
        /// 2·(H⁻¹)_κκ (the κ variance of −2 ln L), when κ was fitted.
        var kappaVariance: Double
        var iterations: Int
    }

    let model: FitModel
    let freeLayout: ParameterLayout
    let fixedLayout: ParameterLayout
    private(set) var on: [Double]
    private(set) var off: [Double]
    private(set) var gradient: [Double]
    /// Row-major Hessian of the last derivative evaluation.
    private(set) var hessian: [Double]
    private var factor: [Double]
    private var row: [Double]
    private var theta: [Double]
    private var trial: [Double]
    private var step: [Double]
    private var work: [Double]
    private var cachedBest: Solution?
    private var cachedPhysicalMinimum: Double?

    var maxIterations = 200

    init(model: FitModel) {
        self.model = model
        freeLayout = model.layout(fittingKappa: true)
        fixedLayout = model.layout(fittingKappa: false)
        let n = model.binCount, p = max(freeLayout.count, 1)
        on = [Double](repeating: 0, count: n)
        off = on
        gradient = [Double](repeating: 0, count: p)
        hessian = [Double](repeating: 0, count: p * p)
        factor = hessian
        row = gradient
        theta = gradient
        trial = gradient
        step = gradient
        work = gradient
    }

    func load(on newOn: [Double], off newOff: [Double]) {
        for i in 0..<model.binCount {
            on[i] = newOn[i]
            off[i] = newOff[i]
        }
        cachedBest = nil
        cachedPhysicalMinimum = nil
    }

    /// D(θ); with `derivatives` also fills `gradient` and `hessian`.
    func evaluate(_ t: [Double], _ layout: ParameterLayout, _ base: ModelPoint, derivatives: Bool) -> Double {
        let p = layout.point(t, base: base)
        if layout.fluxIndex >= 0 && !(p.fluxNorm > 0) { return .infinity }
        let np = layout.count
        if derivatives {
            for k in 0..<np { gradient[k] = 0 }
            for k in 0..<(np * np) { hessian[k] = 0 }
        }
        var d = 0.0
        for i in 0..<model.binCount {
            let prof = OnOffProfile.profile(on: on[i], off: off[i], onScale: model.onScale[i],
                                            offScale: model.offScale[i], signal: model.signal(i, p))
            d += prof.deviance
            guard derivatives else { continue }
            model.fillDerivatives(i, p, layout, into: &row)
            for k in 0..<np {
                gradient[k] += prof.slope * row[k]
                for l in 0...k {
                    var h = prof.curvature * row[k] * row[l]
                    if layout.fluxIndex >= 0 { h += prof.slope * model.signalSecondDerivative(i, k, l, layout) }
                    hessian[k * np + l] += h
                }
            }
        }
        for c in layout.constraints {
            let inv = 1 / (c.sigma * c.sigma), dv = t[c.index] - c.mean
            d += dv * dv * inv
            if derivatives {
                gradient[c.index] += 2 * dv * inv
                hessian[c.index * np + c.index] += 2 * inv
            }
        }
        if derivatives {
            for k in 0..<np { for l in (k + 1)..<max(np, k + 1) { hessian[k * np + l] = hessian[l * np + k] } }
        }
        return d.isNaN ? .infinity : d
    }

    /// Minimise D with κ fitted (nil) or held at `fixedKappa`, starting from `start` (fitted
    /// values) or the model's start values. Nil if Newton fails.
    func fit(fixedKappa: Double?, start: [Double]? = nil) -> Solution? {
        let layout = fixedKappa == nil ? freeLayout : fixedLayout
        var base = model.base
        if let k = fixedKappa { base.kappa = k }
        let np = layout.count
        if np == 0 {
            return Solution(deviance: evaluate(theta, layout, base, derivatives: false), point: base,
                            kappaVariance: .nan, iterations: 0)
        }
        layout.fill(&theta, from: base)
        if let start { for k in 0..<np { theta[k] = start[k] } }
        var current = evaluate(theta, layout, base, derivatives: true)
        guard current.isFinite else { return nil }
        for iteration in 0..<maxIterations {
            // Newton step, with Levenberg damping if H is not positive definite.
            var damping = 0.0
            var factored = false
            for _ in 0..<30 {
                for k in 0..<(np * np) { factor[k] = hessian[k] }
                if damping > 0 { for k in 0..<np { factor[k * np + k] += damping * max(hessian[k * np + k], 1e-12) + damping } }
                if SmallLinearAlgebra.cholesky(&factor, np) { factored = true; break }
                damping = damping == 0 ? 1e-8 : damping * 10
            }
            guard factored else { return fallback(layout, base, iterations: iteration) }
            for k in 0..<np { step[k] = -gradient[k] }
            SmallLinearAlgebra.choleskySolve(factor, np, &step)
            var decrement = 0.0
            for k in 0..<np { decrement -= gradient[k] * step[k] }
            if decrement < 1e-10 {
                return finish(layout, base, current, iteration)
            }
            var scale = 1.0, accepted = false
            for _ in 0..<50 {
                for k in 0..<np { trial[k] = theta[k] + scale * step[k] }
                let next = evaluate(trial, layout, base, derivatives: false)
                if next <= current - 1e-4 * scale * decrement { accepted = true; break }
                scale *= 0.5
            }
            guard accepted else {
                // No sufficient decrease: accept only if already at the minimum numerically.
                return decrement < 1e-6 ? finish(layout, base, current, iteration)
                    : fallback(layout, base, iterations: iteration)
            }
            for k in 0..<np { theta[k] = trial[k] }
            current = evaluate(theta, layout, base, derivatives: true)
        }
        return fallback(layout, base, iterations: maxIterations)
    }

    /// When Newton stalls — at a kink of D, where an empty bin (n = m = 0) switches its
    /// profiled background between b = 0 and u = 0 and the deviance is only piecewise
    /// smooth (still convex) — continue from θ with the derivative-free simplex (GSL
    /// nmsimplex2). Nil only if that fails too. Rare, so it may allocate.
    private func fallback(_ layout: ParameterLayout, _ base: ModelPoint, iterations: Int) -> Solution? {
        let np = layout.count
        let start = Array(theta[0..<np])
        let steps = start.map { 0.05 * max(abs($0), 0.1) }
        let objective: ([Double]) -> Double = { x in self.evaluate(x, layout, base, derivatives: false) }
        guard let r = try? Minimizer(maxIterations: 5000, simplexSizeTolerance: 1e-10, initialSteps: steps)
                .minimize(start: start, algorithm: .simplex, objective: objective),
              r.converged, r.f.isFinite, r.x.allSatisfy(\.isFinite) else { return nil }
        for k in 0..<np { theta[k] = r.x[k] }
        let d = evaluate(theta, layout, base, derivatives: true)   // Hessian for the κ variance
        return finish(layout, base, d, iterations + r.iterations)
    }

    private func finish(_ layout: ParameterLayout, _ base: ModelPoint, _ d: Double, _ iterations: Int) -> Solution {
        var variance = Double.nan
        let np = layout.count
        if layout.kappaIndex >= 0 {
            for k in 0..<(np * np) { factor[k] = hessian[k] }
            if SmallLinearAlgebra.cholesky(&factor, np) {
                variance = 2 * SmallLinearAlgebra.inverseDiagonal(factor, np, layout.kappaIndex, work: &work)
            }
        }
        return Solution(deviance: d, point: layout.point(theta, base: base), kappaVariance: variance,
                        iterations: iterations)
    }

    // MARK: ProfileStatistic

    private func best() -> Solution? {
        if let cachedBest { return cachedBest }
        cachedBest = fit(fixedKappa: nil)
        return cachedBest
    }

    func bestFitKappa() -> (kappa: Double, error: Double)? {
        guard let s = best() else { return nil }
        return (s.point.kappa, s.kappaVariance.squareRoot())
    }

    /// min over κ ≥ 0 (convexity in κ: the boundary κ = 0 when κ̂ < 0).
    private func physicalMinimum() -> Double? {
        if let cachedPhysicalMinimum { return cachedPhysicalMinimum }
        guard let b = best() else { return nil }
        cachedPhysicalMinimum = b.point.kappa >= 0 ? b.deviance : fit(fixedKappa: 0)?.deviance
        return cachedPhysicalMinimum
    }

    func tValue(atKappa kappa: Double) -> Double? {
        guard let minPhys = physicalMinimum(), let s = fit(fixedKappa: kappa) else { return nil }
        return max(s.deviance - minPhys, 0)
    }

    func expectedCounts(atKappa kappa: Double, on onMean: inout [Double], off offMean: inout [Double]) -> Bool {
        guard let s = fit(fixedKappa: kappa) else { return false }
        for i in 0..<model.binCount {
            let prof = OnOffProfile.profile(on: on[i], off: off[i], onScale: model.onScale[i],
                                            offScale: model.offScale[i], signal: model.signal(i, s.point))
            onMean[i] = model.onScale[i] * prof.onRate
            offMean[i] = model.offScale[i] * prof.background
        }
        return true
    }
}
