/// Differential cross sections dσ/dT_N for coherent ν–nucleus scattering, in cm²/keV per
/// nucleus; T_N (nuclear recoil) and E in keV, nucleus mass M in keV. Zero outside
/// 0 < T_N ≤ T_max(E, M). The seed's Eqs. 8–9 are for a point nucleus; `formFactorSquared`
/// is F²(q) at this recoil (`HelmFormFactor`; 1 by default, as in the seed). For reactor ν̄e
/// in Ge (FormFactorAndQuenchingTests): F² = 0.946 at the highest recoil (E = 10 MeV,
/// T_N = 2.96 keV_nr), 0.982 at 1 keV_nr, 0.998 at 100 eV_nr.
public enum CoherentScattering {
    /// Seed Eq. 8: dσ/dT_N = (G_F²/4π) M [Z(1 − 4 sin²θ_W) − N]² (1 − M T_N / 2E²) F².
    /// N may be the mean neutron number of a natural element.
    public static func standardModel(nuclearRecoilKeV t: Double, neutrinoEnergyKeV e: Double,
                                     Z: Double, N: Double, nucleusMassKeV m: Double,
                                     sin2ThetaW: Double = PhysicsConstants.sin2ThetaWDefault,
                                     formFactorSquared f2: Double = 1) -> Double {
        guard t > 0, t <= Kinematics.maxNuclearRecoilKeV(neutrinoEnergyKeV: e, nucleusMassKeV: m) else { return 0 }
        let qw = weakCharge(Z: Z, N: N, sin2ThetaW: sin2ThetaW)
        return prefactorCm2PerKeV(nucleusMassKeV: m) * qw * qw * (1 - m * t / (2 * e * e)) * f2
    }

    /// Seed Eq. 9 (spin-zero nuclei): dσ/dT_N = (πα² μ_ν²/m_e²) Z² [(1 − T_N/E)/T_N + T_N/(4E²)] F².
    public static func magneticMoment(nuclearRecoilKeV t: Double, neutrinoEnergyKeV e: Double,
                                      Z: Double, nucleusMassKeV m: Double, muNuInBohrMagnetons mu: Double,
                                      formFactorSquared f2: Double = 1) -> Double {
        guard t > 0, t <= Kinematics.maxNuclearRecoilKeV(neutrinoEnergyKeV: e, nucleusMassKeV: m) else { return 0 }
        return PhysicsConstants.magneticPrefactorCm2 * mu * mu * Z * Z * ((1 - t / e) / t + t / (4 * e * e)) * f2
    }

    /// Z(1 − 4 sin²θ_W) − N (seed Eq. 8).
    public static func weakCharge(Z: Double, N: Double, sin2ThetaW: Double) -> Double {
        Z * (1 - 4 * sin2ThetaW) - N
    }

    /// G_F² M / 4π in cm²/keV = (G_F² m_e/2π) · M/(2 m_e).
    static func prefactorCm2PerKeV(nucleusMassKeV m: Double) -> Double {
        PhysicsConstants.weakElectronPrefactorCm2PerKeV * m / (2 * PhysicsConstants.electronMassKeV)
    }

    /// Eqs. 8 and 9 integrated over a flux, per nucleus (s⁻¹ keV⁻¹), from the moments
    /// M_k = ∫_{E_min(T_N)} φ E^(−k) dE: SM = (G_F²M/4π) Q_W² F² (M₀ − M T_N M₂/2),
    /// MM = (πα²/m_e²) μ² Z² F² (M₀/T_N − M₁ + T_N M₂/4). Negative round-off clipped to 0.
    static func rates(moments m: (m0: Double, m1: Double, m2: Double), nuclearRecoilKeV t: Double, Z: Double, N: Double,
                      nucleusMassKeV mass: Double, sin2ThetaW: Double, muNuInBohrMagnetons mu: Double,
                      formFactorSquared f2: Double) -> (sm: Double, mm: Double) {
        let qw = weakCharge(Z: Z, N: N, sin2ThetaW: sin2ThetaW)
        let sm = prefactorCm2PerKeV(nucleusMassKeV: mass) * qw * qw * f2 * (m.m0 - mass * t * m.m2 / 2)
        let mm = PhysicsConstants.magneticPrefactorCm2 * mu * mu * Z * Z * f2 * (m.m0 / t - m.m1 + t * m.m2 / 4)
        return (max(sm, 0), max(mm, 0))
    }
}
