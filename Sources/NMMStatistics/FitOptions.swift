import NMMCore
/// How a normalisation nuisance enters a fit.
public enum Constraint: Sendable, Equatable {
    /// Held at this value (1 = nominal).
    case fixed(Double)
    /// Fitted with a Gaussian constraint term ((x − mean)/sigma)² added to χ² / −2 ln L.
    case gaussian(mean: Double, sigma: Double)
    /// Fitted without constraint.
    case free

    public static let nominal = Constraint.fixed(1)

    var isFitted: Bool { if case .fixed = self { false } else { true } }

    /// Start value of a fitted parameter, or the held value.
    var centralValue: Double {
        switch self {
        case .fixed(let v): v
        case .gaussian(let mean, _): mean
        case .free: 1
        }
    }
}

/// An evenly spaced κ grid (κ = μ_ν² in 10⁻²⁰ μ_B²).
public struct KappaGrid: Sendable, Equatable {
    public var min: Double
    public var max: Double
    public var points: Int

    public init(min: Double, max: Double, points: Int) {
        self.min = min
        self.max = max
        self.points = points
    }

    public var values: [Double] {
        guard points > 1 else { return [min] }
        return (0..<points).map { min + (max - min) * Double($0) / Double(points - 1) }
    }

    func validate(requireNonNegative: Bool) throws {
        guard points >= 2, max > min, min.isFinite, max.isFinite else {
            throw StatisticsError.invalidOptions("κ grid needs ≥ 2 points and max > min (got \(min)…\(max), \(points) points)")
        }
        if requireNonNegative && min < 0 {
            throw StatisticsError.invalidOptions("κ grid for a Feldman–Cousins belt must start at κ ≥ 0 (got \(min))")
        }
    }
}

public struct FitOptions: Sendable, Equatable {
    public var background: BackgroundTerms
    /// Normalisation a of the SM template.
    public var smNormalisation: Constraint
    /// Reactor flux normalisation f (multiplies SM and MM).
    public var fluxNormalisation: Constraint
    public var method: FitMethod
    /// κ grid of the profile in the fit result; nil = κ̂ ± 4σ_κ in 41 points.
    public var profileGrid: KappaGrid?
    public var kappaStart: Double
    /// Error of each residual-rate bin in the χ² fit (ignored by the Poisson fit).
    public var residualErrors: ResidualErrorRule
    /// Iteration cap of the observed-data minimisers; nil = their defaults.
    public var maxIterations: Int?

    public init(background: BackgroundTerms = .none, smNormalisation: Constraint = .nominal,
                fluxNormalisation: Constraint = .nominal, method: FitMethod = .chi2,
                profileGrid: KappaGrid? = nil, kappaStart: Double = 0,
                residualErrors: ResidualErrorRule = .expected, maxIterations: Int? = nil) {
        self.background = background
        self.smNormalisation = smNormalisation
        self.fluxNormalisation = fluxNormalisation
        self.method = method
        self.profileGrid = profileGrid
        self.kappaStart = kappaStart
        self.residualErrors = residualErrors
        self.maxIterations = maxIterations
    }

    func validate() throws {
        for (name, c) in [("smNormalisation", smNormalisation), ("fluxNormalisation", fluxNormalisation)] {
            switch c {
            case .fixed(let v) where !v.isFinite:
                throw StatisticsError.invalidOptions("\(name) fixed value must be finite")
            case .gaussian(let mean, let sigma) where !(sigma > 0) || !mean.isFinite || !sigma.isFinite:
                throw StatisticsError.invalidOptions("\(name) Gaussian constraint needs a finite mean and sigma > 0")
            default: break
            }
        }
        if let g = profileGrid { try g.validate(requireNonNegative: false) }
        if let n = maxIterations, n < 1 { throw StatisticsError.invalidOptions("maxIterations must be ≥ 1 (got \(n))") }
    }
}
