/// Neutrino species for ν–e scattering, with the couplings of seed Eq. 5.
public enum NeutrinoFlavor: String, CaseIterable, Sendable, Hashable {
    case nuE = "nu_e", nuMu = "nu_mu", nuTau = "nu_tau"
    case antiNuE = "anti-nu_e", antiNuMu = "anti-nu_mu", antiNuTau = "anti-nu_tau"

    public var isAntineutrino: Bool {
        switch self {
        case .antiNuE, .antiNuMu, .antiNuTau: return true
        case .nuE, .nuMu, .nuTau: return false
        }
    }

    /// Electron flavour (charged current contributes): ν_e and ν̄_e.
    public var isElectronFlavor: Bool { self == .nuE || self == .antiNuE }

    /// Vector coupling, seed Eq. 5: g_V = 2 sin²θ_W + ½ (ν_e, ν̄_e), 2 sin²θ_W − ½ (μ, τ),
    /// plus the charge-radius shift x (seed: g_V → g_V + x).
    public func vectorCoupling(sin2ThetaW: Double, chargeRadiusX: Double = 0) -> Double {
        2 * sin2ThetaW + (isElectronFlavor ? 0.5 : -0.5) + chargeRadiusX
    }

    /// Axial coupling, seed Eq. 5: g_A = +½ (ν_e), −½ (ν_μ, ν_τ); g_A → −g_A for antineutrinos.
    public var axialCoupling: Double {
        let ga = isElectronFlavor ? 0.5 : -0.5
        return isAntineutrino ? -ga : ga
    }

    /// Charge-radius parameter x = (2/3) M_W² ⟨r²⟩ sin²θ_W (seed, after Eq. 5), with ⟨r²⟩
    /// in cm² converted to natural units by ħc: M_W² ⟨r²⟩ = (M_W/ħc)² ⟨r²⟩.
    public static func chargeRadiusX(chargeRadiusCm2: Double, sin2ThetaW: Double) -> Double {
        let mwPerCm = PhysicsConstants.wBosonMassGeV / PhysicsConstants.hbarCGeVCm
        return 2.0 / 3.0 * mwPerCm * mwPerCm * chargeRadiusCm2 * sin2ThetaW
    }
}
