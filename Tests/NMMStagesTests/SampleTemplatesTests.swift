import Foundation
import XCTest
@testable import NMMCore
@testable import NMMStages
@testable import NMMPhysics

/// Templates from the config's source and samples (issue 18): a reactor config without the new
/// sections gives exactly the former SM and MM columns; coherent samples add to SM and MM and
/// are the physics layer's `CoherentRates` bin for bin; line and tritium sources write their
/// flux (LINES, FLUX), the flavour and the source keywords; schema 2 reads back what it writes.
final class SampleTemplatesTests: XCTestCase {
    func config(_ extra: String = "", base: String = ConfigSchema.minimalExample) throws -> AnalysisConfig {
        var c = try ConfigLoader.parse(text: base + "\n" + extra + "\n", file: "t.yaml")
        c.sourcePath = "t.yaml"
        try c.validate()
        return c
    }

    static let noReactor = """
        experiment: t
        detector: {target: Ge, massKg: 1, bindingStep: true}
        inputs: {on: on.fits, off: off.fits}
        analysis: {windowKeV: [0.01, 1.3]}
        """

    func keyword(_ t: TemplateSet, _ name: String) -> FITSValue? { t.inputs.first(named: name)?.value }

    func roundTrip(_ t: TemplateSet) throws -> TemplateSet {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-templates-\(UUID().uuidString).fits").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FITSIO.write(t.document(), to: path)
        return try TemplateSet(document: try FITSIO.read(path))
    }

    func testAReactorConfigWithoutTheNewSectionsGivesTheFormerTemplatesExactly() throws {
        let c = try config()
        let low = (12..<64).map(Double.init), high = low.map { $0 + 1 }
        let t = try Templates().build(lowKeV: low, highKeV: high, config: c)
        let former = try PhysicsSetup.rateModel(c).binnedRates(edgesKeV: low + [64])
        XCTAssertEqual(t.smRate, former.sm, "bit for bit")
        XCTAssertEqual(t.mmRate, former.mm, "bit for bit")
        XCTAssertEqual(t.electronSMRate, t.smRate)
        XCTAssertEqual(t.coherentSMRate, [Double](repeating: 0, count: low.count))
        XCTAssertFalse(t.hasCoherentSamples)
        XCTAssertEqual(t.fluxEnergyMeV, Templates.fluxGridMeV)
        XCTAssertEqual(keyword(t, "SRCKIND"), .string("reactor"))
        XCTAssertEqual(keyword(t, "COHERENT"), .bool(false))
        XCTAssertEqual(keyword(t, "FLAVOR"), .string("anti-nu_e"))
        XCTAssertEqual(try roundTrip(t), t)
    }

    func testCoherentSamplesJoinTheSMAndMMTemplates() throws {
        let c = try config("coherent: {quenching: {model: lindhard, k: 0.162}}",
                           base: ConfigSchema.minimalExample.replacingOccurrences(
                            of: "detector: {target: Ge, massKg: 1.06}",
                            with: "detector: {target: Ge, massKg: 2.83, bindingStep: true, resolution: {aKeV: 0.02, bKeV: 0, c: 0}}"))
        let low = (0..<40).map { 0.2 + 0.02 * Double($0) }, high = low.map { $0 + 0.02 }
        let t = try Templates().build(lowKeV: low, highKeV: high, config: c)
        XCTAssertTrue(t.hasCoherentSamples)
        for i in low.indices {
            XCTAssertEqual(t.smRate[i], t.electronSMRate[i] + t.coherentSMRate[i])
            XCTAssertEqual(t.mmRate[i], t.electronMMRate[i] + t.coherentMMRate[i])
        }
        // The physics layer's coherent rates, folded with the same 20 eV resolution.
        let direct = try CoherentRates(source: .reactor(try PhysicsSetup.reactorSource(c)), target: .germanium,
                                       quenching: .lindhard(k: 0.162), response: try PhysicsSetup.response(c))
            .binnedRates(edgesKeV: low + [high.last!])
        XCTAssertEqual(t.coherentSMRate, direct.sm)
        XCTAssertEqual(t.coherentMMRate, direct.mm)
        // CEvNS dominates the SM template at 0.2 keV_ee and has ended by 0.8 keV_ee (T_N,max(10 MeV) ≈ 3 keV_nr).
        XCTAssertGreaterThan(t.coherentSMRate[0], 1000 * t.electronSMRate[0])
        XCTAssertEqual(t.coherentSMRate.last!, 0, accuracy: 1e-12)
        XCTAssertEqual(keyword(t, "QUENCH"), .string("lindhard"))
        XCTAssertEqual(keyword(t, "QUENCHK"), .double(0.162))
        XCTAssertEqual(keyword(t, "FORMFAC"), .bool(true))
        XCTAssertEqual(try roundTrip(t), t)
    }

    func testALineSourceWritesItsLinesAndItsFlavour() throws {
        let c = try config("source: {kind: reactor-lines, chromiumShare: 0.25}")
        let low = (12..<20).map(Double.init), high = low.map { $0 + 1 }
        let t = try Templates().build(lowKeV: low, highKeV: high, config: c)
        XCTAssertEqual(t.lineEnergyKeV, [747, 231])
        // 2.9 GW at 28 m: 8.88e11 fissions/cm²/s × 8.3e-4 (seed §4.3) = 7.38e8 ν_e/cm²/s.
        XCTAssertEqual(t.totalFluxPerCm2PerS, 7.377e8, accuracy: 0.002e8)
        XCTAssertEqual(t.lineFluxPerCm2PerS[0] / t.totalFluxPerCm2PerS, 0.25, accuracy: 1e-12)
        XCTAssertTrue(t.fluxEnergyMeV.isEmpty, "a line source has no continuous spectrum")
        XCTAssertEqual(keyword(t, "FLAVOR"), .string("nu_e"))
        XCTAssertEqual(keyword(t, "SRCKIND"), .string("reactor-lines"))
        XCTAssertEqual(keyword(t, "CRSHARE"), .double(0.25))
        XCTAssertEqual(keyword(t, "NUEPERF"), .double(8.3e-4))
        XCTAssertEqual(try roundTrip(t), t, "LINES written and read, no FLUX table")
        // ν_e–e MM for T ≪ T_max depends on the total flux only: per ν_e it is the ν̄e value.
        let r = try ElectronRecoilRates(source: .reactorLines(ReactorLineSource(totalFluxPerCm2PerS: t.totalFluxPerCm2PerS)),
                                        target: .germanium, bindingStep: false)
        XCTAssertEqual(t.mmRate[0], try r.binnedRates(edgesKeV: [12, 13]).mm[0], accuracy: 0.03 * t.mmRate[0],
                       "the split moves the 12 keV bin by a few % (1/T − 1/E_ν)")
    }

    func testTritiumFluxTableIntegratesToTheTotalAndQuenchingTablesRoundTrip() throws {
        let c = try config("source: {kind: tritium, activityCi: 4.0e7, distanceM: 0.14}\n"
                           + "coherent: {quenching: {model: table, table: [[0.001, 0.1], [1, 0.2]]}}", base: Self.noReactor)
        let low = (1..<130).map { 0.01 * Double($0) }, high = low.map { $0 + 0.01 }
        let t = try Templates().build(lowKeV: low, highKeV: high, config: c)
        // 40 MCi = 1.48e18 Bq at 14 cm: 6.0e14 cm⁻² s⁻¹ (seed §5).
        XCTAssertEqual(t.totalFluxPerCm2PerS, 1.48e18 / (4 * Double.pi * 14 * 14), accuracy: 1e6)
        var integral = 0.0, previous = (e: 0.0, f: 0.0)
        for (e, f) in zip(t.fluxEnergyMeV, t.fluxPerCm2PerSPerMeV) {
            integral += 0.5 * (f + previous.f) * (e - previous.e)
            previous = (e, f)
        }
        XCTAssertEqual(integral / t.totalFluxPerCm2PerS, 1, accuracy: 1e-3, "trapezoid over 1000 steps")
        XCTAssertEqual(t.quenchingRecoilKeV, [0.001, 1])
        XCTAssertEqual(t.quenchingYield, [0.1, 0.2])
        XCTAssertEqual(t.coherentSMRate.max(), 0, "tritium's nuclear recoils (< 0.01 eV_nr) stay below 10 eV_ee")
        XCTAssertEqual(t.electronMMRate.last, 0, "above T_max(18.591 keV) = 1.26 keV")
        XCTAssertEqual(keyword(t, "ACTBQ"), .double(4.0e7 * 3.7e10))
        XCTAssertEqual(keyword(t, "QUENCH"), .string("table"))
        XCTAssertEqual(try roundTrip(t), t)
    }
}
