import NMMCore

/// The couplings of seed Eq. 5 for each neutrino species (the choice itself is NMMCore's `NeutrinoFlavor`).
extension NeutrinoFlavor {
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
