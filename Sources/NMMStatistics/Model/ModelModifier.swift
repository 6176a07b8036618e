import Foundation
import NMMCore

/// A nuisance parameter and how it acts (one file per kind of effect, as pyhf keeps them):
///  • normalisation: the sample rates are multiplied by the parameter θ (nominal 1); a
///    Gaussian constraint adds ((θ̃ − θ)/σ)², a log-normal one ((ln θ̃ − ln θ)/σ)², with θ̃ the
///    global observable (nominal 1); `free` adds nothing (an unconstrained normalisation).
///  • shape: the parameter α (nominal 0, unit Gaussian constraint (α̃ − α)²) interpolates each
///    named sample between its −1σ, nominal and +1σ templates, piecewise linearly per bin
///    (HistFactory/pyhf histosys "code 0"): r(α) = r₀ + α(r₊ − r₀) for α ≥ 0, r₀ + α(r₀ − r₋) below.
public struct ModelModifier: Sendable, Equatable {
    public typealias Kind = NuisanceKind

    public var name: String
    public var kind: Kind
    public var constraint: ModifierConstraint

    public init(name: String, kind: Kind, constraint: ModifierConstraint) {
        self.name = name
        self.kind = kind
        self.constraint = constraint
    }

    /// A normalisation with a Gaussian constraint of width σ.
    public static func normalisation(_ name: String, sigma: Double) -> ModelModifier {
        ModelModifier(name: name, kind: .normalisation, constraint: .gaussian(sigma: sigma))
    }

    /// A shape modifier (unit Gaussian constraint on α).
    public static func shape(_ name: String) -> ModelModifier {
        ModelModifier(name: name, kind: .shape, constraint: .gaussian(sigma: 1))
    }

    /// Value of the parameter when nothing pulls it: 1 for normalisations, 0 for shapes.
    public var nominal: Double { kind == .normalisation ? 1 : 0 }

    func validate() throws {
        switch constraint {
        case .gaussian(let s), .logNormal(let s):
            guard s > 0, s.isFinite else { throw StatisticsError.invalidInput("modifier '\(name)': constraint width must be > 0, found \(s)") }
        case .free:
            guard kind == .normalisation else { throw StatisticsError.invalidInput("modifier '\(name)': a shape modifier needs its unit Gaussian constraint") }
        case .fixed(let v):
            guard v.isFinite else { throw StatisticsError.invalidInput("modifier '\(name)': fixed value must be finite") }
        }
        if kind == .shape, constraint != .gaussian(sigma: 1), constraint != .fixed(0) {
            throw StatisticsError.invalidInput("modifier '\(name)': a shape modifier is constrained by a unit Gaussian (its ±1σ templates carry the width)")
        }
    }
}

/// The constraint term of a modifier, with its global observable θ̃.
public enum ModifierConstraint: Sendable, Equatable {
    case gaussian(sigma: Double)
    /// Constraint on ln θ (normalisations only; θ > 0).
    case logNormal(sigma: Double)
    case free
    /// Held at a value (not fitted).
    case fixed(Double)

    public var isConstrained: Bool {
        switch self {
        case .gaussian, .logNormal: true
        case .free, .fixed: false
        }
    }

    public var isFitted: Bool { if case .fixed = self { false } else { true } }

    /// (θ̃ − θ)²/σ² or (ln θ̃ − ln θ)²/σ²; 0 when unconstrained.
    @inline(__always)
    public func penalty(_ theta: Double, globalObservable g: Double) -> Double {
        switch self {
        case .gaussian(let s): let d = (g - theta) / s; return d * d
        case .logNormal(let s):
            guard theta > 0, g > 0 else { return .infinity }
            let d = (log(g) - log(theta)) / s
            return d * d
        case .free, .fixed: return 0
        }
    }

    /// d(penalty)/dθ.
    @inline(__always)
    public func penaltySlope(_ theta: Double, globalObservable g: Double) -> Double {
        switch self {
        case .gaussian(let s): return -2 * (g - theta) / (s * s)
        case .logNormal(let s):
            guard theta > 0, g > 0 else { return 0 }
            return -2 * (log(g) - log(theta)) / (s * s * theta)
        case .free, .fixed: return 0
        }
    }

    /// d²(penalty)/dθ²: 2/σ² (Gaussian), 2(1 + ln θ̃ − ln θ)/(σ²θ²) (log-normal); 0 when unconstrained.
    @inline(__always)
    public func penaltyCurvature(_ theta: Double, globalObservable g: Double) -> Double {
        switch self {
        case .gaussian(let s): return 2 / (s * s)
        case .logNormal(let s):
            guard theta > 0, g > 0 else { return 0 }
            return 2 * (1 + log(g) - log(theta)) / (s * s * theta * theta)
        case .free, .fixed: return 0
        }
    }
}
