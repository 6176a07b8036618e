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
    /// σ(κ_e) = √((1−f)²σ_a² + f²σ_b²) / |d(t_obs − t_c)/dκ|: the error of the critical value
    /// interpolated to the crossing over the slope there. The slope is t_obs's between a and b
    /// (exact: no toys) minus t_c's from a least-squares line through the grid points a and b
    /// and two more on each side (`slopeWindow`): t_c's slope from the two bracketing points
    /// alone carries their noise (≈ √2·σ(t_c)/Δκ, comparable to the slope itself at a few
    /// thousand toys), and its inverse then has a long tail that the scatter of κ_up does not
    /// have (measured: the RMS of such estimates 1.2–1.6× the scatter over seeds, the line
    /// through six points 0.97–1.08×; ToyMonteCarloErrorTests). When the line's slope comes
    /// out with the wrong sign the bracketing points' slope is used. nil when the slope is zero
    /// or an error is unknown.
    static func edgeSigma(grid: [Double], observed: [Double], critical: [Double], errors: [Double],
                          accepted a: Int, rejected b: Int) -> Double? {
        let dk = grid[b] - grid[a], dA = observed[a] - critical[a], dB = observed[b] - critical[b]
        guard dk != 0, dB != dA, errors[a].isFinite, errors[b].isFinite else { return nil }
        let bracket = (dB - dA) / dk
        let lo = max(0, min(a, b) - slopeWindow), hi = min(grid.count - 1, max(a, b) + slopeWindow)
        let criticalSlope = LinearFit.slope(x: Array(grid[lo...hi]), y: Array(critical[lo...hi]))
        let smooth = (observed[b] - observed[a]) / dk - criticalSlope
        let slope = smooth.isFinite && smooth != 0 && (smooth > 0) == (bracket > 0) ? smooth : bracket
        let f = min(max(-dA / (dB - dA), 0), 1)
        let sigmaCritical = ((1 - f) * (1 - f) * errors[a] * errors[a] + f * f * errors[b] * errors[b]).squareRoot()
        let s = sigmaCritical / abs(slope)
        return s.isFinite ? s : nil
    }

    /// Grid points on each side of an edge's bracketing pair in the line giving t_c's slope (our
    /// choice: six points, ≈ 0.4σ_κ on a 60-point grid to κ̂ + 5σ, short against t_c's curvature).
    static let slopeWindow = 2
}
