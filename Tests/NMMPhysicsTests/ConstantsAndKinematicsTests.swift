import XCTest
@testable import NMMPhysics

final class ConstantsAndKinematicsTests: XCTestCase {
    // physics.md §2 [calc]: π α²/m_e² = 2.4947×10⁻²⁵ cm².
    func testMagneticPrefactor() {
        assertRelative(PhysicsConstants.magneticPrefactorCm2, 2.4947e-25, 1e-3)
    }

    // physics.md §2 [calc]: G_F² m_e/2π = 4.3082×10⁻⁴⁸ cm²/keV.
    func testWeakPrefactor() {
        assertRelative(PhysicsConstants.weakElectronPrefactorCm2PerKeV, 4.3082e-48, 1e-4)
    }

    // ħc = 197.3269804 MeV fm (CODATA 2018) = 1.973269804×10⁻⁸ keV cm.
    func testHbarCConversion() {
        assertRelative(PhysicsConstants.hbarCKeVCm, 1.973269804e-8, 1e-12)
    }

    // Hand values from physics.md §1: T_max = 2E²/(m_e + 2E), E_min = (T + √(T² + 2 m_e T))/2.
    func testElectronKinematicsHandValues() {
        // E = 1 MeV: T_max = 2·1000²/(510.99895 + 2000) = 796.4958 keV.
        assertRelative(Kinematics.maxElectronRecoilKeV(neutrinoEnergyKeV: 1000), 2 * 1000 * 1000 / (510.99895 + 2000), 1e-14)
        assertRelative(Kinematics.maxElectronRecoilKeV(neutrinoEnergyKeV: 1000), 796.49575, 1e-7)
        // T = 10 keV: E_min = (10 + √(100 + 10219.979))/2 = 55.79365 keV.
        assertRelative(Kinematics.minNeutrinoEnergyKeV(electronRecoilKeV: 10), 55.793649, 1e-7)
        XCTAssertEqual(Kinematics.maxElectronRecoilKeV(neutrinoEnergyKeV: 0), 0)
        XCTAssertEqual(Kinematics.minNeutrinoEnergyKeV(electronRecoilKeV: 0), 0)
    }

    // E_min and T_max are inverse functions (exact kinematics, physics.md §1).
    func testKinematicsAreInverse() {
        for t in [1e-3, 0.1, 12, 700, 5000] {
            let e = Kinematics.minNeutrinoEnergyKeV(electronRecoilKeV: t)
            assertRelative(Kinematics.maxElectronRecoilKeV(neutrinoEnergyKeV: e), t, 1e-12)
            let m = TargetMaterial.germanium.components[0].element.nucleusMassKeV
            let en = Kinematics.minNeutrinoEnergyForNuclearRecoilKeV(nuclearRecoilKeV: t * 1e-3, nucleusMassKeV: m)
            assertRelative(Kinematics.maxNuclearRecoilKeV(neutrinoEnergyKeV: en, nucleusMassKeV: m), t * 1e-3, 1e-10)
        }
        // Ge nucleus (A = 72.63): T_N = 0.1 keV needs E ≥ 1839.05 keV (hand value).
        let m = TargetMaterial.germanium.components[0].element.nucleusMassKeV
        assertRelative(m, 72.630 * 931_494.10242 - 32 * 510.99895, 1e-12)
        assertRelative(Kinematics.minNeutrinoEnergyForNuclearRecoilKeV(nuclearRecoilKeV: 0.1, nucleusMassKeV: m), 1839.0452, 1e-6)
    }
}
