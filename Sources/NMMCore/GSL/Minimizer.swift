internal import CGSL

/// Unconstrained minimisation of f: Rⁿ → R through GSL's gsl_multimin:
/// Nelder–Mead (nmsimplex2, derivative-free) or vector BFGS (bfgs2) with an analytic
/// gradient or a central-difference one.
///
/// A failed allocation or `_set` throws `GSLError`. A minimisation that stops without
/// meeting its tolerance is *not* thrown: the result carries the GSL `status` and
/// `converged == false`, so a caller can fall back to another algorithm; call
/// `result.requireConverged()` to turn it into an error.
public struct Minimizer: Sendable {
    public enum Algorithm: String, Sendable {
        case simplex = "nmsimplex2"
        case bfgs = "bfgs2"
    }

    public struct Result: Sendable {
        public var x: [Double]
        public var f: Double
        public var iterations: Int
        /// Last GSL status (GSL_SUCCESS = 0 when the tolerance test passed).
        public var status: Int32
        public var converged: Bool
        public var algorithm: Algorithm
        /// Simplex size (nmsimplex2) or gradient norm (bfgs2) at the end.
        public var finalTestValue: Double

        public func requireConverged(context: String = "") throws {
            guard converged else {
                throw GSLError(routine: "gsl_multimin (\(algorithm.rawValue))",
                               status: status == GSL_SUCCESS ? Int32(GSL_EMAXITER) : status,
                               context: context.isEmpty ? "minimising" : context)
            }
        }
    }

    public var maxIterations: Int
    /// nmsimplex2: stop when the simplex characteristic size is below this.
    public var simplexSizeTolerance: Double
    /// bfgs2: stop when |∇f| is below this (absolute; choose it for the scale of f, see
    /// toolchain.md pitfall 7). A GSL_ENOPROG stop with |∇f| < 100 × this is accepted.
    public var gradientTolerance: Double
    /// Initial simplex steps (nmsimplex2); nil = 0.1 × max(|x₀ᵢ|, 1).
    public var initialSteps: [Double]?
    /// bfgs2 first trial step and line-search tolerance (GSL recommends 0.1 for the latter).
    public var bfgsFirstStep: Double
    public var bfgsLineTolerance: Double
    /// Numeric gradient: central difference with hᵢ = this × max(|xᵢ|, 1).
    public var numericRelativeStep: Double

    public init(maxIterations: Int = 2000, simplexSizeTolerance: Double = 1e-8,
                gradientTolerance: Double = 1e-6, initialSteps: [Double]? = nil,
                bfgsFirstStep: Double = 0.01, bfgsLineTolerance: Double = 0.1,
                numericRelativeStep: Double = 1e-5) {
        self.maxIterations = maxIterations
        self.simplexSizeTolerance = simplexSizeTolerance
        self.gradientTolerance = gradientTolerance
        self.initialSteps = initialSteps
        self.bfgsFirstStep = bfgsFirstStep
        self.bfgsLineTolerance = bfgsLineTolerance
        self.numericRelativeStep = numericRelativeStep
    }

    /// Minimise `objective` from `start`. `gradient(x, &g)` fills g (length n); with bfgs2
    /// and no gradient a central-difference gradient is used. Return `.infinity` from the
    /// objective for points outside its domain.
    public func minimize(start: [Double], algorithm: Algorithm = .bfgs,
                         objective: ([Double]) -> Double,
                         gradient: (([Double], inout [Double]) -> Void)? = nil) throws -> Result {
        GSL.setUp()
        precondition(!start.isEmpty, "Minimizer needs at least one parameter")
        return try withoutActuallyEscaping(objective) { obj in
            try Self.withOptional(gradient) { grad in
                var problem = MinimizerProblem(n: start.count, objective: obj, gradient: grad,
                                               relativeStep: numericRelativeStep)
                return try withUnsafeMutablePointer(to: &problem) { pp in
                    switch algorithm {
                    case .simplex: return try runSimplex(pp, start: start)
                    case .bfgs: return try runBFGS(pp, start: start)
                    }
                }
            }
        }
    }

    private static func withOptional<R>(_ g: (([Double], inout [Double]) -> Void)?,
                                        _ body: ((([Double], inout [Double]) -> Void)?) throws -> R) rethrows -> R {
        guard let g else { return try body(nil) }
        return try withoutActuallyEscaping(g) { try body($0) }
    }

    private func runSimplex(_ pp: UnsafeMutablePointer<MinimizerProblem>, start: [Double]) throws -> Result {
        let n = start.count
        let x = try GSLBuffers.vector(start, routine: "nmsimplex2 start")
        defer { gsl_vector_free(x) }
        let steps = initialSteps ?? start.map { 0.1 * max(abs($0), 1) }
        let step = try GSLBuffers.vector(steps, routine: "nmsimplex2 steps")
        defer { gsl_vector_free(step) }
        guard let s = gsl_multimin_fminimizer_alloc(cgsl_multimin_nmsimplex2(), n) else {
            throw GSLError(routine: "gsl_multimin_fminimizer_alloc", status: Int32(GSL_ENOMEM))
        }
        defer { gsl_multimin_fminimizer_free(s) }
        var fn = gsl_multimin_function(
            f: { v, p in
                let prob = p!.assumingMemoryBound(to: MinimizerProblem.self)
                GSLBuffers.copy(v!, into: &prob.pointee.x)
                return prob.pointee.objective(prob.pointee.x)
            },
            n: n, params: UnsafeMutableRawPointer(pp))
        return try withUnsafeMutablePointer(to: &fn) { fnp in   // GSL keeps fnp: set + iterate inside
            let st = gsl_multimin_fminimizer_set(s, fnp, x, step)
            guard st == GSL_SUCCESS else { throw GSLError(routine: "gsl_multimin_fminimizer_set", status: st) }
            var iter = 0, status = Int32(GSL_CONTINUE), size = Double.infinity
            while iter < maxIterations {
                iter += 1
                let it = gsl_multimin_fminimizer_iterate(s)
                if it != GSL_SUCCESS { status = it; break }
                size = gsl_multimin_fminimizer_size(s)
                status = gsl_multimin_test_size(size, simplexSizeTolerance)
                if status != GSL_CONTINUE { break }
            }
            let converged = status == GSL_SUCCESS
            return Result(x: GSLBuffers.array(gsl_multimin_fminimizer_x(s)),
                          f: gsl_multimin_fminimizer_minimum(s), iterations: iter,
                          status: status == GSL_CONTINUE ? Int32(GSL_EMAXITER) : status,
                          converged: converged, algorithm: .simplex, finalTestValue: size)
        }
    }

    private func runBFGS(_ pp: UnsafeMutablePointer<MinimizerProblem>, start: [Double]) throws -> Result {
        let n = start.count
        let x = try GSLBuffers.vector(start, routine: "bfgs2 start")
        defer { gsl_vector_free(x) }
        guard let s = gsl_multimin_fdfminimizer_alloc(cgsl_multimin_bfgs2(), n) else {
            throw GSLError(routine: "gsl_multimin_fdfminimizer_alloc", status: Int32(GSL_ENOMEM))
        }
        defer { gsl_multimin_fdfminimizer_free(s) }
        var fdf = gsl_multimin_function_fdf(
            f: { v, p in
                let prob = p!.assumingMemoryBound(to: MinimizerProblem.self)
                GSLBuffers.copy(v!, into: &prob.pointee.x)
                return prob.pointee.objective(prob.pointee.x)
            },
            df: { v, p, g in
                let prob = p!.assumingMemoryBound(to: MinimizerProblem.self)
                GSLBuffers.copy(v!, into: &prob.pointee.x)
                prob.pointee.fillGradient()
                for i in 0..<prob.pointee.n { gsl_vector_set(g!, i, prob.pointee.g[i]) }
            },
            fdf: { v, p, f, g in
                let prob = p!.assumingMemoryBound(to: MinimizerProblem.self)
                GSLBuffers.copy(v!, into: &prob.pointee.x)
                f!.pointee = prob.pointee.objective(prob.pointee.x)
                prob.pointee.fillGradient()
                for i in 0..<prob.pointee.n { gsl_vector_set(g!, i, prob.pointee.g[i]) }
            },
            n: n, params: UnsafeMutableRawPointer(pp))
        return try withUnsafeMutablePointer(to: &fdf) { fdfp in   // GSL keeps fdfp: set + iterate inside
            let st = gsl_multimin_fdfminimizer_set(s, fdfp, x, bfgsFirstStep, bfgsLineTolerance)
            guard st == GSL_SUCCESS else { throw GSLError(routine: "gsl_multimin_fdfminimizer_set", status: st) }
            var iter = 0, status = Int32(GSL_CONTINUE), gnorm = Double.infinity
            while iter < maxIterations {
                let grad = gsl_multimin_fdfminimizer_gradient(s)!
                gnorm = gsl_blas_dnrm2(grad)
                status = gsl_multimin_test_gradient(grad, gradientTolerance)
                if status != GSL_CONTINUE { break }
                iter += 1
                let it = gsl_multimin_fdfminimizer_iterate(s)
                if it != GSL_SUCCESS {
                    gnorm = gsl_blas_dnrm2(gsl_multimin_fdfminimizer_gradient(s)!)
                    // ENOPROG after convergence (pitfall 7): accept a small gradient.
                    status = (it == GSL_ENOPROG && gnorm < 100 * gradientTolerance) ? Int32(GSL_SUCCESS) : it
                    break
                }
            }
            let fval = gsl_multimin_fdfminimizer_minimum(s)
            let converged = status == GSL_SUCCESS && fval.isFinite
            return Result(x: GSLBuffers.array(gsl_multimin_fdfminimizer_x(s)), f: fval,
                          iterations: iter,
                          status: status == GSL_CONTINUE ? Int32(GSL_EMAXITER) : status,
                          converged: converged, algorithm: .bfgs, finalTestValue: gnorm)
        }
    }
}

/// Callback context passed to GSL through `params` (a pointer to a stack value that lives
/// for the whole minimisation).
private struct MinimizerProblem {
    let n: Int
    let objective: ([Double]) -> Double
    let gradient: (([Double], inout [Double]) -> Void)?
    let relativeStep: Double
    var x: [Double]
    var g: [Double]
    var probe: [Double]

    init(n: Int, objective: @escaping ([Double]) -> Double,
         gradient: (([Double], inout [Double]) -> Void)?, relativeStep: Double) {
        self.n = n
        self.objective = objective
        self.gradient = gradient
        self.relativeStep = relativeStep
        x = [Double](repeating: 0, count: n)
        g = x
        probe = x
    }

    /// g ← ∇f(x), analytic when given, else central differences.
    mutating func fillGradient() {
        if let gradient { gradient(x, &g); return }
        probe = x
        for i in 0..<n {
            let h = relativeStep * max(abs(x[i]), 1)
            probe[i] = x[i] + h
            let fp = objective(probe)
            probe[i] = x[i] - h
            let fm = objective(probe)
            probe[i] = x[i]
            g[i] = (fp - fm) / (2 * h)
        }
    }
}
