import NMMCore

/// The Monte Carlo error of a toy critical value and of the interval edges read off it
/// (statistics.md §6).
///
/// t_c is the k-th smallest of M valid toy t (k = ⌈CL·M⌉). Its rank is binomial with
/// sd d = √(M·CL·(1−CL)) (the number of toys below the true quantile), so the t at ranks
/// k − d and k + d bracket t_c by ±1σ: σ(t_c) = [t(k + d) − t(k − d)] / 2, t(r) linearly
/// interpolated between neighbouring order statistics. Near the ends of the sample (small M,
/// or CL close to 1) the ranks are clamped to [1, M] and the difference is rescaled to the
/// full ±d span: σ = d·[t(r₊) − t(r₋)]/(r₊ − r₋), the same local density estimate.
public enum CriticalValueError {
    /// σ(t_c) from the valid toy t of one grid point, sorted ascending; NaN for fewer than 2 toys.
    public static func sigma(sorted t: [Double], cl: Double) -> Double {
        let m = t.count
        guard m >= 2 else { return .nan }
        let k = Double(min(max(Int((cl * Double(m)).rounded(.up)), 1), m))
        let d = (Double(m) * cl * (1 - cl)).squareRoot()
        let lo = max(k - d, 1), hi = min(k + d, Double(m))
        guard hi > lo else { return .nan }
        return d * (value(t, atRank: hi) - value(t, atRank: lo)) / (hi - lo)
    }

    /// t at a 1-based fractional rank r ∈ [1, M], linear between order statistics.
    static func value(_ t: [Double], atRank r: Double) -> Double {
        let i = Int(r.rounded(.down)), f = r - Double(i)
        guard i < t.count, f > 0 else { return t[i - 1] }
        return t[i - 1] + f * (t[i] - t[i - 1])
    }

    /// σ of an interval edge interpolated between an accepted grid point a and a rejected
    /// neighbour b (`KappaInterval.fromGrid`): κ_e = κ_a + (κ_b − κ_a)·f, f = −d_a/(d_b − d_a),
    /// d = t_obs − t_c. t_c(κ_a) and t_c(κ_b) come from independent toys, so to first order
    /// σ(κ_e) = |κ_b − κ_a|·√((1−f)²σ_a² + f²σ_b²) / |d_b − d_a|: the interpolated critical
    /// value's error over the slope of t_obs − t_c between the bracketing points (the slope's
    /// own noise included: this is the full derivative of κ_e in t_c,a and t_c,b).
    /// nil when the slope is zero or an error is unknown.
    static func edgeSigma(kappaA: Double, kappaB: Double, dA: Double, dB: Double,
                          sigmaA: Double, sigmaB: Double) -> Double? {
        let slope = dB - dA
        guard slope != 0, sigmaA.isFinite, sigmaB.isFinite else { return nil }
        let f = min(max(-dA / slope, 0), 1)
        let sigmaCritical = ((1 - f) * (1 - f) * sigmaA * sigmaA + f * f * sigmaB * sigmaB).squareRoot()
        let s = abs(kappaB - kappaA) * sigmaCritical / abs(slope)
        return s.isFinite ? s : nil
    }
}
