import NMMCore

/// χ² fit of the residual rate (ON/t_on − OFF/t_off per keV) with its Gaussian errors to
/// r_i = f·(a·SM_i + κ·MM_i) + c0 + c1·(E_i − E_ref), by GSL's trust-region
/// Levenberg–Marquardt (`NonlinearLeastSquares`) with the analytic Jacobian. Each Gaussian
/// nuisance constraint is an extra residual row (θ − mean)/σ.
public struct ChiSquareFit: Sendable {
    public let input: FitInput
    public let options: FitOptions
    let model: FitModel
    let y: [Double]
    let sigma: [Double]

    public init(input: FitInput, options: FitOptions) throws {
        try input.validate()
        try options.validate()
        self.input = input
        self.options = options
        model = FitModel(input: input, options: options, method: .chi2)
        y = input.residualRate
        if options.residualErrors == .expected {
            // The known rate at the normalisations of the unconditional best fit: the closed-form
            // profiler iterates fit and weights (`ChiSquareProfiler.load`); its weights are used here.
            let prof = ChiSquareProfiler(model: model)
            prof.load(on: input.onCounts, off: input.offCounts)
            sigma = prof.w.map { 1 / $0.squareRoot() }
        } else {
            sigma = input.residualError(rule: options.residualErrors)
        }
    }

    struct Solution {
        var chi2: Double
        var theta: [Double]
        var nls: NonlinearLeastSquares.Result?
    }

    /// Minimise χ² with κ fitted (nil) or held.
    func solve(fixedKappa: Double?) throws -> Solution {
        let layout = model.layout(fittingKappa: fixedKappa == nil)
        var base = model.base
        if let k = fixedKappa { base.kappa = k }
        let n = model.binCount, np = layout.count, rows = n + layout.constraints.count
        if np == 0 {
            var chi2 = 0.0
            for i in 0..<n { let r = (y[i] - model.residualModel(i, base)) / sigma[i]; chi2 += r * r }
            return Solution(chi2: chi2, theta: [], nls: nil)
        }
        guard rows >= np else {
            throw StatisticsError.fitFailed("χ² fit has \(rows) residuals for \(np) parameters")
        }
        let model = self.model, y = self.y, sigma = self.sigma
        var row = [Double](repeating: 0, count: np)
        let residuals: ([Double], inout [Double]) -> Void = { t, r in
            let p = layout.point(t, base: base)
            for i in 0..<n { r[i] = (y[i] - model.residualModel(i, p)) / sigma[i] }
            for (c, con) in layout.constraints.enumerated() { r[n + c] = (t[con.index] - con.mean) / con.sigma }
        }
        let jacobian: ([Double], inout [Double]) -> Void = { t, jac in
            let p = layout.point(t, base: base)
            for k in 0..<(rows * np) { jac[k] = 0 }
            for i in 0..<n {
                model.fillDerivatives(i, p, layout, into: &row)
                for k in 0..<np { jac[i * np + k] = -row[k] / sigma[i] }
            }
            for (c, con) in layout.constraints.enumerated() { jac[(n + c) * np + con.index] = 1 / con.sigma }
        }
        let start = layout.theta(from: base)
        var nls = NonlinearLeastSquares()
        if let cap = options.maxIterations { nls.maxIterations = cap }
        let r = try nls.fit(observations: rows, start: start, residuals: residuals, jacobian: jacobian)
        guard r.chi2.isFinite else { throw StatisticsError.fitFailed("χ² is not finite at the minimum") }
        return Solution(chi2: r.chi2, theta: r.parameters, nls: r)
    }

    /// χ² profiled over the nuisances at fixed κ.
    public func profiledChi2(atKappa kappa: Double) throws -> Double {
        try solve(fixedKappa: kappa).chi2
    }

    /// The best fit with errors, covariance, goodness of fit and the κ profile.
    public func run() throws -> FitResult {
        let best = try solve(fixedKappa: nil)
        guard let nls = best.nls else { throw InternalError("χ² fit without fitted parameters") }
        let layout = model.layout(fittingKappa: true)
        var notes: [String] = []
        if !nls.converged { notes.append("GSL nlinear driver stopped with status \(nls.status) (\(GSL.statusText(nls.status)))") }
        if !nls.covarianceAccurate {
            notes.append("covariance inaccurate: rcond(J) = \(nls.reciprocalCondition)")
        }
        let kIndex = layout.kappaIndex
        let grid = options.profileGrid
            ?? FitResult.defaultProfileGrid(kappa: best.theta[kIndex], error: nls.errors[kIndex])
        var profile: [ProfilePoint] = []
        for k in grid.values {
            profile.append(ProfilePoint(kappa: k, deltaChi2: try profiledChi2(atKappa: k) - best.chi2))
        }
        return FitResult(method: .chi2, parameterNames: layout.parameters.map(\.rawValue), values: best.theta,
                         covariance: nls.covariance, minimum: best.chi2,
                         ndof: model.binCount + layout.constraints.count - layout.count,
                         converged: nls.converged, covarianceAccurate: nls.covarianceAccurate, atLimit: false,
                         iterations: nls.iterations, profile: profile, notes: notes)
    }

    /// The same fit by the closed-form weighted least squares of the toys (exact in one step
    /// for the linear model; Gauss–Newton when f is fitted). Covariance (JᵀWJ + C)⁻¹; no profile.
    public func closedForm() throws -> FitResult {
        let prof = ChiSquareProfiler(model: model)
        prof.load(on: input.onCounts, off: input.offCounts)
        guard let s = prof.fit(fixedKappa: nil) else {
            throw StatisticsError.fitFailed("closed-form least squares: singular normal matrix or no convergence")
        }
        let layout = prof.freeLayout
        let theta = layout.theta(from: s.point)
        let normal = normalMatrix(layout, s.point)
        let cov = SmallLinearAlgebra.inverse(normal)
        return FitResult(method: .chi2, parameterNames: layout.parameters.map(\.rawValue), values: theta,
                         covariance: cov ?? normal.map { $0.map { _ in Double.nan } }, minimum: s.chi2,
                         ndof: model.binCount + layout.constraints.count - layout.count,
                         converged: true, covarianceAccurate: cov != nil, atLimit: false, iterations: 1,
                         notes: ["closed-form weighted least squares"])
    }

    private func normalMatrix(_ layout: ParameterLayout, _ p: ModelPoint) -> [[Double]] {
        let np = layout.count
        var m = [[Double]](repeating: [Double](repeating: 0, count: np), count: np)
        var row = [Double](repeating: 0, count: np)
        for i in 0..<model.binCount {
            model.fillDerivatives(i, p, layout, into: &row)
            let w = 1 / (sigma[i] * sigma[i])
            for k in 0..<np { for l in 0..<np { m[k][l] += w * row[k] * row[l] } }
        }
        for c in layout.constraints { m[c.index][c.index] += 1 / (c.sigma * c.sigma) }
        return m
    }
}
