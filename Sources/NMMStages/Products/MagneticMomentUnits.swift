import Foundation

/// κ = μ_ν² in units of 1e-20 μ_B² (κ = 1 ⇔ μ_ν = 1e-10 μ_B), and derived bounds.
public enum MagneticMomentUnits {
    public static let kappaUnit = "1e-20 mu_B^2"

    public static func muBohr(kappa: Double) -> Double { MagneticMomentLimit.magneticMomentBohr(kappa: kappa) }

    /// τ·m³ bound in eV³·s (seed Eq. 7, non-degenerate case); see MagneticMomentLimit.
    public static func radiativeDecayTauM3(muBohr k: Double) -> Double {
        k > 0 ? MagneticMomentLimit.radiativeDecayTauM3EV3s(magneticMomentBohr: k) : .infinity
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
