import NMMPhysics

/// An upper limit on κ turned into the neutrino magnetic moment and the radiative-decay
/// lifetime bound it implies.
///
/// μ_ν < √κ_up × 10⁻¹⁰ μ_B (κ = μ_ν² in 10⁻²⁰ μ_B²).
/// Radiative decay ν_i → ν_j γ (seed Eq. 7), Γ = (m_i² − m_j²)³ μ²/(8π m_i³); for m_j ≪ m_i,
/// with μ_B² = πα/m_e² (natural units, e² = 4πα): Γ = α m³ (μ/μ_B)²/(8 m_e²), so
///     τ·m³ > 8 ħ m_e² / (α (μ/μ_B)²)  ≈ 0.188 eV³·s / (μ/μ_B)².
public struct MagneticMomentLimit: Sendable, Equatable {
    // CODATA 2018 values from the central constants (NMMPhysics/Constants.swift).
    static let hbarEVs = PhysicsConstants.hbarEVSeconds
    static let electronMassEV = PhysicsConstants.electronMassKeV * 1e3
    static let alpha = PhysicsConstants.fineStructureConstant

    public var confidenceLevel: Double
    /// Upper limit on κ = μ_ν² / (10⁻²⁰ μ_B²).
    public var kappaUpper: Double

    public init(kappaUpper: Double, confidenceLevel: Double) {
        self.kappaUpper = kappaUpper
        self.confidenceLevel = confidenceLevel
    }

    /// μ_ν upper limit in Bohr magnetons: √max(κ_up, 0) × 10⁻¹⁰.
    public var magneticMomentBohr: Double { Self.magneticMomentBohr(kappa: kappaUpper) }

    /// Lower bound on τ·m³ in eV³·s from the magnetic-moment limit (non-degenerate masses).
    public var radiativeDecayTauM3EV3s: Double { Self.radiativeDecayTauM3EV3s(magneticMomentBohr: magneticMomentBohr) }

    public static func magneticMomentBohr(kappa: Double) -> Double { max(kappa, 0).squareRoot() * 1e-10 }

    public static func kappa(magneticMomentBohr mu: Double) -> Double { (mu / 1e-10) * (mu / 1e-10) }

    public static func radiativeDecayTauM3EV3s(magneticMomentBohr mu: Double) -> Double {
        8 * hbarEVs * electronMassEV * electronMassEV / (alpha * mu * mu)
    }
}
