internal import CGSL

/// Cumulative distribution functions from gsl_cdf. The forward CDFs have no error status
/// in GSL and are defined for every finite argument; the inverses check their probability
/// argument and throw `GSLError(GSL_EDOM)` outside [0, 1] (GSL would return NaN).
public enum Distributions {
    // MARK: χ²

    /// P(X ≤ x) for X ~ χ²(dof).
    public static func chiSquareP(_ x: Double, dof: Double) -> Double { gsl_cdf_chisq_P(x, dof) }

    /// Upper tail P(X > x) for X ~ χ²(dof): the p-value of a χ² of x with dof degrees of freedom.
    public static func chiSquareQ(_ x: Double, dof: Double) -> Double { gsl_cdf_chisq_Q(x, dof) }

    /// x with P(X ≤ x) = p for X ~ χ²(dof).
    public static func chiSquarePinv(_ p: Double, dof: Double) throws -> Double {
        try checkProbability(p, "gsl_cdf_chisq_Pinv")
        return try checkResult(gsl_cdf_chisq_Pinv(p, dof), "gsl_cdf_chisq_Pinv", p)
    }

    /// x with P(X > x) = q for X ~ χ²(dof).
    public static func chiSquareQinv(_ q: Double, dof: Double) throws -> Double {
        try checkProbability(q, "gsl_cdf_chisq_Qinv")
        return try checkResult(gsl_cdf_chisq_Qinv(q, dof), "gsl_cdf_chisq_Qinv", q)
    }

    // MARK: Gaussian (mean 0)

    /// P(X ≤ x) for X ~ N(0, σ²).
    public static func gaussianP(_ x: Double, sigma: Double = 1) -> Double { gsl_cdf_gaussian_P(x, sigma) }

    /// P(X > x) for X ~ N(0, σ²) (accurate far in the upper tail).
    public static func gaussianQ(_ x: Double, sigma: Double = 1) -> Double { gsl_cdf_gaussian_Q(x, sigma) }

    /// x with P(X ≤ x) = p for X ~ N(0, σ²); p = 0 or 1 give ∓∞.
    public static func gaussianPinv(_ p: Double, sigma: Double = 1) throws -> Double {
        try checkProbability(p, "gsl_cdf_gaussian_Pinv")
        return gsl_cdf_gaussian_Pinv(p, sigma)
    }

    /// x with P(X > x) = q for X ~ N(0, σ²).
    public static func gaussianQinv(_ q: Double, sigma: Double = 1) throws -> Double {
        try checkProbability(q, "gsl_cdf_gaussian_Qinv")
        return gsl_cdf_gaussian_Qinv(q, sigma)
    }

    private static func checkProbability(_ p: Double, _ routine: String) throws {
        guard p >= 0, p <= 1 else {
            throw GSLError(routine: routine, status: Int32(GSL_EDOM), context: "probability \(p) is outside [0, 1]")
        }
    }

    private static func checkResult(_ x: Double, _ routine: String, _ p: Double) throws -> Double {
        guard !x.isNaN else {
            throw GSLError(routine: routine, status: Int32(GSL_EFAILED), context: "inverting at probability \(p)")
        }
        return x
    }
}
