import NMMCore

/// Binned joint Poisson likelihood of the ON and OFF spectra:
///     ON_i ~ Poisson(t_on·Δ_i·(b_i + s_i)),  OFF_i ~ Poisson(t_off·Δ_i·b_i),
///     s_i = f·(a·SM_i + κ·MM_i),
/// with each background b_i ≥ 0 profiled in closed form (`OnOffProfile`) and −2 ln L
/// written as a Poisson deviance (saturated model subtracted, so it is χ²-like with
/// ndof = bins + constraints − fitted parameters). The deviance is minimised over κ and the
/// fitted normalisations with GSL bfgs2 and the analytic gradient; if bfgs2 does not
/// converge, nmsimplex2 continues from where it stopped. Errors come from the analytic
/// Hessian of the profiled deviance: covariance = 2·H⁻¹.
///
/// The χ² background terms (`FitOptions.background`) are ignored here: the per-bin profiled
/// backgrounds absorb any background shape. κ is unbounded below; the profiled b_i keep every
/// expected ON count ≥ 0 (guard), and f ≤ 0 is excluded.
public struct PoissonOnOffFit: Sendable {
    public let input: FitInput
    public let options: FitOptions
    let model: FitModel

    public init(input: FitInput, options: FitOptions) throws {
        try input.validate()
        try options.validate()
        self.input = input
        self.options = options
        model = FitModel(input: input, options: options, method: .poisson)
    }

    struct Solution {
        var deviance: Double
        var theta: [Double]
        var iterations: Int
        var converged: Bool
        var notes: [String]
    }

    private func makeProfiler() -> PoissonProfiler {
        let p = PoissonProfiler(model: model)
        p.load(on: input.onCounts, off: input.offCounts)
        return p
    }

    func solve(fixedKappa: Double?) throws -> Solution {
        let prof = makeProfiler()
        let layout = fixedKappa == nil ? prof.freeLayout : prof.fixedLayout
        var base = model.base
        if let k = fixedKappa { base.kappa = k }
        if layout.count == 0 {
            let d = prof.evaluate([0], layout, base, derivatives: false)
            guard d.isFinite else { throw StatisticsError.fitFailed("Poisson deviance is not finite at κ = \(base.kappa)") }
            return Solution(deviance: d, theta: [], iterations: 0, converged: true, notes: [])
        }
        let objective: ([Double]) -> Double = { t in prof.evaluate(t, layout, base, derivatives: false) }
        let gradient: ([Double], inout [Double]) -> Void = { t, g in
            _ = prof.evaluate(t, layout, base, derivatives: true)
            for k in 0..<layout.count { g[k] = prof.gradient[k] }
        }
        let start = layout.theta(from: base)
        var notes: [String] = []
        var bfgs = Minimizer(gradientTolerance: 1e-5)
        if let cap = options.maxIterations { bfgs.maxIterations = cap }
        var r = try bfgs.minimize(start: start, algorithm: .bfgs, objective: objective, gradient: gradient)
        var iterations = r.iterations
        if !r.converged {
            notes.append("bfgs2 stopped with status \(r.status) (\(GSL.statusText(r.status))); continued with nmsimplex2")
            let from = r.f.isFinite ? r.x : start
            let steps = from.map { 0.1 * max(abs($0), 0.1) }
            var simplex = Minimizer(simplexSizeTolerance: 1e-9, initialSteps: steps)
            if let cap = options.maxIterations { simplex.maxIterations = cap }
            let s = try simplex.minimize(start: from, algorithm: .simplex, objective: objective)
            iterations += s.iterations
            // The simplex starts where bfgs2 stopped, so it is never worse; keep bfgs2's
            // point only if the simplex found nothing finite.
            if s.f.isFinite || !r.f.isFinite { r = s }
        }
        // Not converged is a flag of the result (CONVERGD = F), not an error; only a fit
        // that never reached a finite deviance is one.
        guard r.f.isFinite, r.x.allSatisfy(\.isFinite) else {
            throw StatisticsError.fitFailed("Poisson ON/OFF fit found no finite deviance (\(r.algorithm.rawValue) status \(r.status))")
        }
        if !r.converged {
            notes.append("\(r.algorithm.rawValue) stopped with status \(r.status) (\(GSL.statusText(r.status))) after \(iterations) iterations: not converged")
        }
        return Solution(deviance: r.f, theta: r.x, iterations: iterations, converged: r.converged, notes: notes)
    }

    /// Deviance profiled over the fitted normalisations (and per-bin backgrounds) at fixed κ.
    public func profiledDeviance(atKappa kappa: Double) throws -> Double {
        try solve(fixedKappa: kappa).deviance
    }

    public func run() throws -> FitResult {
        let best = try solve(fixedKappa: nil)
        let prof = makeProfiler()
        let layout = prof.freeLayout
        let np = layout.count
        _ = prof.evaluate(best.theta, layout, model.base, derivatives: true)
        let hessian = (0..<np).map { k in (0..<np).map { l in prof.hessian[k * np + l] } }
        var notes = best.notes
        let (covariance, accurate) = Self.covariance(fromDevianceHessian: hessian)
        if !accurate { notes.append("covariance inaccurate: the deviance Hessian is (nearly) singular") }

        let point = layout.point(best.theta, base: model.base)
        var zeroBackground = 0
        for i in 0..<model.binCount {
            let p = OnOffProfile.profile(on: input.onCounts[i], off: input.offCounts[i], onScale: model.onScale[i],
                                         offScale: model.offScale[i], signal: model.signal(i, point))
            if p.background <= 0 { zeroBackground += 1 }
        }
        if zeroBackground > 0 { notes.append("\(zeroBackground) bin(s) with the profiled background at its bound b = 0") }
        if options.background != .none { notes.append("background terms ignored: the Poisson fit profiles the background per bin") }
        let atLimit = layout.fluxIndex >= 0 && best.theta[layout.fluxIndex] < 1e-6

        let kIndex = layout.kappaIndex
        let kErr = covariance[kIndex][kIndex] > 0 ? covariance[kIndex][kIndex].squareRoot() : .nan
        let grid = options.profileGrid ?? FitResult.defaultProfileGrid(kappa: best.theta[kIndex], error: kErr)
        var profile: [ProfilePoint] = []
        for k in grid.values {
            profile.append(ProfilePoint(kappa: k, deltaChi2: try profiledDeviance(atKappa: k) - best.deviance))
        }
        return FitResult(method: .poisson, parameterNames: layout.parameters.map(\.rawValue), values: best.theta,
                         covariance: covariance, minimum: best.deviance,
                         ndof: model.binCount + layout.constraints.count - np,
                         converged: best.converged, covarianceAccurate: accurate, atLimit: atLimit,
                         iterations: best.iterations, profile: profile, notes: notes)
    }

    /// covariance = 2·H⁻¹ for a deviance D = −2 ln L. "Accurate" when H is positive definite
    /// and its correlation-scaled form has a smallest Cholesky pivot² above √ε (a cheap
    /// reciprocal-condition estimate).
    static func covariance(fromDevianceHessian h: [[Double]]) -> ([[Double]], Bool) {
        let n = h.count
        let nanMatrix = h.map { $0.map { _ in Double.nan } }
        guard (0..<n).allSatisfy({ h[$0][$0] > 0 }) else { return (nanMatrix, false) }
        var scaled = [Double](repeating: 0, count: n * n)
        for k in 0..<n {
            for l in 0..<n {
                let norm: Double = (h[k][k] * h[l][l]).squareRoot()
                scaled[k * n + l] = h[k][l] / norm
            }
        }
        guard SmallLinearAlgebra.cholesky(&scaled, n), let inv = SmallLinearAlgebra.inverse(h) else {
            return (nanMatrix, false)
        }
        var minPivot2 = 1.0
        for k in 0..<n {
            let pivot = scaled[k * n + k]
            minPivot2 = min(minPivot2, pivot * pivot)
        }
        let covariance: [[Double]] = inv.map { row in row.map { 2 * $0 } }
        return (covariance, minPivot2 > Double.ulpOfOne.squareRoot())
    }
}
