internal import CGSL

/// One-dimensional bracketing root finding through GSL (Brent–Dekker: `gsl_root_fsolver_brent`),
/// hiding the C callback.
public struct RootFinder: Sendable {
    public var absoluteTolerance: Double
    public var relativeTolerance: Double
    public var maxIterations: Int

    public init(absoluteTolerance: Double = 0, relativeTolerance: Double = 1e-10, maxIterations: Int = 200) {
        self.absoluteTolerance = absoluteTolerance
        self.relativeTolerance = relativeTolerance
        self.maxIterations = maxIterations
    }

    /// The root of f in [a, b] (f(a) and f(b) of opposite signs), to |x − x*| ≤ absoluteTolerance +
    /// relativeTolerance·|x| (`gsl_root_test_interval`). Throws GSLError when the bracket does not
    /// hold, f is not finite inside it, or the iterations run out.
    public func root(in a: Double, _ b: Double, context: String = "", _ f: (Double) -> Double) throws -> Double {
        GSL.setUp()
        let fa = f(a), fb = f(b)
        guard fa.isFinite, fb.isFinite else {
            throw GSLError(routine: "gsl_root_fsolver_brent", status: Int32(GSL_EBADFUNC),
                           context: "\(context): f is not finite at the bracket [\(a), \(b)]")
        }
        if fa == 0 { return a }
        if fb == 0 { return b }
        return try withoutActuallyEscaping(f) { ef in
            var fn = ef
            return try withUnsafeMutablePointer(to: &fn) { fp in
                var gf = gsl_function(
                    function: { x, p in p!.assumingMemoryBound(to: ((Double) -> Double).self).pointee(x) },
                    params: UnsafeMutableRawPointer(fp))
                guard let s = gsl_root_fsolver_alloc(cgsl_root_fsolver_brent()) else {
                    throw GSLError(routine: "gsl_root_fsolver_alloc", status: Int32(GSL_ENOMEM), context: context)
                }
                defer { gsl_root_fsolver_free(s) }
                // The solver keeps &gf: set and iterate inside this scope.
                var status = gsl_root_fsolver_set(s, &gf, min(a, b), max(a, b))
                guard status == GSL_SUCCESS else {
                    throw GSLError(routine: "gsl_root_fsolver_set", status: status,
                                   context: "\(context): f(\(a)) = \(fa) and f(\(b)) = \(fb) do not bracket a root")
                }
                for _ in 0..<maxIterations {
                    status = gsl_root_fsolver_iterate(s)
                    guard status == GSL_SUCCESS else {
                        throw GSLError(routine: "gsl_root_fsolver_iterate", status: status, context: context)
                    }
                    let lo = gsl_root_fsolver_x_lower(s), hi = gsl_root_fsolver_x_upper(s)
                    if gsl_root_test_interval(lo, hi, absoluteTolerance, relativeTolerance) == GSL_SUCCESS {
                        return gsl_root_fsolver_root(s)
                    }
                }
                throw GSLError(routine: "gsl_root_fsolver_brent", status: Int32(GSL_EMAXITER),
                               context: "\(context): no convergence in \(maxIterations) iterations")
            }
        }
    }
}
