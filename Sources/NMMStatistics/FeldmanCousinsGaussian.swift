import NMMCore

/// Feldman–Cousins unified intervals for a Gaussian measurement x (σ known) of a mean μ ≥ 0
/// (Feldman & Cousins, PRD 57 (1998) 3873, Sec. IV.B), solved analytically.
///
/// In units of σ: for a true μ, x is ranked by R = P(x|μ)/P(x|μ_best), μ_best = max(0, x):
///     ln R = −(x − μ)²/2            for x ≥ 0,
///     ln R = xμ − μ²/2              for x < 0.
/// R is unimodal in x with its peak at x = μ, so the acceptance region is an interval
/// [x1, x2] with R(x1) = R(x2) and Φ(x2 − μ) − Φ(x1 − μ) = CL. With d = x2 − μ:
///     x1 = μ − d                    if x2 ≤ 2μ (both ends at x ≥ 0: symmetric),
///     x1 = (μ² − d²)/(2μ)           otherwise (x1 < 0),
/// and the probability increases with d, so d is found by bisection in
/// [Φ⁻¹(CL), Φ⁻¹((1+CL)/2)] (one-sided … central). At μ = 0: x1 = −∞, x2 = Φ⁻¹(CL).
/// Both edges increase with μ, so the interval for an observed x0 is
/// μ_lo = 0 if x0 ≤ Φ⁻¹(CL), else x2⁻¹(x0);  μ_hi = x1⁻¹(x0), each by bisection.
/// Coverage is exact by construction.
public struct FeldmanCousinsGaussian: Sendable {
    public let confidenceLevel: Double
    private let oneSidedZ: Double
    private let centralZ: Double

    public init(cl: Double) throws {
        guard cl > 0, cl < 1 else { throw StatisticsError.invalidOptions("confidence level \(cl) must be in (0, 1)") }
        confidenceLevel = cl
        oneSidedZ = try Distributions.gaussianPinv(cl)
        centralZ = try Distributions.gaussianPinv(0.5 * (1 + cl))
    }

    /// Acceptance region [x1, x2] for true mean `mu` (everything in units of σ).
    public func acceptanceRegion(mu: Double) -> (lower: Double, upper: Double) {
        guard mu > 0 else { return (-.infinity, oneSidedZ) }
        func lowerEdge(_ d: Double) -> Double { d <= mu ? mu - d : (mu * mu - d * d) / (2 * mu) }
        func probability(_ d: Double) -> Double {
            Distributions.gaussianP(d) - Distributions.gaussianP(lowerEdge(d) - mu)
        }
        var lo = oneSidedZ, hi = centralZ
        for _ in 0..<200 where hi - lo > 1e-14 {
            let mid = 0.5 * (lo + hi)
            if probability(mid) < confidenceLevel { lo = mid } else { hi = mid }
        }
        let d = 0.5 * (lo + hi)
        return (lowerEdge(d), mu + d)
    }

    /// The unified interval [μ_lo, μ_hi] for a measurement `measured` with Gaussian error
    /// `sigma`, both in the units of μ (μ ≥ 0 is the physical region).
    public func interval(measured: Double, sigma: Double) -> (lower: Double, upper: Double) {
        precondition(sigma > 0 && measured.isFinite, "interval needs σ > 0 and a finite measurement")
        let x0 = measured / sigma
        // Upper end: the largest μ whose lower acceptance edge x1(μ) ≤ x0.
        var lo = 0.0, hi = max(x0, 0) + centralZ + 1
        while acceptanceRegion(mu: hi).lower <= x0 { lo = hi; hi *= 2 }
        for _ in 0..<200 where hi - lo > 1e-12 * max(1, hi) {
            let mid = 0.5 * (lo + hi)
            if acceptanceRegion(mu: mid).lower <= x0 { lo = mid } else { hi = mid }
        }
        let upper = 0.5 * (lo + hi)
        // Lower end: 0 while x0 is inside the μ = 0 acceptance, else x2⁻¹(x0).
        var lower = 0.0
        if x0 > oneSidedZ {
            var a = 0.0, b = x0
            for _ in 0..<200 where b - a > 1e-12 * max(1, b) {
                let mid = 0.5 * (a + b)
                if acceptanceRegion(mu: mid).upper < x0 { a = mid } else { b = mid }
            }
            lower = 0.5 * (a + b)
        }
        return (lower * sigma, upper * sigma)
    }

    public func upperLimit(measured: Double, sigma: Double) -> Double {
        interval(measured: measured, sigma: sigma).upper
    }

    /// Expected upper limits when the true μ is 0: x ~ N(0, σ) mapped through the monotone
    /// upper-limit function, so the quantile q of the limit is upperLimit(σ·Φ⁻¹(q)).
    public func sensitivity(sigma: Double) -> LimitBands {
        LimitBands(values: [-2.0, -1, 0, 1, 2].map { upperLimit(measured: $0 * sigma, sigma: sigma) })
    }

    /// Statistical and systematic errors combined in quadrature, √(stat² + sys²).
    public static func combinedSigma(stat: Double, sys: Double) -> Double {
        (stat * stat + sys * sys).squareRoot()
    }
}

/// Expected-limit bands: the quantiles 2.28, 15.87, 50, 84.13, 97.72 % (Φ(−2)…Φ(2)) of
/// the upper limit under the background-only hypothesis.
public struct LimitBands: Sendable, Equatable {
    public static let quantiles: [Double] = [-2.0, -1, 0, 1, 2].map { Distributions.gaussianP($0) }

    public var minus2Sigma: Double
    public var minus1Sigma: Double
    public var median: Double
    public var plus1Sigma: Double
    public var plus2Sigma: Double

    /// From the five values in the order of `quantiles`.
    public init(values v: [Double]) {
        precondition(v.count == 5, "LimitBands needs 5 values")
        minus2Sigma = v[0]
        minus1Sigma = v[1]
        median = v[2]
        plus1Sigma = v[3]
        plus2Sigma = v[4]
    }

    public var values: [Double] { [minus2Sigma, minus1Sigma, median, plus1Sigma, plus2Sigma] }
}
