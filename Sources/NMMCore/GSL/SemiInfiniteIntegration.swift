internal import CGSL

extension Integrator {
    /// ∫_a^∞ f(x) dx by GSL QAGIU (the map x = a + (1 − t)/t onto (0, 1] and QAGS there).
    /// Throws GSLError if GSL cannot reach the tolerance.
    public func integrateToInfinity(from a: Double, context: String = "", _ f: (Double) -> Double) throws -> Result {
        GSL.setUp()
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
                let status = gsl_integration_qagiu(&gf, a, absoluteTolerance, relativeTolerance, maxIntervals, ws, &value, &err)
                guard status == GSL_SUCCESS else {
                    throw GSLError(routine: "gsl_integration_qagiu", status: status,
                                   context: context.isEmpty ? "integrating over [\(a), ∞)" : context)
                }
                return Result(value: value, estimatedError: err)
            }
        }
    }
}
