import NMMCore

/// One point of the κ profile: Δχ² (or Δ(−2 ln L)) = S(κ) − S_min, nuisances profiled at κ.
public struct ProfilePoint: Sendable, Equatable {
    public var kappa: Double
    public var deltaChi2: Double

    public init(kappa: Double, deltaChi2: Double) {
        self.kappa = kappa
        self.deltaChi2 = deltaChi2
    }
}

/// A fit as a value (iminuit/pyhf habit): parameters, errors, covariance, minimum, status.
/// Limits are computed from this value, never from hidden fitter state.
public struct FitResult: Sendable, Equatable {
    public var method: FitMethod
    /// Names of the fitted parameters (`FitParameter.rawValue`), κ first.
    public var parameterNames: [String]
    public var values: [Double]
    /// √diag(covariance).
    public var errors: [Double]
    public var covariance: [[Double]]
    /// χ² (chi2) or the Poisson deviance −2 ln(L/L_saturated) (poisson), constraint terms included.
    public var minimum: Double
    /// bins + Gaussian constraints − fitted parameters.
    public var ndof: Int
    public var chi2PerDof: Double
    /// Upper-tail χ² probability of `minimum` with `ndof` (gsl_cdf_chisq_Q).
    public var pValue: Double
    public var converged: Bool
    /// false if the covariance is unreliable (ill-conditioned or not positive definite).
    public var covarianceAccurate: Bool
    /// A fitted parameter sits at a guard boundary (e.g. the flux normalisation at 0).
    public var atLimit: Bool
    public var iterations: Int
    /// Profile of the statistic in κ (nuisances profiled at each κ).
    public var profile: [ProfilePoint]
    /// Human-readable remarks (fallbacks used, bins with a background at 0, ...).
    public var notes: [String]

    public init(method: FitMethod, parameterNames: [String], values: [Double], covariance: [[Double]],
                minimum: Double, ndof: Int, converged: Bool, covarianceAccurate: Bool, atLimit: Bool,
                iterations: Int, profile: [ProfilePoint] = [], notes: [String] = []) {
        self.method = method
        self.parameterNames = parameterNames
        self.values = values
        self.covariance = covariance
        self.errors = (0..<values.count).map { i in
            let v = covariance[i][i]
            return v > 0 ? v.squareRoot() : .nan
        }
        self.minimum = minimum
        self.ndof = ndof
        self.chi2PerDof = ndof > 0 ? minimum / Double(ndof) : .nan
        self.pValue = ndof > 0 ? Distributions.chiSquareQ(minimum, dof: Double(ndof)) : .nan
        self.converged = converged
        self.covarianceAccurate = covarianceAccurate
        self.atLimit = atLimit
        self.iterations = iterations
        self.profile = profile
        self.notes = notes
    }

    public func index(of parameter: FitParameter) -> Int? { parameterNames.firstIndex(of: parameter.rawValue) }

    public func value(of parameter: FitParameter) -> Double? { index(of: parameter).map { values[$0] } }

    public func error(of parameter: FitParameter) -> Double? { index(of: parameter).map { errors[$0] } }

    /// Best-fit κ (μ_ν² in 10⁻²⁰ μ_B²) and its error.
    public var kappa: Double { value(of: .kappa) ?? .nan }
    public var kappaError: Double { error(of: .kappa) ?? .nan }

    /// Default profile grid: κ̂ ± 4σ_κ in 41 points.
    static func defaultProfileGrid(kappa: Double, error: Double) -> KappaGrid {
        let s = error.isFinite && error > 0 ? error : max(abs(kappa), 1)
        return KappaGrid(min: kappa - 4 * s, max: kappa + 4 * s, points: 41)
    }
}
