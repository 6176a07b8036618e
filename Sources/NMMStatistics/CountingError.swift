import NMMCore
/// The one rule for the Poisson error of a measured count, shared by the residual
/// (subtract), the spectra figure and the Neyman-χ² fit errors: variance = n, and a bin
/// with no counts is given the variance of one count so that a χ² weight stays defined.
public enum CountingError {
    public static let rule = "Poisson variance n; an empty bin gets the variance of 1 count"

    /// Variance (counts²) of a measured count n.
    @inline(__always)
    public static func variance(_ n: Double) -> Double { max(n, 1) }

    /// 1σ error of a rate n / scale (scale = exposure × bin width).
    @inline(__always)
    public static func rateError(_ n: Double, scale: Double) -> Double { variance(n).squareRoot() / scale }
}
