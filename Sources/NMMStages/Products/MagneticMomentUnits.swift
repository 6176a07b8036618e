import Foundation

/// κ = μ_ν² in units of 1e-20 μ_B² (κ = 1 ⇔ μ_ν = 1e-10 μ_B), and derived bounds.
public enum MagneticMomentUnits {
    public static let kappaUnit = "1e-20 mu_B^2"

    public static func muBohr(kappa: Double) -> Double { kappa > 0 ? kappa.squareRoot() * 1e-10 : 0 }

    /// Radiative decay ν_i → ν_j γ, seed Eq. 7, non-degenerate case (m_j ≪ m_i):
    /// Γ = μ² m³ / (8π) with μ = k·μ_B, μ_B² = πα/m_e² (Heaviside–Lorentz, ħ = c = 1), so
    /// τ·m³ = ħ · 8 m_e² / (α k²). ħ = 6.582119569e-16 eV·s, m_e c² = 510998.95 eV,
    /// α = 1/137.035999084 (CODATA 2018). Gives ≈ 0.188 eV³·s / k².
    public static func radiativeDecayTauM3(muBohr k: Double) -> Double {
        guard k > 0 else { return .infinity }
        let hbarEVs = 6.582119569e-16, meEV = 510998.95, alpha = 1 / 137.035999084
        return hbarEVs * 8 * meEV * meEV / (alpha * k * k)
    }

    /// Two significant digits in C-style exponent notation, e.g. 1.3e-10.
    public static func format(_ x: Double) -> String {
        guard x.isFinite, x > 0 else { return "\(x)" }
        let e = Int(floor(log10(x)))
        var m = (x / pow(10, Double(e)) * 10).rounded() / 10
        var exp = e
        if m >= 10 { m /= 10; exp += 1 }
        return "\(m)e\(exp)"
    }

    public static func formatPercent(_ cl: Double) -> String {
        let p = cl * 100
        guard p.isFinite, abs(p) < 1e15 else { return "\(p)" }   // no Int(inf) trap on a damaged file
        return p == p.rounded() ? String(Int(p)) : String((p * 100).rounded() / 100)
    }
}
