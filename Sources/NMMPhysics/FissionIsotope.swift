import Foundation

/// The four fissile isotopes that produce reactor ν̄e, with their tabulated data.
public enum FissionIsotope: String, CaseIterable, Sendable, Hashable {
    case u235 = "U235", u238 = "U238", pu239 = "Pu239", pu241 = "Pu241"

    /// Energy released per fission in MeV: Ma et al., Phys. Rev. C 88 (2013) 014605
    /// (physics.md §3): ²³⁵U 202.36, ²³⁸U 205.99, ²³⁹Pu 211.12, ²⁴¹Pu 214.26.
    public var energyPerFissionMeV: Double {
        switch self {
        case .u235: return 202.36
        case .u238: return 205.99
        case .pu239: return 211.12
        case .pu241: return 214.26
        }
    }

    /// ν̄e per fission: seed (Wong & Li 2005) Table 1: 6.14, 7.08, 5.58, 6.42.
    public var neutrinosPerFission: Double {
        switch self {
        case .u235: return 6.14
        case .u238: return 7.08
        case .pu239: return 5.58
        case .pu241: return 6.42
        }
    }

    /// Typical relative fission rate in a power reactor, seed Table 1 ("~0.49, ~0.07,
    /// ~0.36, ~0.08"); a default, not a property of the isotope.
    public var typicalFissionFraction: Double {
        switch self {
        case .u235: return 0.49
        case .u238: return 0.07
        case .pu239: return 0.36
        case .pu241: return 0.08
        }
    }

    /// Typical fission fractions of seed Table 1 as a dictionary (sum = 1.00).
    public static var typicalFissionFractions: [FissionIsotope: Double] {
        Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.typicalFissionFraction) })
    }

    /// Coefficients a₀…a₅ of S(E) = exp(Σ a_k E^k), E in MeV, per MeV per fission, valid
    /// 2–8 MeV. ²³⁵U, ²³⁹Pu, ²⁴¹Pu: Huber, Phys. Rev. C 84 (2011) 024617;
    /// ²³⁸U: Mueller et al., Phys. Rev. C 83 (2011) 054615 (as quoted in physics.md §3).
    public var highEnergyFitCoefficients: [Double] {
        switch self {
        case .u235: return [4.367, -4.577, 2.100, -0.5294, 0.06186, -0.002777]
        case .pu239: return [4.757, -5.392, 2.563, -0.6596, 0.07820, -0.003536]
        case .pu241: return [2.990, -2.882, 1.278, -0.3343, 0.03905, -0.001754]
        case .u238: return [0.4833, 0.1927, -0.1283, -0.006762, 0.002233, -0.0001536]
        }
    }

    /// The reference for `highEnergyFitCoefficients`.
    public var highEnergyFitSource: String {
        self == .u238 ? "Mueller et al., PRC 83 (2011) 054615" : "Huber, PRC 84 (2011) 024617"
    }

    /// Coefficients a₀…a₂ of the older exp-quadratic fit, Vogel & Engel, Phys. Rev. D 39
    /// (1989) 3378 (physics.md §3); used here for the shape below 2 MeV only.
    public var vogelEngelCoefficients: [Double] {
        switch self {
        case .u235: return [0.870, -0.160, -0.0910]
        case .u238: return [0.976, -0.162, -0.0790]
        case .pu239: return [0.896, -0.239, -0.0981]
        case .pu241: return [0.793, -0.080, -0.1085]
        }
    }
}

/// exp(Σ a_k x^k), Horner's scheme.
@inline(__always)
func expPolynomial(_ coefficients: [Double], _ x: Double) -> Double {
    var sum = 0.0
    for a in coefficients.reversed() { sum = sum * x + a }
    return exp(sum)
}
