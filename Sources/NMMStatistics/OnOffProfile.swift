import NMMCore
import Foundation

/// Closed-form profile of one bin's background in the ON/OFF Poisson likelihood.
///
/// ON ~ Poisson(α·(b + s)), OFF ~ Poisson(β·b), with α = t_on·Δ, β = t_off·Δ (kg·day·keV),
/// b ≥ 0 the background rate and s the signal rate (counts/(kg·keV·day), may be < 0).
/// Maximising over b: ∂lnL/∂b = n/(b+s) − α + m/b − β = 0, i.e.
///     (α+β) b² + [(α+β) s − n − m] b − m s = 0.
/// On the domain b ≥ 0, b + s ≥ 0 the log-likelihood is concave in b, and the larger root
/// of this quadratic is the maximum in every case:
///   • n > 0: the larger root lies above max(0, −s) (the derivative is +∞ at b + s → 0⁺);
///   • n = 0: the roots are m/(α+β) and −s, so b = max(m/(α+β), −s) (ON mean 0 allowed);
///   • m = 0: the roots are 0 and n/(α+β) − s, so b = max(0, n/(α+β) − s).
/// Finally b is clamped at 0. For s < 0 the root is computed for u = b + s (the ON rate)
/// instead, which avoids cancellation when |s| ≫ b.
///
/// The per-bin Poisson deviance (saturated model subtracted, so it is χ²-like) is
///     D = 2[μ_on − n + n ln(n/μ_on)] + 2[μ_off − m + m ln(m/μ_off)],  0·ln 0 = 0,
/// and by the envelope theorem dD/ds = 2(α − n/u) at the profiled b. The curvature is
///     d²D/ds² = 2 / (u²/n + b²/m)   (interior b),
/// 2n/u² when b is clamped at 0, and 2m/b² (with dD/ds = 2(m/b − β)) when u is clamped at 0.
struct OnOffBinProfile {
    /// Profiled background rate b̂ and ON rate u = b̂ + s.
    var background: Double
    var onRate: Double
    var deviance: Double
    /// dD/ds and d²D/ds² at the profiled b̂.
    var slope: Double
    var curvature: Double
}

enum OnOffProfile {
    @inline(__always)
    static func profile(on n: Double, off m: Double, onScale alpha: Double, offScale beta: Double,
                        signal s: Double) -> OnOffBinProfile {
        let a = alpha + beta
        var b: Double, u: Double
        if s >= 0 {
            // a b² + B b + C = 0, C = −m s ≤ 0.
            let bq = a * s - n - m
            let disc = max(bq * bq + 4 * a * m * s, 0).squareRoot()
            b = bq <= 0 ? (-bq + disc) / (2 * a) : (2 * m * s) / (bq + disc)
            b = max(b, 0)
            u = b + s
        } else {
            // In u = b + s: a u² − (a s + n + m) u + n s = 0, product of roots n s / a ≤ 0.
            let bq = -(a * s + n + m)
            let disc = max(bq * bq - 4 * a * n * s, 0).squareRoot()
            u = bq <= 0 ? (-bq + disc) / (2 * a) : (-2 * n * s) / (bq + disc)
            u = max(u, 0)
            b = u - s              // > 0: no cancellation
        }
        let muOn = alpha * u, muOff = beta * b
        var d = 2 * (muOn - n) + 2 * (muOff - m)
        if n > 0 { d += 2 * n * log(n / muOn) }
        if m > 0 { d += 2 * m * log(m / muOff) }

        let slope: Double, curvature: Double
        if u <= 0 {
            // ON mean pinned at 0 (only possible with n = 0): b = −s, D depends on s via OFF only.
            slope = m > 0 ? 2 * (m / b - beta) : -2 * beta
            curvature = m > 0 ? 2 * m / (b * b) : 0
        } else if b <= 0 {
            slope = 2 * (alpha - n / u)
            curvature = 2 * n / (u * u)
        } else {
            slope = 2 * (alpha - n / u)
            if n > 0 && m > 0 {
                curvature = 2 / (u * u / n + b * b / m)
            } else {
                curvature = 0       // n = 0 or m = 0 with interior b: b absorbs s
            }
        }
        return OnOffBinProfile(background: b, onRate: u, deviance: d, slope: slope, curvature: curvature)
    }
}
