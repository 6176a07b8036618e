import Foundation
import NMMCore
import NMMPlot
import NMMStatistics

/// Axis labels and number formats shared by the report's figures and page.
enum ReportText {
    static let energyAxis = "Energy (keV)"
    static let rateUnit = "counts/(kg·keV·day)"
    static let rateAxis = "Rate (counts/(kg·keV·day))"
    static let residualAxis = "ON − OFF rate (counts/(kg·keV·day))"
    static let kappaUnit = "10⁻²⁰ μ_B²"
    static let kappaAxis = "κ (10⁻²⁰ μ_B²)"
    static let muUnit = "μ_B"
    static let exposureAxis = "Exposure (kg·day)"

    /// "Δχ²" for a χ² fit, "−2Δln L" for a likelihood fit or statistic.
    static func deltaName(method: FitMethod) -> String {
        switch method {
        case .chi2: "Δχ²"
        case .poisson: "−2Δln L"
        }
    }

    static func deltaName(statistic: ToyStatistic?) -> String { deltaName(method: statistic == .poisson ? .poisson : .chi2) }

    /// The construction of a limit in words.
    static func construction(_ l: LimitProduct) -> String {
        switch l.method {
        case .gaussian: "Gaussian belt"
        case .toys: "toy Neyman construction, \(l.statistic?.rawValue ?? "chi2")"
        }
    }

    /// ν̄e, ν_μ, … for a flavour.
    static func symbol(_ flavor: NeutrinoFlavor) -> String {
        switch flavor {
        case .nuE: "νe"
        case .nuMu: "νμ"
        case .nuTau: "ντ"
        case .antiNuE: "ν̄e"
        case .antiNuMu: "ν̄μ"
        case .antiNuTau: "ν̄τ"
        }
    }

    /// "90%" for 0.9, "68.27%" for 0.6827.
    static func percent(_ cl: Double) -> String { MagneticMomentUnits.formatPercent(cl) + "%" }

    /// A decimal with exactly `decimals` digits after the point and a typographic minus.
    static func number(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "n/a" : (v > 0 ? "∞" : "−∞") }
        return TickFormatter.decimal(v, decimals: decimals, trimZeros: false)
    }

    /// Decimals that show `error` to two significant digits (at most 6).
    static func decimals(forError error: Double) -> Int {
        guard error.isFinite, error > 0 else { return 2 }
        return max(0, min(6, 1 - Int(floor(log10(error)))))
    }

    /// "v ± e" rounded to the error's second significant digit.
    static func valueWithError(_ v: Double, _ e: Double) -> String {
        let d = decimals(forError: e)
        return "\(number(v, decimals: d)) ± \(number(e, decimals: d))"
    }

    /// Four significant digits without trailing zeros: decimal for moderate values
    /// (208.1, 1.69, 0.51), m×10ⁿ otherwise (6.4×10¹²).
    static func general(_ v: Double) -> String {
        guard v.isFinite else { return number(v, decimals: 0) }
        let a = abs(v)
        if a == 0 { return "0" }
        if a >= 1e5 || a < 1e-3 { return TickFormatter.timesTen(v, significantDigits: 4, trimZeros: true) }
        return TickFormatter.decimal(v, decimals: max(0, 3 - Int(floor(log10(a)))))
    }

    /// μ_ν in μ_B, two significant digits: "1.3×10⁻¹⁰".
    static func mu(_ v: Double) -> String {
        v > 0 && v.isFinite ? TickFormatter.timesTen(v, significantDigits: 2) : number(v, decimals: 2)
    }
}

/// The χ² distribution with one degree of freedom: the Δχ² (or −2Δln L) that a two-sided
/// interval at confidence level `cl` uses, i.e. the `cl` quantile: P(χ²₁ ≤ q) = erf(√(q/2)).
/// 0.6827 → 1.00, 0.90 → 2.706, 0.95 → 3.841 (PDG, Statistics review, Table 40.2).
enum ChiSquareOneDoF {
    static func quantile(_ cl: Double) -> Double {
        guard cl > 0, cl < 1 else { return cl <= 0 ? 0 : .infinity }
        // erf(√(q/2)) rises monotonically from 0 to 1: bisect on z = √(q/2) in [0, 10].
        var lo = 0.0, hi = 10.0
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if erf(mid) < cl { lo = mid } else { hi = mid }
        }
        let z = 0.5 * (lo + hi)
        return 2 * z * z
    }
}
