import Foundation
import NMMCore

/// One bin's ON/OFF likelihood with its background rate b ≥ 0 integrated out under a flat
/// prior (the Bayesian counterpart of `OnOffProfile`, which maximises over b instead):
///
///     I(s) = ∫₀^∞ Pois(n | α(b + s)) · Pois(m | β b) db      (s ≥ 0)
///
/// with n ON and m OFF counts, α, β the exposures (kg·day·keV) and s the signal rate.
/// Expanding (b + s)ⁿ = Σ_k C(n, k) bᵏ sⁿ⁻ᵏ and using ∫₀^∞ b^(k+m) e^(−(α+β)b) db =
/// (k+m)!/(α+β)^(k+m+1) gives a finite sum for integer n:
///
///     I(s) = e^(−αs) αⁿ βᵐ/m! · Σ_{k=0}^{n} sⁿ⁻ᵏ (k+m)! / [k! (n−k)! (α+β)^(k+m+1)],
///
/// evaluated in log space (each term's logarithm from lnΓ, then log-sum-exp): every term is
/// positive, so nothing cancels and large counts are as accurate as small ones. For s < 0 the
/// ON rate u = b + s must stay ≥ 0: substituting b = u − s swaps the roles of (n, α) and
/// (m, β) with |s| added to the OFF side, the same sum with the other table. At s = 0 only
/// the k = n term survives (0⁰ = 1). Non-integer counts (Asimov data) have no finite sum; they
/// are integrated numerically (GSL QAGIU, scaled by the integrand's maximum at the profiled b̂).
struct OnOffBackgroundMarginal {
    let on: Double
    let off: Double
    let onScale: Double
    let offScale: Double
    /// Counts are whole numbers: the finite sums apply.
    let integerCounts: Bool
    /// ln of the s-independent factors and the per-term coefficients, for s ≥ 0 (ON side) and
    /// s < 0 (roles swapped).
    private let onSide: Table
    private let offSide: Table

    /// Terms of Σ_k exp(c_k + (N − k) ln|s|) for one orientation (N = the counts on the signal side).
    private struct Table {
        var constant: Double
        var coefficients: [Double]
        var slope: Double

        /// (N, A) the signal side's counts and exposure, (M, B) the other side's.
        init(n: Double, a: Double, m: Double, b: Double, integer: Bool) {
            let lnSum = log(a + b)
            constant = (n > 0 ? n * log(a) : 0) + (m > 0 ? m * log(b) : 0) - SpecialFunctions.lnFactorial(m)
                - (m + 1) * lnSum
            slope = a
            guard integer else { coefficients = []; return }
            let count = Int(n)
            coefficients = (0...count).map { k in
                let kd = Double(k)
                return SpecialFunctions.lnFactorial(kd + m) - SpecialFunctions.lnFactorial(kd)
                    - SpecialFunctions.lnFactorial(n - kd) - kd * lnSum
            }
        }

        /// ln of the integral for |s| = `magnitude` ≥ 0.
        func logIntegral(_ magnitude: Double) -> Double {
            let top = coefficients.count - 1
            guard magnitude > 0 else { return constant + coefficients[top] }
            let ls = log(magnitude)
            var peak = -Double.infinity
            for k in 0...top { peak = max(peak, coefficients[k] + Double(top - k) * ls) }
            // Terms below e^−40 of the largest change the sum by < 1e-17 each: skip their exp.
            var sum = 0.0
            for k in 0...top {
                let t = coefficients[k] + Double(top - k) * ls - peak
                if t > -40 { sum += exp(t) }
            }
            return constant - slope * magnitude + peak + log(sum)
        }
    }

    init(on n: Double, off m: Double, onScale alpha: Double, offScale beta: Double) {
        on = n
        off = m
        onScale = alpha
        offScale = beta
        integerCounts = n == n.rounded() && m == m.rounded()
        onSide = Table(n: n, a: alpha, m: m, b: beta, integer: integerCounts)
        offSide = Table(n: m, a: beta, m: n, b: alpha, integer: integerCounts)
    }

    /// ln I(s) (−∞ where the likelihood vanishes for every b).
    func logIntegral(signal s: Double) throws -> Double {
        guard integerCounts else { return try numericalLogIntegral(signal: s) }
        return s >= 0 ? onSide.logIntegral(s) : offSide.logIntegral(-s)
    }

    /// ln I(s) by GSL QAGIU over b ∈ [max(0, −s), ∞), the integrand divided by its value at
    /// the profiled b̂ (so the integral is O(width of the b posterior)).
    func numericalLogIntegral(signal s: Double) throws -> Double {
        let profile = OnOffProfile.profile(on: on, off: off, onScale: onScale, offScale: offScale, signal: s)
        let lower = max(0, -s)
        let top = logIntegrand(profile.background, s)
        guard top.isFinite else { return -.infinity }
        let r = try Integrator(absoluteTolerance: 0, relativeTolerance: 1e-11, maxIntervals: 2000)
            .integrateToInfinity(from: lower, context: "marginalising a bin's background (n = \(on), m = \(off), s = \(s))") { b in
                exp(self.logIntegrand(b, s) - top)
            }
        return top + log(r.value)
    }

    /// ln[Pois(n | α(b + s)) Pois(m | βb)].
    func logIntegrand(_ b: Double, _ s: Double) -> Double {
        Self.logPoisson(on, onScale * (b + s)) + Self.logPoisson(off, offScale * b)
    }

    /// ln Pois(n | μ) = n ln μ − μ − ln n!, with 0·ln 0 = 0.
    static func logPoisson(_ n: Double, _ mu: Double) -> Double {
        guard mu > 0 else { return n == 0 && mu == 0 ? 0 : -.infinity }
        return (n > 0 ? n * log(mu) : 0) - mu - SpecialFunctions.lnFactorial(n)
    }
}
