import XCTest
import NMMCore
@testable import NMMPhysics

final class SourcesTests: XCTestCase {
    // The two lines carry the total flux; from a reactor, flux = fissions/(cm² s) × 8.3×10⁻⁴
    // (seed §4.3). Kuo-Sheng (2.9 GW, 28 m): ν̄e 6.42×10¹² (physics.md §3) over 7.23 ν̄e per
    // fission → 8.9×10¹¹ fissions/(cm² s) → 7.4×10⁸ ν_e/(cm² s).
    func testLineFluxes() throws {
        let reactor = try ReactorSource(thermalPowerMW: 2900, distanceM: 28, fissionFractions: Fixtures.table1Fractions)
        let lines = try ReactorLineSource(reactor: reactor)
        XCTAssertEqual(lines.lines.reduce(0) { $0 + $1.fluxPerCm2PerS }, lines.totalFluxPerCm2PerS, accuracy: 1e-9 * lines.totalFluxPerCm2PerS)
        assertRelative(lines.totalFluxPerCm2PerS, reactor.fissionDensityPerCm2PerS * 8.3e-4, 1e-14)
        print("Kuo-Sheng nu_e line flux: \(lines.totalFluxPerCm2PerS) /cm2/s (anti-nu_e \(reactor.totalFluxPerCm2PerS))")
        assertRelative(lines.totalFluxPerCm2PerS, 6.42e12 / 7.23 * 8.3e-4, 3e-3)
        let source = NeutrinoSource.reactorLines(lines)
        XCTAssertEqual(source.flavor, .nuE)
        XCTAssertEqual(source.lines.map(\.energyKeV), [747, 231])
        XCTAssertEqual(source.maxEnergyKeV, 747)
        let crOnly = try ReactorLineSource(totalFluxPerCm2PerS: 1e9, chromiumShare: 1)
        XCTAssertEqual(crOnly.lines.count, 1)
        XCTAssertThrowsError(try ReactorLineSource(totalFluxPerCm2PerS: 1e9, chromiumShare: 1.5))
        XCTAssertThrowsError(try ReactorLineSource(totalFluxPerCm2PerS: -1))
    }

    // The tritium spectrum integrates to its total flux; a 40 MCi point source at 14.0 cm gives
    // MAMMONT's 6×10¹⁴ cm⁻² s⁻¹ (seed §5): 40×10⁶ × 3.7×10¹⁰ / (4π (0.14 m)²) = 6.008×10¹⁴.
    func testTritiumFlux() throws {
        let t = try TritiumSource(activityBq: 40e6 * TritiumSource.becquerelPerCurie, distanceM: 0.14)
        assertRelative(t.totalFluxPerCm2PerS, 40e6 * 3.7e10 / (4 * Double.pi * 14 * 14), 1e-14)
        assertRelative(t.totalFluxPerCm2PerS, 6.008e14, 1e-3)
        let integral = try Integrator(relativeTolerance: 1e-10).integrate(0, t.endpointKeV) { t.fluxPerCm2PerSPerKeV(energyKeV: $0) }.value
        assertRelative(integral, t.totalFluxPerCm2PerS, 1e-8)
        XCTAssertEqual(NeutrinoSource.tritium(t).flavor, .antiNuE)
        XCTAssertEqual(NeutrinoSource.tritium(t).maxEnergyKeV, 18.591, accuracy: 1e-12)
    }

    // Shape: 0 above Q; vanishes like E_ν² at E_ν → 0 (where the electron takes the whole Q:
    // the electron spectrum's endpoint); at E_ν → Q (electron at rest) finite, because
    // p·F(Z, W) → 2παZ·W for β⁻ (Coulomb attraction) — so the ν̄e spectrum does NOT vanish at
    // its own endpoint: there it tends to (2πα·2) Q² / norm, and it is largest there.
    func testTritiumShape() throws {
        let t = try TritiumSource(totalFluxPerCm2PerS: 1)
        let q = t.endpointKeV
        XCTAssertEqual(t.fluxPerCm2PerSPerKeV(energyKeV: q * 1.0001), 0)
        XCTAssertEqual(t.fluxPerCm2PerSPerKeV(energyKeV: 0), 0)
        let r = t.fluxPerCm2PerSPerKeV(energyKeV: 1e-3 * q) / t.fluxPerCm2PerSPerKeV(energyKeV: 2e-3 * q)
        XCTAssertEqual(r, 0.25, accuracy: 1e-3)   // ∝ E² near 0
        let nearQ = t.fluxPerCm2PerSPerKeV(energyKeV: q * (1 - 1e-9)), mid = t.fluxPerCm2PerSPerKeV(energyKeV: q / 2)
        XCTAssertGreaterThan(nearQ, mid)
        // Ratio to the value implied by the Coulomb limit, p W F → 2παZ at W = 1: within 1 %
        // (the (2pR)^(2γ−2) factor and the residual p dependence).
        let norm = t.decay.normalisation  // ∫ p W E² F dE in MeV units
        let qMeV = q / 1000
        let limit = 2 * Double.pi * PhysicsConstants.fineStructureConstant * 2 * qMeV * qMeV / norm / 1000
        XCTAssertEqual(nearQ / limit, 1, accuracy: 0.01)
    }

    // ν–e rates for a line source: N_e φ_line dσ/dT(E_line, T) with ν_e couplings, zero above
    // T_max(231 keV) = 109.6 keV for the Fe line alone.
    func testLineRatesAreCrossSectionTimesFlux() throws {
        let lines = try ReactorLineSource(totalFluxPerCm2PerS: 1e9)
        let rates = try ElectronRecoilRates(source: .reactorLines(lines), target: .germanium, bindingStep: false)
        let ne = TargetMaterial.germanium.electronsPerKg * PhysicsConstants.secondsPerDay
        for t in [1.0, 50, 120, 500] {
            var sm = 0.0, mm = 0.0
            for line in lines.lines {
                sm += line.fluxPerCm2PerS * ElectronScattering.standardModel(recoilKeV: t, neutrinoEnergyKeV: line.energyKeV, flavor: .nuE)
                mm += line.fluxPerCm2PerS * ElectronScattering.magneticMoment(recoilKeV: t, neutrinoEnergyKeV: line.energyKeV, muNuInBohrMagnetons: 1e-10)
            }
            let r = rates.differentialRates(recoilKeV: t)
            assertRelative(r.smPerKgKeVDay, sm * ne, 1e-12, "SM at \(t)")
            assertRelative(r.mmPerKgKeVDay, mm * ne, 1e-12, "MM at \(t)")
        }
        XCTAssertEqual(Kinematics.maxElectronRecoilKeV(neutrinoEnergyKeV: 231), 109.6, accuracy: 0.1)
        XCTAssertEqual(Kinematics.maxElectronRecoilKeV(neutrinoEnergyKeV: 747), 557.0, accuracy: 0.5)
        XCTAssertEqual(rates.differentialRates(recoilKeV: 560).mmPerKgKeVDay, 0)
        // ν_e couplings (seed Eq. 5: g_V = 2 sin²θ_W + ½ = 0.96244, g_A = +½) at E = 747, T = 50 keV:
        // K[(1.46244)² + (0.46244)²(1 − 50/747)² + (¼ − 0.96244²) m_e·50/747²], ν̄e swaps g_A + g_V and g_V − g_A.
        let gv = 0.96244, y = 1 - 50.0 / 747, me = 510.99895
        let nuHand = (gv + 0.5) * (gv + 0.5) + (gv - 0.5) * (gv - 0.5) * y * y + (0.25 - gv * gv) * me * 50 / (747 * 747)
        let antiHand = (gv - 0.5) * (gv - 0.5) + (gv + 0.5) * (gv + 0.5) * y * y + (0.25 - gv * gv) * me * 50 / (747 * 747)
        let k = PhysicsConstants.weakElectronPrefactorCm2PerKeV
        assertRelative(ElectronScattering.standardModel(recoilKeV: 50, neutrinoEnergyKeV: 747, flavor: .nuE), k * nuHand, 1e-12)
        assertRelative(ElectronScattering.standardModel(recoilKeV: 50, neutrinoEnergyKeV: 747, flavor: .antiNuE), k * antiHand, 1e-12)
        XCTAssertEqual(nuHand / antiHand, 1.1218, accuracy: 1e-4)
    }

    // For the reactor, ElectronRecoilRates reproduces RateModel (same moments and formulas).
    func testReactorAgreesWithRateModel() throws {
        let source = try Fixtures.source(flux: 6.4e12)
        let old = try RateModel(source: source, target: .germanium, bindingStep: true)
        let new = try ElectronRecoilRates(source: .reactor(source), target: .germanium, bindingStep: true)
        for t in [0.05, 1.3, 12, 100, 2000] {
            let a = old.tabulatedDifferentialRates(recoilKeV: t), b = new.differentialRates(recoilKeV: t)
            XCTAssertEqual(a.smPerKgKeVDay, b.smPerKgKeVDay)
            XCTAssertEqual(a.mmPerKgKeVDay, b.mmPerKgKeVDay)
        }
    }

    // Tritium ν–e rates: tabulated moments against a direct integral of Eq. 6 over the spectrum;
    // nothing above T_max(Q) = 2Q²/(m_e + 2Q) = 1.26099 keV.
    func testTritiumElectronRates() throws {
        let t = try TritiumSource(totalFluxPerCm2PerS: 6e14)
        let rates = try ElectronRecoilRates(source: .tritium(t), target: .germanium, bindingStep: false)
        let ne = TargetMaterial.germanium.electronsPerKg * PhysicsConstants.secondsPerDay
        for recoil in [0.01, 0.1, 0.5, 1.0] {
            let eMin = Kinematics.minNeutrinoEnergyKeV(electronRecoilKeV: recoil)
            let direct = try Integrator(relativeTolerance: 1e-10).integrate(eMin, t.endpointKeV) {
                t.fluxPerCm2PerSPerKeV(energyKeV: $0) * ElectronScattering.magneticMoment(recoilKeV: recoil, neutrinoEnergyKeV: $0, muNuInBohrMagnetons: 1e-10)
            }.value
            assertRelative(rates.differentialRates(recoilKeV: recoil).mmPerKgKeVDay, direct * ne, 1e-6, "T = \(recoil)")
        }
        let tMax = Kinematics.maxElectronRecoilKeV(neutrinoEnergyKeV: 18.591)
        XCTAssertEqual(tMax, 1.26099, accuracy: 1e-5)
        XCTAssertEqual(rates.differentialRates(recoilKeV: tMax * 1.001).mmPerKgKeVDay, 0)
    }
}
