import XCTest
@testable import NMMPhysics

final class RateModelTests: XCTestCase {
    // physics.md §5 [calc]: Ge, φ = 6.4×10¹², free electrons, T = 12 keV:
    // SM 1.36×10⁻³ and MM(10⁻¹⁰ μ_B) 2.88×10⁻² counts/(kg keV day).
    func testGermaniumCheckValuesAt12keV() throws {
        let model = try Fixtures.germaniumModel()
        let r = try model.differentialRates(recoilKeV: 12)
        print("Ge T=12 keV: SM \(r.smPerKgKeVDay) (ref 1.36e-3), MM \(r.mmPerKgKeVDay) (ref 2.88e-2)")
        assertRelative(r.smPerKgKeVDay, 1.36e-3, 0.02, "SM")
        assertRelative(r.mmPerKgKeVDay, 2.88e-2, 0.02, "MM")
    }

    // Seed §4.3: MM/SM "a factor of 20 at T = 10 keV"; physics.md §5 [calc] ≈ 25 (10 keV), ≈ 21 (12 keV).
    func testMagneticToWeakRatio() throws {
        let model = try Fixtures.germaniumModel()
        let r10 = try model.differentialRates(recoilKeV: 10), r12 = try model.differentialRates(recoilKeV: 12)
        let ratio10 = r10.mmPerKgKeVDay / r10.smPerKgKeVDay, ratio12 = r12.mmPerKgKeVDay / r12.smPerKgKeVDay
        print("MM/SM: \(ratio10) at 10 keV, \(ratio12) at 12 keV")
        XCTAssert((15...30).contains(ratio10), "ratio at 10 keV \(ratio10)")
        assertRelative(ratio10, 25, 0.03)
        assertRelative(ratio12, 21, 0.03)
    }

    // Seed §4.3: for T ≪ E the MM rate depends on the total flux only: T·dR/dT ≈ K μ² N_e φ.
    // The deficit δ(T) = 1 − T·dR/dT/(K μ² N_e φ) comes from the 1/E term and from the flux
    // below E_min(T); it must stay small (< T/100 keV, i.e. ⟨1/E⟩ < 1/(100 keV)) and the rate
    // must scale exactly with the flux.
    func testMagneticRateScalesWithTotalFlux() throws {
        let model = try Fixtures.germaniumModel(flux: 6.4e12)
        let doubled = try Fixtures.germaniumModel(flux: 12.8e12)
        let ne = TargetMaterial.germanium.electronsPerKg
        let leading = PhysicsConstants.magneticPrefactorCm2 * 1e-20 * ne * 6.4e12 * 86_400
        var products: [Double] = []
        for t in [5.0, 10.0, 20.0] {
            let mm = try model.differentialRates(recoilKeV: t).mmPerKgKeVDay
            let deficit = 1 - mm * t / leading
            print("T=\(t) keV: MM·T / (K μ² N_e φ) = \(mm * t / leading)")
            XCTAssert(deficit > 0 && deficit < t / 100, "deficit \(deficit) at T = \(t)")
            assertRelative(try doubled.differentialRates(recoilKeV: t).mmPerKgKeVDay, 2 * mm, 1e-12)
            products.append(mm * t)
        }
        assertRelative(products[0], products[2], 0.05, "T·dR/dT at 5 vs 20 keV")
    }

    // The tabulated moments reproduce direct GSL integration over E_ν (SpectrumMoments doc: 10⁻⁶).
    func testTabulatedAgreesWithDirectIntegration() throws {
        let model = try Fixtures.germaniumModel()
        var worst = 0.0
        for t in [1e-4, 0.01, 0.5, 3, 11.5, 12, 37.3, 100, 300, 650, 700, 1000, 2000, 5000, 8000] {
            let d = try model.differentialRates(recoilKeV: t), f = model.tabulatedDifferentialRates(recoilKeV: t)
            assertRelative(f.smPerKgKeVDay, d.smPerKgKeVDay, 1e-6, "SM at \(t) keV")
            assertRelative(f.mmPerKgKeVDay, d.mmPerKgKeVDay, 1e-6, "MM at \(t) keV")
            worst = max(worst, abs(f.smPerKgKeVDay / d.smPerKgKeVDay - 1), abs(f.mmPerKgKeVDay / d.mmPerKgKeVDay - 1))
        }
        print("tabulated vs direct: worst relative difference \(worst)")
        XCTAssertEqual(model.tabulatedDifferentialRates(recoilKeV: 9900).smPerKgKeVDay, 0)
    }

    // physics.md §4 step approximation: just below the Ge K edge (11.103 keV) 30 of 32 electrons
    // take part, just above all 32.
    func testBindingStepAtGermaniumKEdge() throws {
        let on = try Fixtures.germaniumModel(bindingStep: true), off = try Fixtures.germaniumModel(bindingStep: false)
        let below = try on.differentialRates(recoilKeV: 11.0), above = try on.differentialRates(recoilKeV: 11.2)
        let freeBelow = try off.differentialRates(recoilKeV: 11.0), freeAbove = try off.differentialRates(recoilKeV: 11.2)
        let ratio = below.mmPerKgKeVDay / above.mmPerKgKeVDay
        print("binding step: MM(11.0)/MM(11.2) = \(ratio), SM ratio = \(below.smPerKgKeVDay / above.smPerKgKeVDay)")
        XCTAssertLessThan(ratio, 1)
        assertRelative(ratio / (freeBelow.mmPerKgKeVDay / freeAbove.mmPerKgKeVDay), 30.0 / 32.0, 1e-10)
        assertRelative((below.smPerKgKeVDay / above.smPerKgKeVDay) / (freeBelow.smPerKgKeVDay / freeAbove.smPerKgKeVDay), 30.0 / 32.0, 1e-10)
        assertRelative(above.mmPerKgKeVDay, freeAbove.mmPerKgKeVDay, 1e-12)
    }

    // Brief §7: sin²θ_W outside (0, 1) is a data error.
    func testValidation() throws {
        XCTAssertThrowsError(try RateModel(source: Fixtures.source(flux: 1e12), target: .germanium, sin2ThetaW: 1.5, bindingStep: false))
        // sin²θ_W enters SM only: the low-Q² value 0.2387 raises the SM rate (physics.md §2: ≈ 2.5 %).
        let a = try Fixtures.germaniumModel()
        let b = try RateModel(source: Fixtures.source(flux: 6.4e12), target: .germanium, sin2ThetaW: 0.2387, bindingStep: false)
        let ra = try a.differentialRates(recoilKeV: 12), rb = try b.differentialRates(recoilKeV: 12)
        XCTAssertEqual(ra.mmPerKgKeVDay, rb.mmPerKgKeVDay)
        print("SM(sin2=0.2387)/SM(0.23122) at 12 keV = \(rb.smPerKgKeVDay / ra.smPerKgKeVDay)")
        // For anti-nu_e at T ≪ E_ν (seed Eq. 4–5, g_V = 2s + 1/2, g_A = −1/2): SM ∝ (2s)² + (2s + 1)²;
        // the (1 − T/E)² and m_e T/E² corrections are below 1% of the 2% effect at 12 keV.
        func weak(_ s: Double) -> Double { 4 * s * s + (2 * s + 1) * (2 * s + 1) }
        XCTAssertEqual(rb.smPerKgKeVDay / ra.smPerKgKeVDay, weak(0.2387) / weak(0.23122), accuracy: 1e-3)
    }
}
