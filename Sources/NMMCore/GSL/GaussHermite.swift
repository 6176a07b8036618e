@preconcurrency internal import CGSL

/// Gauss–Hermite rule for ∫ f(x) e^{−x²} dx ≈ Σ_k w_k f(x_k), exact for polynomials of degree
/// < 2n (GSL's gsl_integration_fixed with the Hermite weight, a = 0, b = 1: Golub–Welsch).
/// `@preconcurrency`: GSL exports the rule type as a mutable global (toolchain.md pitfall 1);
/// it is only read here.
public struct GaussHermiteRule: Sendable, Equatable {
    public let nodes: [Double]
    public let weights: [Double]

    public init(points n: Int) throws {
        GSL.setUp()
        guard n >= 1 else { throw GSLError(routine: "gsl_integration_fixed_alloc", status: Int32(GSL_EINVAL), context: "Gauss–Hermite with \(n) points") }
        guard let ws = gsl_integration_fixed_alloc(gsl_integration_fixed_hermite, n, 0, 1, 0, 0) else {
            throw GSLError(routine: "gsl_integration_fixed_alloc", status: Int32(GSL_EFAILED), context: "Gauss–Hermite with \(n) points")
        }
        defer { gsl_integration_fixed_free(ws) }
        let x = gsl_integration_fixed_nodes(ws)!, w = gsl_integration_fixed_weights(ws)!
        nodes = (0..<n).map { x[$0] }
        weights = (0..<n).map { w[$0] }
    }
}
