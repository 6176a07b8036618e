internal import CGSL

/// Straight-line least squares y = c0 + c1·x (gsl_fit_linear).
public enum LinearFit {
    /// The slope c1; NaN for fewer than two points or all x equal.
    public static func slope(x: [Double], y: [Double]) -> Double {
        guard x.count == y.count, x.count >= 2 else { return .nan }
        var c0 = 0.0, c1 = 0.0, cov00 = 0.0, cov01 = 0.0, cov11 = 0.0, sumsq = 0.0
        let status = gsl_fit_linear(x, 1, y, 1, x.count, &c0, &c1, &cov00, &cov01, &cov11, &sumsq)
        return status == GSL_SUCCESS ? c1 : .nan
    }
}
