import XCTest
@testable import NMMPhysics
import NMMCore

final class CrossSectionTests: XCTestCase {
    // Seed Eq. 5 with sin²θ_W = 0.23122: ν̄e g_V = 0.96244, g_A = −½; ν_μ g_V = −0.03756, g_A = −½.
    func testCouplings() {
        let s2 = 0.23122
        XCTAssertEqual(NeutrinoFlavor.antiNuE.vectorCoupling(sin2ThetaW: s2), 0.96244, accuracy: 1e-12)
        XCTAssertEqual(NeutrinoFlavor.antiNuE.axialCoupling, -0.5)
        XCTAssertEqual(NeutrinoFlavor.nuE.axialCoupling, 0.5)
        XCTAssertEqual(NeutrinoFlavor.nuMu.vectorCoupling(sin2ThetaW: s2), -0.03756, accuracy: 1e-12)
        XCTAssertEqual(NeutrinoFlavor.nuMu.axialCoupling, -0.5)
        XCTAssertEqual(NeutrinoFlavor.antiNuTau.axialCoupling, 0.5)
        XCTAssertEqual(NeutrinoFlavor(rawValue: "anti-nu_e"), .antiNuE)
    }

    // Seed Eq. 4, hand evaluation: ν̄e, E = 1000 keV, T = 100 keV →
    // K[(0.46244)² + (1.46244)²·0.81 − 0.676291·0.0511] = 8.23576×10⁻⁴⁸ cm²/keV.
    func testStandardModelHandValue() {
        let v = ElectronScattering.standardModel(recoilKeV: 100, neutrinoEnergyKeV: 1000, flavor: .antiNuE, sin2ThetaW: 0.23122)
        assertRelative(v, 8.235763e-48, 1e-6)
    }

    // Seed Eq. 6: μ = 10⁻¹⁰ μ_B, T = 10 keV, E = 1 MeV: 2.49467×10⁻⁴⁵ × (0.1 − 0.001).
    func testMagneticMomentHandValue() {
        let v = ElectronScattering.magneticMoment(recoilKeV: 10, neutrinoEnergyKeV: 1000, muNuInBohrMagnetons: 1e-10)
        assertRelative(v, 2.494672e-45 * 0.099, 1e-6)
    }

    // Cross sections vanish outside 0 < T ≤ T_max(E) (physics.md §1 kinematics).
    func testZeroOutsideKinematics() {
        let tMax = Kinematics.maxElectronRecoilKeV(neutrinoEnergyKeV: 500)
        XCTAssertEqual(ElectronScattering.standardModel(recoilKeV: tMax * 1.0001, neutrinoEnergyKeV: 500, flavor: .antiNuE), 0)
        XCTAssertEqual(ElectronScattering.magneticMoment(recoilKeV: tMax * 1.0001, neutrinoEnergyKeV: 500, muNuInBohrMagnetons: 1e-10), 0)
        XCTAssertGreaterThan(ElectronScattering.standardModel(recoilKeV: tMax * 0.999, neutrinoEnergyKeV: 500, flavor: .antiNuE), 0)
        XCTAssertEqual(ElectronScattering.magneticMoment(recoilKeV: 0, neutrinoEnergyKeV: 500, muNuInBohrMagnetons: 1e-10), 0)
        let m = 6.7e7
        let tn = Kinematics.maxNuclearRecoilKeV(neutrinoEnergyKeV: 3000, nucleusMassKeV: m)
        XCTAssertEqual(CoherentScattering.standardModel(nuclearRecoilKeV: tn * 1.001, neutrinoEnergyKeV: 3000, Z: 32, N: 40.63, nucleusMassKeV: m), 0)
        XCTAssertGreaterThan(CoherentScattering.standardModel(nuclearRecoilKeV: tn * 0.999, neutrinoEnergyKeV: 3000, Z: 32, N: 40.63, nucleusMassKeV: m), 0)
    }

    // Seed (after Eq. 5): g_V → g_V + x, so x acts as a shift of sin²θ_W by x/2 in g_V only.
    // x for ⟨r²⟩ = 10⁻³² cm²: (2/3)(80.377 GeV / 1.973269804×10⁻¹⁴ GeV cm)² × 10⁻³² × 0.23122 = 0.025575.
    func testChargeRadius() {
        let x = NeutrinoFlavor.chargeRadiusX(chargeRadiusCm2: 1e-32, sin2ThetaW: 0.23122)
        assertRelative(x, 0.025575, 1e-4)
        let a = ElectronScattering.standardModel(recoilKeV: 50, neutrinoEnergyKeV: 2000, flavor: .antiNuE, sin2ThetaW: 0.23122, chargeRadiusX: x)
        let b = ElectronScattering.standardModel(recoilKeV: 50, neutrinoEnergyKeV: 2000, flavor: .antiNuE, sin2ThetaW: 0.23122 + x / 2)
        assertRelative(a, b, 1e-12)
    }

    // Seed Eq. 8 hand value: Ge (Z = 32, N = 40.63), E = 3 MeV, T_N = 0.1 keV.
    func testCoherentStandardModelHandValue() {
        let m = 67_638_064.69
        let qw = 32 * (1 - 4 * 0.23122) - 40.63
        let expected = 4.3081641e-48 * m / (2 * 510.99895) * qw * qw * (1 - m * 0.1 / (2 * 3000 * 3000))
        let v = CoherentScattering.standardModel(nuclearRecoilKeV: 0.1, neutrinoEnergyKeV: 3000, Z: 32, N: 40.63, nucleusMassKeV: m, sin2ThetaW: 0.23122)
        assertRelative(v, expected, 1e-7)
        // Seed Eq. 9: Z² (πα²/m_e²) μ² [(1 − T/E)/T + T/4E²].
        let mm = CoherentScattering.magneticMoment(nuclearRecoilKeV: 0.1, neutrinoEnergyKeV: 3000, Z: 32, nucleusMassKeV: m, muNuInBohrMagnetons: 1e-10)
        assertRelative(mm, 2.494672e-45 * 1024 * ((1 - 0.1 / 3000) / 0.1 + 0.1 / (4 * 9e6)), 1e-6)
    }
}
