import NMMCore
/// A test statistic that can be profiled over the nuisance parameters at fixed κ, for the
/// Feldman–Cousins toy construction. One instance per worker thread: it owns every buffer
/// it needs, so loading a data set and evaluating t never allocates.
///
/// t(κ) = S(κ) − min_{κ' ≥ 0} S(κ'), where S is χ² or the Poisson deviance, each profiled
/// over the nuisances. The physical-boundary minimum is cached per loaded data set.
protocol ProfileStatistic: AnyObject {
    /// Load one data set (observed or toy): ON and OFF counts per bin.
    func load(on: [Double], off: [Double])

    /// t(κ) for the loaded data; nil when a fit fails.
    func tValue(atKappa kappa: Double) -> Double?

    /// t(κ_j) for every grid point into `out`; false when a fit fails.
    func tValues(_ grid: [Double], into out: inout [Double]) -> Bool

    /// Expected ON and OFF counts per bin at κ, with the nuisances and per-bin backgrounds
    /// profiled on the loaded data (the toy-generation means). False when a fit fails.
    func expectedCounts(atKappa kappa: Double, on: inout [Double], off: inout [Double]) -> Bool

    /// Unconstrained best fit (κ̂, σ_κ from the curvature) for the loaded data.
    func bestFitKappa() -> (kappa: Double, error: Double)?
}

extension ProfileStatistic {
    func tValues(_ grid: [Double], into out: inout [Double]) -> Bool {
        for (j, k) in grid.enumerated() {
            guard let t = tValue(atKappa: k) else { return false }
            out[j] = t
        }
        return true
    }
}

/// Which statistic a toy construction uses.
public enum ToyStatistic: String, ConfigChoice {
    /// χ² of the residual rate; the toys are fitted in closed form (weighted linear least
    /// squares; Gauss–Newton when the flux normalisation is fitted).
    case chi2
    /// Poisson ON/OFF deviance with per-bin profiled backgrounds; toys fitted by Newton's
    /// method with the analytic gradient and Hessian.
    case poisson

    var method: FitMethod { self == .chi2 ? .chi2 : .poisson }

    func makeProfiler(_ model: FitModel) -> any ProfileStatistic {
        switch self {
        case .chi2: ChiSquareProfiler(model: model)
        case .poisson: PoissonProfiler(model: model)
        }
    }
}
