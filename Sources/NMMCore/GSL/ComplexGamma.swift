internal import CGSL

/// Logarithm of the complex gamma function through GSL (`gsl_sf_lngamma_complex_e`),
/// used by the relativistic Fermi function of allowed β spectra in NMMPhysics.
public enum ComplexGamma {
    /// ln Γ(x + i y) = logModulus + i·argument. Returns NaNs if GSL reports an error
    /// (only at the poles x = 0, −1, −2, … with y = 0), so that it can be called from
    /// inside an integrand; callers check `isFinite`.
    public static func logGamma(real x: Double, imaginary y: Double) -> (logModulus: Double, argument: Double) {
        GSL.setUp()
        var lnr = gsl_sf_result(val: 0, err: 0)
        var arg = gsl_sf_result(val: 0, err: 0)
        let status = gsl_sf_lngamma_complex_e(x, y, &lnr, &arg)
        guard status == GSL_SUCCESS else { return (.nan, .nan) }
        return (lnr.val, arg.val)
    }
}
