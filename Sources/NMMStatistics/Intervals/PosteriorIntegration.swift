import Foundation
import NMMCore

/// The one-dimensional posterior p(x) ∝ exp(ln f(x)) on x ≥ 0 (x = κ or μ_ν) and its CL
/// quantile:
///  1. range: a grid of `segments` + 1 points on [0, x_max], x_max grown (×2) until ln f(x_max)
///     is `tailDrop` below the grid's peak and shrunk while the mass sits in less than a quarter
///     of the grid, so the tail left out is < e^−30 of the peak per unit x;
///  2. each segment integrated by GSL QAGS (21-point Gauss–Kronrod, relative 1e-10): the
///     normalisation Z and the CDF at the grid points are exact to that tolerance;
///  3. the quantile: in the segment where the CDF crosses CL, safeguarded Newton steps on
///     CDF(x) − CL (derivative p(x)), each increment integrated by QAGS.
struct PosteriorIntegration {
    /// ln units below the peak at which the posterior counts as negligible (e^−30 ≈ 9e-14).
    static let tailDrop = 30.0
    var confidenceLevel: Double
    var segments: Int

    struct Summary {
        /// Upper limit in x.
        var upper: Double
        var grid: [Double]
        /// Normalised posterior density (per unit x) on the grid.
        var density: [Double]
        var cdf: [Double]
    }

    func run(hint: Double, _ lnDensity: (Double) throws -> Double) throws -> Summary {
        try withoutActuallyEscaping(lnDensity) { try scan(hint: hint, $0) }
    }

    private func scan(hint: Double, _ lnDensity: @escaping (Double) throws -> Double) throws -> Summary {
        var failure: Error?
        let evaluate: (Double) -> Double = { x in
            do { return try lnDensity(x) } catch { if failure == nil { failure = error }; return .nan }
        }
        var hi = hint.isFinite && hint > 0 ? hint : 1
        var grid: [Double] = [], logs: [Double] = [], peak = -Double.infinity
        var settled = false
        for _ in 0..<80 {
            grid = (0...segments).map { hi * Double($0) / Double(segments) }
            logs = grid.map(evaluate)
            if let failure { throw failure }
            peak = logs.filter(\.isFinite).max() ?? -.infinity
            guard peak.isFinite, !logs.contains(where: \.isNaN) else {
                throw StatisticsError.fitFailed("the posterior is not finite on [0, \(hi)]")
            }
            if logs[segments] > peak - Self.tailDrop { hi *= 2; continue }
            let last = logs.lastIndex { $0 > peak - Self.tailDrop } ?? 0
            if last < segments / 4 { hi = grid[last + 1]; continue }
            settled = true
            break
        }
        guard settled else { throw StatisticsError.fitFailed("no range holds the posterior (last upper end \(hi))") }

        let top = peak
        let f: (Double) -> Double = { exp(evaluate($0) - top) }
        let integrator = Integrator(absoluteTolerance: 1e-13 * hi, relativeTolerance: 1e-10, maxIntervals: 200)
        func integral(_ a: Double, _ b: Double) throws -> Double {
            let r = try integrator.integrate(a, b, context: "integrating the posterior over [\(a), \(b)]", f).value
            if let failure { throw failure }
            return r
        }
        var cdf = [0.0]
        for j in 0..<segments { cdf.append(cdf[j] + (try integral(grid[j], grid[j + 1]))) }
        let z = cdf[segments]
        guard z > 0, z.isFinite else { throw StatisticsError.fitFailed("the posterior's normalisation is \(z)") }
        let target = confidenceLevel * z
        guard let j = (0..<segments).first(where: { cdf[$0 + 1] >= target }) else {
            throw InternalError("the posterior's CDF does not reach CL")
        }
        var lo = grid[j], up = grid[j + 1]
        var x = lo + (up - lo) * (target - cdf[j]) / max(cdf[j + 1] - cdf[j], .leastNormalMagnitude)
        var fx = cdf[j] + (try integral(grid[j], x)) - target
        for _ in 0..<100 {
            if fx < 0 { lo = x } else { up = x }
            if abs(fx) <= 1e-12 * z || up - lo <= 1e-13 * hi { break }
            let slope = f(x)
            var next = slope > 0 ? x - fx / slope : .nan
            if !(next > lo && next < up) { next = 0.5 * (lo + up) }
            fx += next > x ? try integral(x, next) : -(try integral(next, x))
            x = next
        }
        return Summary(upper: x, grid: grid, density: logs.map { exp($0 - top) / z }, cdf: cdf.map { $0 / z })
    }
}
