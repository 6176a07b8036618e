internal import CGSL

/// Special functions from GSL's gsl_sf.
public enum SpecialFunctions {
    /// ln Γ(x) for x > 0 (gsl_sf_lngamma; ln|Γ(x)| for negative non-integers). Accurate to
    /// double precision for large x, where exp(lnΓ) overflows.
    public static func lnGamma(_ x: Double) -> Double {
        GSL.setUp()
        return gsl_sf_lngamma(x)
    }

    /// ln n! for n ≥ 0 (`lnGamma(n + 1)`).
    public static func lnFactorial(_ n: Double) -> Double { lnGamma(n + 1) }
}
