import NMMCore
/// Closed-form weighted linear least squares for the residual-rate model (used for toys and
/// as the cross-check of `ChiSquareFit`):
///     χ²(θ) = Σ_i w_i (y_i − m_i(θ))² + Σ_c ((θ_c − mean_c)/σ_c)²,  w_i = 1/σ_i²,
/// solved from the normal equations (JᵀWJ + C) δ = JᵀW r + C(mean − θ) by Cholesky.
/// With the flux normalisation held the model is linear, so one step is exact and the
/// profile χ²(κ) is exactly χ²_min + (κ − κ̂)²/V_κκ. With f fitted, the same step is
/// iterated (damped Gauss–Newton) until it stops moving.
final class ChiSquareProfiler: ProfileStatistic {
    struct Solution {
        var chi2: Double
        var point: ModelPoint
        /// (JᵀWJ + C)⁻¹_κκ, when κ was fitted.
        var kappaVariance: Double
    }

    let model: FitModel
    let freeLayout: ParameterLayout
    let fixedLayout: ParameterLayout
    private(set) var on: [Double]
    private(set) var off: [Double]
    private(set) var y: [Double]
    private(set) var w: [Double]
    private let rule: ResidualErrorRule
    private var normal: [Double]
    private var rhs: [Double]
    private var row: [Double]
    private var theta: [Double]
    private var trial: [Double]
    private var work: [Double]
    private var cachedBest: Solution?
    private var cachedPhysicalMinimum: Double?

    var maxIterations = 100

    init(model: FitModel) {
        self.model = model
        freeLayout = model.layout(fittingKappa: true)
        fixedLayout = model.layout(fittingKappa: false)
        rule = model.options.residualErrors
        let n = model.binCount, p = freeLayout.count
        on = [Double](repeating: 0, count: n)
        off = on
        y = on
        w = on
        normal = [Double](repeating: 0, count: p * p)
        rhs = [Double](repeating: 0, count: p)
        row = rhs
        theta = rhs
        trial = rhs
        work = rhs
    }

    /// Loads counts and sets the weights. For the `expected` rule the known rate is
    /// f·a·SM at the held/start normalisations, and when a or f is fitted the weights are
    /// iterated to the unconditional best fit's a·f (fit, reweight, until the weights stop
    /// changing: ≤ 1e-12 relative), then held for every fit of these counts.
    func load(on newOn: [Double], off newOff: [Double]) {
        for i in 0..<model.binCount {
            let a = model.onScale[i], b = model.offScale[i]
            on[i] = newOn[i]
            off[i] = newOff[i]
            y[i] = newOn[i] / a - newOff[i] / b
        }
        setWeights(model.base)
        if rule == .expected && (model.options.smNormalisation.isFitted || model.options.fluxNormalisation.isFitted) {
            for _ in 0..<Self.maxReweightings {
                guard let s = fit(fixedKappa: nil), setWeights(s.point) > 1e-12 else { break }
            }
        }
        cachedBest = nil
        cachedPhysicalMinimum = nil
    }

    /// Fit-and-reweight rounds of the `expected` rule at most (each shrinks the change ≈ 100-fold).
    static let maxReweightings = 30

    /// Weights of the loaded counts with the known rate at `p`; the largest relative change.
    @discardableResult
    private func setWeights(_ p: ModelPoint) -> Double {
        var change = 0.0
        for i in 0..<model.binCount {
            let nw = 1 / FitInput.residualVariance(on: on[i], off: off[i], onScale: model.onScale[i],
                                                   offScale: model.offScale[i], rule: rule,
                                                   knownRate: p.fluxNorm * p.smNorm * model.sm[i])
            change = max(change, w[i] > 0 ? abs(nw - w[i]) / w[i] : .infinity)
            w[i] = nw
        }
        return change
    }

    /// χ² at θ (fitted values of `layout`, held ones from `base`).
    private func chi2(_ t: [Double], _ layout: ParameterLayout, _ base: ModelPoint) -> Double {
        let p = layout.point(t, base: base)
        var s = layout.constraintChi2(t)
        for i in 0..<model.binCount {
            let r = y[i] - model.residualModel(i, p)
            s += w[i] * r * r
        }
        return s
    }

    /// Least-squares fit with κ fitted (nil) or held at `fixedKappa`. Nil if the normal
    /// matrix is singular or Gauss–Newton does not converge.
    func fit(fixedKappa: Double?) -> Solution? {
        let layout = fixedKappa == nil ? freeLayout : fixedLayout
        var base = model.base
        if let k = fixedKappa { base.kappa = k }
        let np = layout.count
        if np == 0 { return Solution(chi2: chi2(theta, layout, base), point: base, kappaVariance: .nan) }
        layout.fill(&theta, from: base)
        var current = chi2(theta, layout, base)
        var kappaVariance = Double.nan
        for _ in 0..<maxIterations {
            let p = layout.point(theta, base: base)
            for k in 0..<(np * np) { normal[k] = 0 }
            for k in 0..<np { rhs[k] = 0 }
            for i in 0..<model.binCount {
                model.fillDerivatives(i, p, layout, into: &row)
                let r = w[i] * (y[i] - model.residualModel(i, p))
                for k in 0..<np {
                    rhs[k] += r * row[k]
                    let wk = w[i] * row[k]
                    for l in 0...k { normal[k * np + l] += wk * row[l] }
                }
            }
            for c in layout.constraints {
                let inv = 1 / (c.sigma * c.sigma)
                normal[c.index * np + c.index] += inv
                rhs[c.index] += (c.mean - theta[c.index]) * inv
            }
            guard SmallLinearAlgebra.cholesky(&normal, np) else { return nil }
            SmallLinearAlgebra.choleskySolve(normal, np, &rhs)     // rhs ← step δ
            if layout.kappaIndex >= 0 {
                kappaVariance = SmallLinearAlgebra.inverseDiagonal(normal, np, layout.kappaIndex, work: &work)
            }
            if model.isLinear {
                for k in 0..<np { theta[k] += rhs[k] }
                return Solution(chi2: chi2(theta, layout, base), point: layout.point(theta, base: base),
                                kappaVariance: kappaVariance)
            }
            // Damped Gauss–Newton: halve the step until χ² does not increase.
            var scale = 1.0, accepted = false, next = current
            for _ in 0..<40 {
                for k in 0..<np { trial[k] = theta[k] + scale * rhs[k] }
                next = chi2(trial, layout, base)
                if next <= current { accepted = true; break }
                scale *= 0.5
            }
            // No decrease even for tiny steps: the GN direction is a descent direction, so
            // we are at the minimum to machine precision.
            guard accepted else {
                return Solution(chi2: current, point: layout.point(theta, base: base), kappaVariance: kappaVariance)
            }
            var small = true
            for k in 0..<np where abs(scale * rhs[k]) > 1e-10 * (1 + abs(theta[k])) { small = false }
            for k in 0..<np { theta[k] = trial[k] }
            let improvement = current - next
            current = next
            if small || improvement < 1e-12 {
                return Solution(chi2: current, point: layout.point(theta, base: base), kappaVariance: kappaVariance)
            }
        }
        return nil
    }

    // MARK: ProfileStatistic

    func bestFitKappa() -> (kappa: Double, error: Double)? {
        guard let s = best() else { return nil }
        return (s.point.kappa, s.kappaVariance.squareRoot())
    }

    private func best() -> Solution? {
        if let cachedBest { return cachedBest }
        cachedBest = fit(fixedKappa: nil)
        return cachedBest
    }

    /// min over κ ≥ 0 of the profiled χ² (at κ̂ if κ̂ ≥ 0, else at κ = 0).
    private func physicalMinimum() -> Double? {
        if let cachedPhysicalMinimum { return cachedPhysicalMinimum }
        guard let b = best() else { return nil }
        if b.point.kappa >= 0 {
            cachedPhysicalMinimum = b.chi2
        } else if model.isLinear {
            cachedPhysicalMinimum = b.chi2 + b.point.kappa * b.point.kappa / b.kappaVariance
        } else {
            cachedPhysicalMinimum = fit(fixedKappa: 0)?.chi2
        }
        return cachedPhysicalMinimum
    }

    func tValue(atKappa kappa: Double) -> Double? {
        guard let b = best(), let minPhys = physicalMinimum() else { return nil }
        if model.isLinear {
            let d = kappa - b.point.kappa
            return max(b.chi2 + d * d / b.kappaVariance - minPhys, 0)
        }
        guard let s = fit(fixedKappa: kappa) else { return nil }
        return max(s.chi2 - minPhys, 0)
    }

    func expectedCounts(atKappa kappa: Double, on onMean: inout [Double], off offMean: inout [Double]) -> Bool {
        guard let s = fit(fixedKappa: kappa) else { return false }
        for i in 0..<model.binCount {
            let prof = OnOffProfile.profile(on: on[i], off: off[i], onScale: model.onScale[i],
                                            offScale: model.offScale[i], signal: model.residualModel(i, s.point))
            onMean[i] = model.onScale[i] * prof.onRate
            offMean[i] = model.offScale[i] * prof.background
        }
        return true
    }
}
