import XCTest
import NMMCore
@testable import NMMPhysics

final class ReactorSourceTests: XCTestCase {
    /// Composite Simpson rule (independent of the GSL integrals used in the code).
    private func simpson(_ a: Double, _ b: Double, _ n: Int = 4000, _ f: (Double) -> Double) -> Double {
        let h = (b - a) / Double(n)
        var s = f(a) + f(b)
        for i in 1..<n { s += f(a + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
        return s * h / 3
    }

    // Seed Table 1: ν̄e per fission 6.14 (²³⁵U), 7.08 (²³⁸U), 5.58 (²³⁹Pu), 6.42 (²⁴¹Pu),
    // integral over all E including the < 2 MeV treatment, within 1 %.
    func testYieldPerFissionMatchesTable1() throws {
        let expected: [FissionIsotope: Double] = [.u235: 6.14, .u238: 7.08, .pu239: 5.58, .pu241: 6.42]
        for isotope in FissionIsotope.allCases {
            let s = try FissionSpectrum.standard(isotope)
            let total = simpson(0, 2) { s.perMeVPerFission(energyMeV: $0) } + simpson(2, 10) { s.perMeVPerFission(energyMeV: $0) }
            assertRelative(total, expected[isotope]!, 1e-2, isotope.rawValue)
            assertRelative(total, expected[isotope]!, 1e-6, "\(isotope.rawValue) (construction)")
            print("yield \(isotope.rawValue): \(total) (Table 1: \(expected[isotope]!)), low-energy tilt beta = \(s.lowEnergyTilt)")
        }
    }

    // The < 2 MeV treatment joins the Huber/Mueller fit continuously at 2 MeV (FissionSpectrum doc).
    func testContinuousAtTwoMeV() throws {
        for isotope in FissionIsotope.allCases {
            let s = try FissionSpectrum.standard(isotope)
            assertRelative(s.perMeVPerFission(energyMeV: 2 - 1e-9), s.perMeVPerFission(energyMeV: 2), 1e-8, isotope.rawValue)
            XCTAssertEqual(s.perMeVPerFission(energyMeV: 10.5), 0)
        }
    }

    // Seed Table 1: ²³⁸U(n,γ) chain gives 2.0 ν̄e per capture, endpoint ~1.3 MeV.
    func testCaptureChainYield() throws {
        let chain = try CaptureChainSpectrum.standard()
        let total = simpson(0, 0.722, 20_000) { chain.perMeVPerCapture(energyMeV: $0) }
            + simpson(0.722, 1.265, 20_000) { chain.perMeVPerCapture(energyMeV: $0) }
        assertRelative(total, 2.0, 1e-3)
        XCTAssertEqual(chain.perMeVPerCapture(energyMeV: 1.3), 0)
        XCTAssertGreaterThan(chain.perMeVPerCapture(energyMeV: 1.2), 0)
    }

    // physics.md §3 [calc]: Table 1 fractions and 0.6 captures → 7.23 ν̄e per fission.
    func testTotalNeutrinosPerFission() throws {
        let source = try ReactorSource(thermalPowerMW: 2900, distanceM: 28, fissionFractions: Fixtures.table1Fractions)
        assertRelative(source.neutrinosPerFission, 7.23, 1e-2)
        let integral = simpson(0, 0.722, 20_000) { source.fluxPerCm2PerSPerMeV(energyMeV: $0) }
            + simpson(0.722, 1.265, 20_000) { source.fluxPerCm2PerSPerMeV(energyMeV: $0) }
            + simpson(1.265, 2) { source.fluxPerCm2PerSPerMeV(energyMeV: $0) }
            + simpson(2, 10) { source.fluxPerCm2PerSPerMeV(energyMeV: $0) }
        assertRelative(integral / source.fissionDensityPerCm2PerS, 7.2266, 1e-4)
        assertRelative(integral, source.totalFluxPerCm2PerS, 1e-4)
    }

    // physics.md §3: Kuo-Sheng 2.9 GW at 28 m → 6.42×10¹² cm⁻² s⁻¹ [calc]; TEXONO quotes 6.4×10¹² [pub].
    func testKuoShengFlux() throws {
        let source = try ReactorSource(thermalPowerMW: 2900, distanceM: 28, fissionFractions: Fixtures.table1Fractions)
        assertRelative(source.totalFluxPerCm2PerS, 6.42e12, 1e-3)   // physics.md §3 [calc], 3 digits
        assertRelative(source.totalFluxPerCm2PerS, 6.4e12, 2e-2)
        // Mean energy per fission Σ f_i E_i (Ma et al. 2013) = 206.72 MeV; fissions/s = P/E_f.
        assertRelative(source.meanEnergyPerFissionMeV, 206.7197, 1e-6)
        assertRelative(source.fissionsPerSecond!, 2.9e9 / (206.7197 * 1.602176634e-13), 1e-6)
        print("Kuo-Sheng flux: \(source.totalFluxPerCm2PerS) /cm²/s, fissions/s \(source.fissionsPerSecond!)")
    }

    // A source built from a total flux has the same shape, normalised to that flux.
    func testFluxGivenDirectly() throws {
        let a = try ReactorSource(thermalPowerMW: 2900, distanceM: 28, fissionFractions: Fixtures.table1Fractions)
        let b = try Fixtures.source(flux: 6.4e12)
        assertRelative(b.totalFluxPerCm2PerS, 6.4e12, 1e-12)
        XCTAssertNil(b.fissionsPerSecond)
        let energies = [0.3, 1.0, 1.5, 3.0, 6.0]
        let ratio = zip(a.spectrumTable(energiesMeV: energies), b.spectrumTable(energiesMeV: energies)).map { $0 / $1 }
        for r in ratio { assertRelative(r, a.totalFluxPerCm2PerS / 6.4e12, 1e-12) }
        XCTAssertEqual(b.maxEnergyMeV, 10)
    }

    // Brief §2/§7: invalid inputs throw PhysicsError with exit status 65 (data error).
    func testValidation() {
        func kind(_ body: () throws -> Void) -> PhysicsError.Kind? {
            do { try body(); return nil } catch let e as PhysicsError {
                XCTAssertEqual(e.exitStatus, .dataError)
                return e.kind
            } catch { return nil }
        }
        let f = Fixtures.table1Fractions
        XCTAssertEqual(kind { _ = try ReactorSource(thermalPowerMW: -1, distanceM: 28, fissionFractions: f) }, .invalidValue)
        XCTAssertEqual(kind { _ = try ReactorSource(thermalPowerMW: 2900, distanceM: 0, fissionFractions: f) }, .invalidValue)
        XCTAssertEqual(kind { _ = try ReactorSource(thermalPowerMW: 2900, distanceM: 28, fissionFractions: [.u235: 0.5, .pu239: 0.4]) },
                       .invalidFissionFractions)
        XCTAssertEqual(kind { _ = try ReactorSource(thermalPowerMW: 2900, distanceM: 28, fissionFractions: [.u235: 1.2, .pu239: -0.2]) },
                       .invalidFissionFractions)
        XCTAssertEqual(kind { _ = try ReactorSource(totalFluxPerCm2PerS: .nan, fissionFractions: f) }, .invalidValue)
        XCTAssertEqual(kind { _ = try ReactorSource(totalFluxPerCm2PerS: 1e12, fissionFractions: f, capturesPerFission: -0.1) }, .invalidValue)
        // Sum within 10⁻³ of 1 is accepted.
        XCTAssertNil(kind { _ = try ReactorSource(thermalPowerMW: 2900, distanceM: 28, fissionFractions: [.u235: 0.5, .pu239: 0.5005]) })
    }
}
