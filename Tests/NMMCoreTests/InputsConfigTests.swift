import Foundation
import XCTest
@testable import NMMCore

/// The `inputs` section's kinds: per-kind keys and checks, and the section hash ingest
/// records (unchanged for existing pair configs; for events it follows the values taken
/// from other sections).
final class InputsConfigTests: XCTestCase {
    let events = "inputs: {kind: events, events: e.fits, reactorLog: log.csv, onPowerFraction: 0.9, offPowerFraction: 0.05, binningKeV: [12, 64, 1]}"

    func parse(_ text: String) throws -> AnalysisConfig {
        var c = try ConfigLoader.parse(text: text, file: "t.yaml")
        c.sourcePath = "t.yaml"
        try c.validate()
        return c
    }

    func with(_ inputs: String, _ edits: [(String, String)] = []) -> String {
        var text = ConfigSchema.minimalExample.replacingOccurrences(of: "inputs: {on: on.fits, off: off.fits}", with: inputs)
        for (a, b) in edits { text = text.replacingOccurrences(of: a, with: b) }
        return text
    }

    func message(_ text: String) -> String {
        do { _ = try parse(text); return "" } catch { return "\(error)" }
    }

    /// The hash of a pair config is the hash of {"off":…,"on":…} as before kinds existed, and
    /// writing `kind: pair` does not change it.
    func testPairSectionHashIsUnchanged() throws {
        let plain = try parse(ConfigSchema.minimalExample)
        XCTAssertEqual(plain.inputKind, .pair)
        XCTAssertEqual(plain.sectionSHA256(.inputs), SHA256Hex.of(data: Data(#"{"off":"off.fits","on":"on.fits"}"#.utf8)))
        XCTAssertEqual(try parse(with("inputs: {kind: pair, on: on.fits, off: off.fits}")).sectionSHA256(.inputs),
                       plain.sectionSHA256(.inputs))
    }

    /// The nominal power and the mass an events config takes from reactor and detector are in
    /// its inputs hash: changing them reruns ingest; writing them out is the same content.
    func testEventsSectionHashFollowsNominalPowerAndMass() throws {
        let base = try parse(with(events))
        XCTAssertEqual(base.nominalPowerMW, 2900)
        XCTAssertEqual(base.inputMassKg, 1.06)
        XCTAssertNotEqual(try parse(with(events, [("thermalPowerMW: 2900", "thermalPowerMW: 2800")])).sectionSHA256(.inputs),
                          base.sectionSHA256(.inputs))
        XCTAssertNotEqual(try parse(with(events, [("massKg: 1.06", "massKg: 1.1")])).sectionSHA256(.inputs), base.sectionSHA256(.inputs))
        let explicit = events.replacingOccurrences(of: "binningKeV", with: "nominalPowerMW: 2900, massKg: 1.06, binningKeV")
        XCTAssertEqual(try parse(with(explicit)).sectionSHA256(.inputs), base.sectionSHA256(.inputs))
    }

    func testPerKindChecks() {
        XCTAssertTrue(message(with("inputs: {on: on.fits}")).contains("inputs.off: required key is missing (inputs of kind pair)"))
        XCTAssertTrue(message(with("inputs: {kind: ogip, off: b.pha}")).contains("inputs.on: required key is missing (inputs of kind ogip)"))
        XCTAssertTrue(message(with("inputs: {kind: ogip, on: a.pha, offExposureFactor: 2}"))
            .contains("inputs.offExposureFactor: not read by inputs of kind ogip; expected only with kind pair"))
        XCTAssertTrue(message(with(events.replacingOccurrences(of: "onPowerFraction: 0.9", with: "onPowerFraction: 0.04")))
            .contains("inputs.onPowerFraction: expected a fraction > offPowerFraction"))
        XCTAssertTrue(message(with(events.replacingOccurrences(of: "binningKeV", with: "deadTimeFraction: 1, binningKeV")))
            .contains("inputs.deadTimeFraction: expected a fraction in [0, 1)"))
        XCTAssertTrue(message(with(events.replacingOccurrences(of: "binningKeV", with: "timeRangeMJD: [2, 1], binningKeV")))
            .contains("inputs.timeRangeMJD"))
        XCTAssertTrue(message(with("inputs: {kind: tape, on: a}")).contains("expected pair, events or ogip, found 'tape'"))
        let flux = with(events, [("  thermalPowerMW: 2900\n  distanceM: 28\n", "  totalFluxPerCm2PerS: 6.4e12\n")])
        XCTAssertTrue(message(flux).contains("inputs.nominalPowerMW: required when reactor.thermalPowerMW is not given"), message(flux))
    }

    func testSimulationLiveTimesAreNeededOnlyForSpectra() {
        let spectra = "simulation: {rangeKeV: [2, 100], binWidthKeV: 1, backgroundPerKgKeVDay: 1}"
        XCTAssertTrue(message(ConfigSchema.minimalExample + "\n" + spectra + "\n").contains("simulation.onLiveTimeHours: required key is missing"))
        let list = "simulation: {rangeKeV: [2, 100], binWidthKeV: 1, backgroundPerKgKeVDay: 1, events: {mjdRef: 60310, reactorPeriodsHours: [[10, 1], [5, 0]]}}"
        XCTAssertEqual(message(ConfigSchema.minimalExample + "\n" + list + "\n"), "")
        let badGap = list.replacingOccurrences(of: "[5, 0]]}", with: "[5, 0]], dataGapsHours: [[14, 16]]}")
        XCTAssertTrue(message(ConfigSchema.minimalExample + "\n" + badGap + "\n").contains("simulation.events.dataGapsHours[0]"))
    }
}
