internal import CGSL

/// One-dimensional adaptive integration through GSL (QAGS: 21-point Gauss–Kronrod with
/// Wynn epsilon extrapolation), hiding the C callback.
public struct Integrator: Sendable {
    public struct Result: Sendable {
        public var value: Double
        public var estimatedError: Double
    }

    public var absoluteTolerance: Double
    public var relativeTolerance: Double
    public var maxIntervals: Int

    public init(absoluteTolerance: Double = 0, relativeTolerance: Double = 1e-7, maxIntervals: Int = 1000) {
        self.absoluteTolerance = absoluteTolerance
        self.relativeTolerance = relativeTolerance
        self.maxIntervals = maxIntervals
    }

    /// ∫_a^b f(x) dx. Throws GSLError if GSL cannot reach the tolerance.
    public func integrate(_ a: Double, _ b: Double, context: String = "", _ f: (Double) -> Double) throws -> Result {
        GSL.setUp()
        if a == b { return Result(value: 0, estimatedError: 0) }
        return try withoutActuallyEscaping(f) { ef in
            var fn = ef
            return try withUnsafeMutablePointer(to: &fn) { fp in
                var gf = gsl_function(
                    function: { x, p in p!.assumingMemoryBound(to: ((Double) -> Double).self).pointee(x) },
                    params: UnsafeMutableRawPointer(fp))
                guard let ws = gsl_integration_workspace_alloc(maxIntervals) else {
                    throw GSLError(routine: "gsl_integration_workspace_alloc", status: Int32(GSL_ENOMEM), context: context)
                }
                defer { gsl_integration_workspace_free(ws) }
                var value = 0.0, err = 0.0
                let status = gsl_integration_qags(&gf, a, b, absoluteTolerance, relativeTolerance,
                                                  maxIntervals, ws, &value, &err)
                guard status == GSL_SUCCESS else {
                    throw GSLError(routine: "gsl_integration_qags", status: status,
                                   context: context.isEmpty ? "integrating over [\(a), \(b)]" : context)
                }
                return Result(value: value, estimatedError: err)
            }
        }
    }
}
