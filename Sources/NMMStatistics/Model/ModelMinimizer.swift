import NMMCore

/// Minimises −2 ln L of a `ModelEvaluator` over the free parameters of a layout: Newton's
/// method with the analytic Hessian, Levenberg damping when the Hessian is not positive
/// definite, and an Armijo backtracking line search (as `PoissonProfiler`). When the Newton
/// decrement gᵀH⁻¹g falls below 1e-10 one more full step is taken (quadratic convergence
/// then leaves the parameters within ≈ 1e-10 σ of the minimum), so fits agree with other exact
/// minimisers to ≈ 1e-10 relative. If Newton stalls (a kink of the profiled deviance where a
/// bin's background switches between its bounds) GSL's nmsimplex2 continues from there.
/// One instance per worker, with its evaluator; nothing allocates in the Newton loop.
final class ModelMinimizer {
    struct Solution {
        /// Full parameter vector (κ, every modifier) at the minimum.
        var parameters: [Double]
        var value: Double
        var converged: Bool
        var iterations: Int
        /// The simplex was needed.
        var usedSimplex: Bool
    }

    let evaluator: ModelEvaluator
    var maxIterations = 200
    static let decrementTolerance = 1e-10

    private var point: [Double]
    private var trial: [Double]
    private var factor: [Double]
    private var step: [Double]
    private var work: [Double]
    private let unconditionalLayout: ModelLayout

    init(_ evaluator: ModelEvaluator) {
        self.evaluator = evaluator
        unconditionalLayout = evaluator.compiled.layout(fittingKappa: true)
        let n = evaluator.maxFree
        point = [Double](repeating: 0, count: evaluator.parameterCount)
        trial = point
        factor = [Double](repeating: 0, count: n * n)
        step = [Double](repeating: 0, count: n)
        work = step
    }

    /// Minimum over the free slots of `layout`, starting from the full vector `start` (held
    /// parameters keep their values). Nil if no finite minimum is found.
    func minimize(_ layout: ModelLayout, from start: [Double]) -> Solution? {
        let nf = layout.count
        for q in 0..<point.count { point[q] = start[q] }
        if nf == 0 {
            let v = evaluator.evaluate(point, layout, derivatives: false)
            return v.isFinite ? Solution(parameters: point, value: v, converged: true, iterations: 0, usedSimplex: false) : nil
        }
        var current = evaluator.evaluate(point, layout, derivatives: true)
        guard current.isFinite else { return nil }
        for iteration in 0..<maxIterations {
            guard newtonStep(nf) else { return simplex(layout, iterations: iteration) }
            var decrement = 0.0
            for k in 0..<nf { decrement -= evaluator.gradient[k] * step[k] }
            if decrement < Self.decrementTolerance {
                // Final full step (tiny): accept unless it makes things worse beyond rounding.
                for q in 0..<point.count { trial[q] = point[q] }
                for k in 0..<nf { trial[layout.free[k]] += step[k] }
                let next = evaluator.evaluate(trial, layout, derivatives: false)
                if next.isFinite && next <= current + 1e-12 * max(1, abs(current)) {
                    for q in 0..<point.count { point[q] = trial[q] }
                    current = next
                }
                return Solution(parameters: point, value: current, converged: true, iterations: iteration + 1,
                                usedSimplex: false)
            }
            // The full step is evaluated with derivatives (usually accepted: no second pass).
            var scale = 1.0, accepted = false, next = current
            for _ in 0..<50 {
                for q in 0..<point.count { trial[q] = point[q] }
                for k in 0..<nf { trial[layout.free[k]] += scale * step[k] }
                next = evaluator.evaluate(trial, layout, derivatives: scale == 1)
                if next <= current - 1e-4 * scale * decrement { accepted = true; break }
                scale *= 0.5
            }
            guard accepted else {
                if decrement < 1e-6 {
                    return Solution(parameters: point, value: current, converged: true, iterations: iteration + 1,
                                    usedSimplex: false)
                }
                return simplex(layout, iterations: iteration)
            }
            for q in 0..<point.count { point[q] = trial[q] }
            current = scale == 1 ? next : evaluator.evaluate(point, layout, derivatives: true)
        }
        return simplex(layout, iterations: maxIterations)
    }

    /// step = −H⁻¹g from the evaluator's last derivatives (Levenberg-damped if needed);
    /// leaves the Cholesky factor in `factor`. False if no damping makes H positive definite.
    private func newtonStep(_ nf: Int) -> Bool {
        let h = evaluator.hessian
        var damping = 0.0
        for _ in 0..<30 {
            for k in 0..<(nf * nf) { factor[k] = h[k] }
            if damping > 0 { for k in 0..<nf { factor[k * nf + k] += damping * max(h[k * nf + k], 1e-12) + damping } }
            if SmallLinearAlgebra.cholesky(&factor, nf) {
                for k in 0..<nf { step[k] = -evaluator.gradient[k] }
                SmallLinearAlgebra.choleskySolve(factor, nf, &step)
                return true
            }
            damping = damping == 0 ? 1e-8 : damping * 10
        }
        return false
    }

    /// nmsimplex2 from the current point (rare; may allocate).
    private func simplex(_ layout: ModelLayout, iterations: Int) -> Solution? {
        let base = point
        let x0 = layout.free.map { base[$0] }
        let steps = x0.map { 0.05 * max(abs($0), 0.1) }
        let ev = evaluator
        var full = base
        let objective: ([Double]) -> Double = { x in
            for (k, q) in layout.free.enumerated() { full[q] = x[k] }
            return ev.evaluate(full, layout, derivatives: false)
        }
        guard let r = try? Minimizer(maxIterations: 5000, simplexSizeTolerance: 1e-10, initialSteps: steps)
                .minimize(start: x0, algorithm: .simplex, objective: objective),
              r.f.isFinite, r.x.allSatisfy(\.isFinite) else { return nil }
        var p = base
        for (k, q) in layout.free.enumerated() { p[q] = r.x[k] }
        return Solution(parameters: p, value: r.f, converged: r.converged, iterations: iterations + r.iterations,
                        usedSimplex: true)
    }

    /// The Hessian (full, or Gauss–Newton) at `p` as a matrix, for covariances.
    func hessianMatrix(at p: [Double], _ layout: ModelLayout, gaussNewton: Bool) -> [[Double]] {
        _ = evaluator.evaluate(p, layout, derivatives: true)
        let nf = layout.count
        let h = gaussNewton ? evaluator.gaussNewton : evaluator.hessian
        return (0..<nf).map { k in (0..<nf).map { l in h[k * nf + l] } }
    }

    /// 2·(H⁻¹)_κκ at `p` (κ in slot 0 of `layout`); NaN if H is not positive definite.
    func kappaVariance(at p: [Double], _ layout: ModelLayout, gaussNewton: Bool) -> Double {
        _ = evaluator.evaluate(p, layout, derivatives: true)
        let nf = layout.count
        let h = gaussNewton ? evaluator.gaussNewton : evaluator.hessian
        for k in 0..<(nf * nf) { factor[k] = h[k] }
        guard SmallLinearAlgebra.cholesky(&factor, nf) else { return .nan }
        return 2 * SmallLinearAlgebra.inverseDiagonal(factor, nf, 0, work: &work)
    }

    /// For the χ² `expected` rule: iterate unconditional fit and weights until the weights
    /// change by ≤ 1e-12 (relative), starting from `start`. No-op (nil) for other rules, for the
    /// Poisson statistic, and when no fitted modifier changes a known sample; else the last
    /// round's minimum (a good start for the best fit with the final weights).
    @discardableResult
    func prepareWeights(from start: [Double]) -> [Double]? {
        guard evaluator.statistic == .chi2, evaluator.rule == .expected, evaluator.knownRateDependsOnFit else { return nil }
        let layout = unconditionalLayout
        var from = start
        for _ in 0..<ChiSquareProfiler.maxReweightings {
            guard let s = minimize(layout, from: from) else { return nil }
            from = s.parameters      // the next round starts at this one's minimum
            guard evaluator.setWeights(knownAt: s.parameters) > 1e-12 else { break }
        }
        return from
    }
}
