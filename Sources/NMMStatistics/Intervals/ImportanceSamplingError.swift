import Foundation

/// Monte Carlo standard error of a Bayesian upper limit whose marginal likelihood came from N
/// importance samples reused at every x (common random numbers). With m̂(x) = (1/N) Σ_s w_s(x)
/// the limit x_u solves G(x_u) = ∫₀^{x_u} m̂ − CL·∫₀^∞ m̂ = 0, so to first order
///     δx_u = −δG/m̂(x_u),   G = (1/N) Σ_s g_s,   g_s = ∫₀^{x_u} w_s − CL·∫₀^∞ w_s,
/// and sd(x_u) = sd_s(g_s)/(√N·m̂(x_u)) (the delta method on the sample mean of g_s; the
/// samples are independent, their κ dependence shared, so a sample that scales the whole
/// posterior contributes nothing). The integrals are trapezoids of the piecewise-linear
/// interpolant on the scan grid, and x_u here is that interpolant's own CL quantile: Σ_s g_s = 0
/// exactly, so the grid's discretisation does not leak into the variance.
enum ImportanceSamplingError {
    /// `logWeights[j][s]`: ln w_s at grid[j].
    static func standardError(grid: [Double], logWeights: [[Double]], confidenceLevel: Double) -> Double {
        let g = grid.count
        guard g >= 2, logWeights.count == g, let n = logWeights.first?.count, n >= 2 else { return .nan }
        var peak = -Double.infinity
        for row in logWeights { for v in row where v > peak { peak = v } }
        guard peak.isFinite else { return .nan }
        let w = logWeights.map { $0.map { exp($0 - peak) } }
        let mean = w.map { $0.reduce(0, +) / Double(n) }
        let upper = quantile(grid: grid, density: mean, confidenceLevel: confidenceLevel)
        let j = min(grid.lastIndex { $0 <= upper } ?? 0, g - 2)
        let t = (upper - grid[j]) / (grid[j + 1] - grid[j])
        var terms = [Double](repeating: 0, count: n)
        for s in 0..<n {
            let values = (0..<g).map { w[$0][s] }
            terms[s] = integral(grid: grid, values: values, to: upper, segment: j, fraction: t)
                - confidenceLevel * integral(grid: grid, values: values, to: grid[g - 1], segment: g - 2, fraction: 1)
        }
        let density = mean[j] + t * (mean[j + 1] - mean[j])
        let average = terms.reduce(0, +) / Double(n)
        let variance = terms.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(n - 1)
        return (variance / Double(n)).squareRoot() / density
    }

    /// ∫ from grid[0] to x (in segment j at fraction t) of the linear interpolant of `values`.
    private static func integral(grid: [Double], values: [Double], to x: Double, segment j: Int, fraction t: Double) -> Double {
        var total = 0.0
        for k in 0..<j { total += 0.5 * (values[k] + values[k + 1]) * (grid[k + 1] - grid[k]) }
        let atX = values[j] + t * (values[j + 1] - values[j])
        return total + 0.5 * (values[j] + atX) * (x - grid[j])
    }

    /// The CL quantile of the piecewise-linear density (bisection).
    private static func quantile(grid: [Double], density: [Double], confidenceLevel: Double) -> Double {
        let g = grid.count
        func cdf(_ x: Double) -> Double {
            let j = min(grid.lastIndex { $0 <= x } ?? 0, g - 2)
            return integral(grid: grid, values: density, to: x, segment: j, fraction: (x - grid[j]) / (grid[j + 1] - grid[j]))
        }
        let target = confidenceLevel * cdf(grid[g - 1])
        var lo = grid[0], hi = grid[g - 1]
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if cdf(mid) < target { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }
}
