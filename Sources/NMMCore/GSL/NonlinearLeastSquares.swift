internal import CGSL

/// Nonlinear least squares, min_θ Σᵢ rᵢ(θ)², through gsl_multifit_nlinear (trust region
/// with Levenberg–Marquardt steps). Residuals are expected already divided by their σ,
/// so the covariance (JᵀJ)⁻¹ at the minimum is the parameter covariance (no χ²/dof scaling).
///
/// Allocation, init, covariance and condition-number failures throw `GSLError`. A driver
/// that stops without meeting its tolerances returns a result with `converged == false`
/// and the GSL `status`.
public struct NonlinearLeastSquares: Sendable {
    public struct Result: Sendable {
        public var parameters: [Double]
        /// Row-major p × p covariance (JᵀJ)⁻¹ from gsl_multifit_nlinear_covar.
        public var covariance: [[Double]]
        public var errors: [Double] { (0..<parameters.count).map { covariance[$0][$0].squareRoot() } }
        public var chi2: Double
        public var residuals: [Double]
        /// Driver status (GSL_SUCCESS = 0 when a convergence test passed).
        public var status: Int32
        /// Which test stopped the driver: 1 = small step, 2 = small gradient.
        public var info: Int32
        public var iterations: Int
        public var converged: Bool
        /// Reciprocal condition number of J at the minimum (gsl_multifit_nlinear_rcond).
        public var reciprocalCondition: Double
        /// false when J is so ill-conditioned that (JᵀJ)⁻¹ has lost all precision
        /// (rcond(J) < `rcondThreshold`, i.e. cond(JᵀJ) > 1/ε), or has a non-positive diagonal.
        public var covarianceAccurate: Bool
    }

    public var maxIterations: Int
    public var xtol: Double
    public var gtol: Double
    public var ftol: Double
    /// Covariance is flagged inaccurate below this rcond(J); default √ε ≈ 1.5e-8.
    public var rcondThreshold: Double

    public init(maxIterations: Int = 500, xtol: Double = 1e-10, gtol: Double = 1e-10,
                ftol: Double = 0, rcondThreshold: Double = Double.ulpOfOne.squareRoot()) {
        self.maxIterations = maxIterations
        self.xtol = xtol
        self.gtol = gtol
        self.ftol = ftol
        self.rcondThreshold = rcondThreshold
    }

    /// Fit `start.count` parameters to `observations` residuals. `residuals(θ, &r)` fills r;
    /// `jacobian(θ, &J)` fills the row-major n × p matrix ∂rᵢ/∂θⱼ (nil = finite differences).
    public func fit(observations n: Int, start: [Double],
                    residuals: ([Double], inout [Double]) -> Void,
                    jacobian: (([Double], inout [Double]) -> Void)? = nil) throws -> Result {
        GSL.setUp()
        let p = start.count
        precondition(p > 0 && n >= p, "need at least as many residuals (\(n)) as parameters (\(p))")
        return try withoutActuallyEscaping(residuals) { res in
            try Self.withOptional(jacobian) { jac in
                var problem = LSQProblem(n: n, p: p, residuals: res, jacobian: jac)
                return try withUnsafeMutablePointer(to: &problem) { pp in
                    try run(pp, n: n, start: start, hasJacobian: jac != nil)
                }
            }
        }
    }

    private static func withOptional<R>(_ g: (([Double], inout [Double]) -> Void)?,
                                        _ body: ((([Double], inout [Double]) -> Void)?) throws -> R) rethrows -> R {
        guard let g else { return try body(nil) }
        return try withoutActuallyEscaping(g) { try body($0) }
    }

    private func run(_ pp: UnsafeMutablePointer<LSQProblem>, n: Int, start: [Double],
                     hasJacobian: Bool) throws -> Result {
        let p = start.count
        var fdf = gsl_multifit_nlinear_fdf()
        fdf.f = { x, params, f in
            let prob = params!.assumingMemoryBound(to: LSQProblem.self)
            GSLBuffers.copy(x!, into: &prob.pointee.x)
            prob.pointee.residuals(prob.pointee.x, &prob.pointee.r)
            for i in 0..<prob.pointee.n {
                let v = prob.pointee.r[i]
                guard v.isFinite else { return Int32(GSL_EBADFUNC) }
                gsl_vector_set(f!, i, v)
            }
            return Int32(GSL_SUCCESS)
        }
        if hasJacobian {
            fdf.df = { x, params, J in
                let prob = params!.assumingMemoryBound(to: LSQProblem.self)
                GSLBuffers.copy(x!, into: &prob.pointee.x)
                prob.pointee.jacobian!(prob.pointee.x, &prob.pointee.jac)
                let np = prob.pointee.p
                for i in 0..<prob.pointee.n {
                    for j in 0..<np { gsl_matrix_set(J!, i, j, prob.pointee.jac[i * np + j]) }
                }
                return Int32(GSL_SUCCESS)
            }
        }
        fdf.n = n
        fdf.p = p
        fdf.params = UnsafeMutableRawPointer(pp)

        var par = gsl_multifit_nlinear_default_parameters()
        par.trs = cgsl_nlinear_trs_lm()
        guard let w = gsl_multifit_nlinear_alloc(cgsl_nlinear_trust(), &par, n, p) else {
            throw GSLError(routine: "gsl_multifit_nlinear_alloc", status: Int32(GSL_ENOMEM))
        }
        defer { gsl_multifit_nlinear_free(w) }
        let x0 = try GSLBuffers.vector(start, routine: "nlinear start")
        defer { gsl_vector_free(x0) }
        let covar = try GSLBuffers.matrix(rows: p, columns: p, routine: "nlinear covariance")
        defer { gsl_matrix_free(covar) }

        return try withUnsafeMutablePointer(to: &fdf) { fdfp in   // w keeps fdfp: init + driver inside
            let st = gsl_multifit_nlinear_init(x0, fdfp, w)
            guard st == GSL_SUCCESS else {
                throw GSLError(routine: "gsl_multifit_nlinear_init", status: st, context: "evaluating the start point")
            }
            var info: Int32 = 0
            let status = gsl_multifit_nlinear_driver(maxIterations, xtol, gtol, ftol, nil, nil, &info, w)
            let r = gsl_multifit_nlinear_residual(w)!
            var chi2 = 0.0
            let dot = gsl_blas_ddot(r, r, &chi2)
            guard dot == GSL_SUCCESS else { throw GSLError(routine: "gsl_blas_ddot", status: dot) }
            let cs = gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 0.0, covar)
            guard cs == GSL_SUCCESS else { throw GSLError(routine: "gsl_multifit_nlinear_covar", status: cs) }
            var rcond = 0.0
            let rs = gsl_multifit_nlinear_rcond(&rcond, w)
            guard rs == GSL_SUCCESS else { throw GSLError(routine: "gsl_multifit_nlinear_rcond", status: rs) }
            let cov = GSLBuffers.rows(covar, count: p)
            let diagOK = (0..<p).allSatisfy { cov[$0][$0] > 0 && cov[$0][$0].isFinite }
            return Result(parameters: GSLBuffers.array(gsl_multifit_nlinear_position(w)),
                          covariance: cov, chi2: chi2, residuals: GSLBuffers.array(r),
                          status: status, info: info, iterations: gsl_multifit_nlinear_niter(w),
                          converged: status == GSL_SUCCESS,
                          reciprocalCondition: rcond,
                          covarianceAccurate: diagOK && rcond >= rcondThreshold)
        }
    }
}

private struct LSQProblem {
    let n: Int
    let p: Int
    let residuals: ([Double], inout [Double]) -> Void
    let jacobian: (([Double], inout [Double]) -> Void)?
    var x: [Double]
    var r: [Double]
    var jac: [Double]

    init(n: Int, p: Int, residuals: @escaping ([Double], inout [Double]) -> Void,
         jacobian: (([Double], inout [Double]) -> Void)?) {
        self.n = n
        self.p = p
        self.residuals = residuals
        self.jacobian = jacobian
        x = [Double](repeating: 0, count: p)
        r = [Double](repeating: 0, count: n)
        jac = [Double](repeating: 0, count: jacobian == nil ? 0 : n * p)
    }
}
