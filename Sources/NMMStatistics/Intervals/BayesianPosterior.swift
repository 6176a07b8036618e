import Foundation
import NMMCore

/// Per-worker state of the Bayesian limit: the integrand of one loaded data set, the
/// nuisance integration, and the posterior of κ under either prior.
///  • `.bayes`: prior flat in κ ≥ 0, posterior p(κ) ∝ m(κ), integrated in x = κ;
///  • `.bayesMu`: prior flat in μ_ν = √κ ≥ 0 (∝ κ^(−1/2) in κ), integrated in x = μ_ν with
///    p(μ) ∝ m(μ²), which has no singularity at 0; κ_up = μ_up².
/// m(κ) = ∫ L(κ, θ) π(θ) dθ is the marginal likelihood (`NuisanceIntegrator`).
final class BayesianPosterior {
    let integrand: BayesianIntegrand
    let nuisances: NuisanceIntegrator

    init(_ compiled: CompiledModel, options: ModelFitOptions, method: NuisanceIntegrationMethod) throws {
        integrand = BayesianIntegrand(compiled, options: options)
        nuisances = try NuisanceIntegrator(integrand, method: method)
    }

    /// ln m at the method's variable x (κ or μ_ν).
    func logMarginal(_ method: IntervalMethod, at x: Double) throws -> Double {
        try nuisances.logMarginal(kappa: Self.kappa(method, x))
    }

    /// Segments of the grid the Monte Carlo error of a sampled limit is computed on (our
    /// choice: on the two-nuisance test model the error estimate is 0.0028 with 8 segments over
    /// the scan, 0.00084 with 32 and 0.00089 with 160 over the CDF's range, against a scatter
    /// over 30 seeds of 0.00080).
    static let errorGridSegments = 160

    static func kappa(_ method: IntervalMethod, _ x: Double) -> Double { method == .bayesMu ? x * x : x }

    /// The posterior of the loaded data under `method`'s prior, with `segments` scan segments.
    func posterior(_ method: IntervalMethod, confidenceLevel: Double, segments: Int) throws -> PosteriorIntegration.Summary {
        let scale = integrand.kappaScale
        let hintKappa = max(scale.kappa, 0) + 5 * scale.error
        let hint = method == .bayesMu ? hintKappa.squareRoot() : hintKappa
        return try PosteriorIntegration(confidenceLevel: confidenceLevel, segments: segments)
            .run(hint: hint) { try logMarginal(method, at: $0) }
    }

    /// Self-check of the quadrature: with two more points per nuisance, the change of
    /// ln m(κ_up) − ln m(0) (what moves the limit; a constant offset cancels). Nil unless the
    /// nuisances were integrated by quadrature.
    func quadratureCheck(_ method: IntervalMethod, _ summary: PosteriorIntegration.Summary) throws -> Double? {
        guard case .quadrature(let p) = nuisances.method, integrand.dimension > 0 else { return nil }
        let finer = try NuisanceIntegrator(integrand, method: .quadrature(pointsPerNuisance: p + 2))
        let k = Self.kappa(method, summary.upper)
        let coarse = try nuisances.logMarginal(kappa: k) - nuisances.logMarginal(kappa: 0)
        let fine = try finer.logMarginal(kappa: k) - finer.logMarginal(kappa: 0)
        return fine - coarse
    }

    /// Monte Carlo error (in κ) of the limit `summary` when the nuisances were sampled; nil
    /// for quadrature.
    func monteCarloError(_ method: IntervalMethod, _ summary: PosteriorIntegration.Summary,
                         confidenceLevel: Double) throws -> Double? {
        guard nuisances.isSampling, integrand.dimension > 0 else { return nil }
        // A grid of its own, up to where the posterior's CDF is within 1e-10 of 1: the linear
        // interpolant of each sample's weights must resolve its κ dependence.
        let end = summary.grid[summary.cdf.firstIndex { $0 >= 1 - 1e-10 } ?? summary.grid.count - 1]
        let grid = (0...Self.errorGridSegments).map { end * Double($0) / Double(Self.errorGridSegments) }
        let weights = try grid.map { try nuisances.logImportanceWeights(kappa: Self.kappa(method, $0)) }
        let sd = ImportanceSamplingError.standardError(grid: grid, logWeights: weights, confidenceLevel: confidenceLevel)
        return method == .bayesMu ? 2 * summary.upper * sd : sd
    }
}
