import Foundation

/// Monte Carlo standard error of a Bayesian upper limit whose marginal likelihood came from N
/// importance samples reused at every x (common random numbers). With m̂(x) = (1/N) Σ_s w_s(x)
/// the limit x_u solves G(x_u) = ∫₀^{x_u} m̂ − CL·∫₀^∞ m̂ = 0, so to first order
///     δx_u = −δG/m̂(x_u),   G = (1/N) Σ_s g_s,   g_s = ∫₀^{x_u} w_s − CL·∫₀^∞ w_s,
/// and sd(x_u) = sd_s(g_s)/(√N·m̂(x_u)) (the delta method on the sample mean of g_s; the
/// samples are independent, their κ dependence shared). The integrals are trapezoids on the
/// scan grid, with m̂(x_u) from the same piecewise-linear interpolant, so the grid's
/// discretisation cancels to first order in the ratio.
enum ImportanceSamplingError {
    /// `logWeights[j][s]`: ln w_s at grid[j]; `upper`: the limit in x.
    static func standardError(grid: [Double], logWeights: [[Double]], upper: Double, confidenceLevel: Double) -> Double {
        let g = grid.count
        guard g >= 2, logWeights.count == g, let n = logWeights.first?.count, n >= 2 else { return .nan }
        var peak = -Double.infinity
        for row in logWeights { for v in row where v > peak { peak = v } }
        guard peak.isFinite else { return .nan }
        let w = logWeights.map { $0.map { exp($0 - peak) } }
        // Segment containing the limit and the fraction of it below the limit.
        let j = min(max((grid.lastIndex { $0 <= upper } ?? 0), 0), g - 2)
        let t = (upper - grid[j]) / (grid[j + 1] - grid[j])
        var terms = [Double](repeating: 0, count: n)
        var density = 0.0
        for s in 0..<n {
            var below = 0.0, total = 0.0
            for k in 0..<(g - 1) {
                let area = 0.5 * (w[k][s] + w[k + 1][s]) * (grid[k + 1] - grid[k])
                total += area
                if k < j { below += area }
            }
            let atUpper = w[j][s] + t * (w[j + 1][s] - w[j][s])
            below += 0.5 * (w[j][s] + atUpper) * (upper - grid[j])
            terms[s] = below - confidenceLevel * total
            density += atUpper
        }
        density /= Double(n)
        let mean = terms.reduce(0, +) / Double(n)
        let variance = terms.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        return (variance / Double(n)).squareRoot() / density
    }
}
