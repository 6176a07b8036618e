import NMMCore
/// Differential cross sections dσ/dT for ν–e scattering on one free electron at rest,
/// in cm²/keV; T (electron recoil) and E (neutrino energy) in keV. Zero outside
/// 0 < T ≤ T_max(E).
public enum ElectronScattering {
    /// Standard Model weak scattering, seed Eq. 4:
    /// dσ/dT = (G_F² m_e/2π) [(g_V+g_A)² + (g_V−g_A)² (1−T/E)² + (g_A²−g_V²) m_e T/E²],
    /// couplings from seed Eq. 5 (`NeutrinoFlavor`), g_V shifted by the charge-radius x.
    public static func standardModel(recoilKeV t: Double, neutrinoEnergyKeV e: Double, flavor: NeutrinoFlavor,
                                     sin2ThetaW: Double = PhysicsConstants.sin2ThetaWDefault,
                                     chargeRadiusX: Double = 0) -> Double {
        guard t > 0, t <= Kinematics.maxElectronRecoilKeV(neutrinoEnergyKeV: e) else { return 0 }
        let c = WeakCoefficients(flavor: flavor, sin2ThetaW: sin2ThetaW, chargeRadiusX: chargeRadiusX)
        let y = 1 - t / e
        return PhysicsConstants.weakElectronPrefactorCm2PerKeV
            * (c.plus2 + c.minus2 * y * y + c.interference * PhysicsConstants.electronMassKeV * t / (e * e))
    }

    /// Magnetic-moment scattering, seed Eq. 6: dσ/dT = (πα²/m_e²) (1/T − 1/E) μ_ν²,
    /// μ_ν in Bohr magnetons.
    public static func magneticMoment(recoilKeV t: Double, neutrinoEnergyKeV e: Double, muNuInBohrMagnetons mu: Double) -> Double {
        guard t > 0, t <= Kinematics.maxElectronRecoilKeV(neutrinoEnergyKeV: e) else { return 0 }
        return PhysicsConstants.magneticPrefactorCm2 * (1 / t - 1 / e) * mu * mu
    }

    /// Rates per electron (cm⁻² s⁻¹ × cm²/keV = s⁻¹ keV⁻¹) at recoil T from the flux moments
    /// M_k = ∫_{E_min(T)} φ E^(−k) dE (`FluxMoments`, `SpectrumMoments`): Eq. 4 integrated,
    /// SM = K_w [(g_V+g_A)² M₀ + (g_V−g_A)² (M₀ − 2T M₁ + T² M₂) + (g_A²−g_V²) m_e T M₂],
    /// and Eq. 6, MM = (πα²/m_e²) μ_ν² (M₀/T − M₁). Callers clip negative round-off to 0.
    static func rates(moments m: (m0: Double, m1: Double, m2: Double), recoilKeV t: Double, couplings c: WeakCoefficients,
                      muNuInBohrMagnetons mu: Double) -> (sm: Double, mm: Double) {
        let sm = PhysicsConstants.weakElectronPrefactorCm2PerKeV
            * (c.plus2 * m.m0 + c.minus2 * (m.m0 - 2 * t * m.m1 + t * t * m.m2)
               + c.interference * PhysicsConstants.electronMassKeV * t * m.m2)
        let mm = PhysicsConstants.magneticPrefactorCm2 * mu * mu * (m.m0 / t - m.m1)
        return (sm, mm)
    }
}

/// The three coupling combinations of seed Eq. 4.
struct WeakCoefficients: Sendable {
    /// (g_V + g_A)²
    let plus2: Double
    /// (g_V − g_A)²
    let minus2: Double
    /// g_A² − g_V²
    let interference: Double

    init(flavor: NeutrinoFlavor, sin2ThetaW: Double, chargeRadiusX: Double) {
        let gv = flavor.vectorCoupling(sin2ThetaW: sin2ThetaW, chargeRadiusX: chargeRadiusX)
        let ga = flavor.axialCoupling
        plus2 = (gv + ga) * (gv + ga)
        minus2 = (gv - ga) * (gv - ga)
        interference = ga * ga - gv * gv
    }
}

extension WeakCoefficients {
    /// The inputs of the couplings every ν–e rate model checks: sin²θ_W in (0, 1), a finite ⟨r²⟩.
    static func validate(sin2ThetaW: Double, chargeRadiusCm2: Double) throws {
        guard sin2ThetaW.isFinite, sin2ThetaW > 0, sin2ThetaW < 1 else {
            throw PhysicsError(.invalidValue, field: "sin2ThetaW", "must lie in (0, 1), got \(sin2ThetaW)")
        }
        guard chargeRadiusCm2.isFinite else {
            throw PhysicsError(.invalidValue, field: "chargeRadiusCm2", "must be finite, got \(chargeRadiusCm2)")
        }
    }
}
