/// Differential cross sections dσ/dT_N for coherent ν–nucleus scattering, in cm²/keV per
/// nucleus; T_N (nuclear recoil) and E in keV, nucleus mass M in keV. Zero outside
/// 0 < T_N ≤ T_max(E, M). Nuclear form factor taken as 1, as in the seed's Eqs. 8–9 (reactor
/// ν̄e transfer q ≤ 2E ≈ 20 MeV, qR ≲ 0.5 for Ge: an estimated ≲ 5 % effect at the very
/// highest recoils, none at the sub-keV recoils where coherent scattering matters here).
public enum CoherentScattering {
    /// Seed Eq. 8: dσ/dT_N = (G_F²/4π) M [Z(1 − 4 sin²θ_W) − N]² (1 − M T_N / 2E²).
    /// N may be the mean neutron number of a natural element.
    public static func standardModel(nuclearRecoilKeV t: Double, neutrinoEnergyKeV e: Double,
                                     Z: Double, N: Double, nucleusMassKeV m: Double,
                                     sin2ThetaW: Double = PhysicsConstants.sin2ThetaWDefault) -> Double {
        guard t > 0, t <= Kinematics.maxNuclearRecoilKeV(neutrinoEnergyKeV: e, nucleusMassKeV: m) else { return 0 }
        let qw = weakCharge(Z: Z, N: N, sin2ThetaW: sin2ThetaW)
        return prefactorCm2PerKeV(nucleusMassKeV: m) * qw * qw * (1 - m * t / (2 * e * e))
    }

    /// Seed Eq. 9 (spin-zero nuclei): dσ/dT_N = (πα² μ_ν²/m_e²) Z² [(1 − T_N/E)/T_N + T_N/(4E²)].
    public static func magneticMoment(nuclearRecoilKeV t: Double, neutrinoEnergyKeV e: Double,
                                      Z: Double, nucleusMassKeV m: Double, muNuInBohrMagnetons mu: Double) -> Double {
        guard t > 0, t <= Kinematics.maxNuclearRecoilKeV(neutrinoEnergyKeV: e, nucleusMassKeV: m) else { return 0 }
        return PhysicsConstants.magneticPrefactorCm2 * mu * mu * Z * Z * ((1 - t / e) / t + t / (4 * e * e))
    }

    /// Z(1 − 4 sin²θ_W) − N (seed Eq. 8).
    public static func weakCharge(Z: Double, N: Double, sin2ThetaW: Double) -> Double {
        Z * (1 - 4 * sin2ThetaW) - N
    }

    /// G_F² M / 4π in cm²/keV = (G_F² m_e/2π) · M/(2 m_e).
    static func prefactorCm2PerKeV(nucleusMassKeV m: Double) -> Double {
        PhysicsConstants.weakElectronPrefactorCm2PerKeV * m / (2 * PhysicsConstants.electronMassKeV)
    }
}
