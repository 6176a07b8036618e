import XCTest
import NMMCore
@testable import NMMStages

/// What the new sources add to spectra.fits survives the file (event selection cards,
/// QUALITY), the config picks the source, and subtract leaves excluded bins unused.
final class IngestSourcesTests: XCTestCase {
    func spectrum(_ counts: [Double], file: String) -> RawSpectrum {
        RawSpectrum(energyLowKeV: counts.indices.map { 12 + Double($0) }, energyHighKeV: counts.indices.map { 13 + Double($0) },
                    counts: counts, liveTimeDays: 2, massKg: 1, sourceFile: file)
    }

    let selection = EventSelectionSummary(
        nominalPowerMW: 2900, onPowerFraction: 0.9, offPowerFraction: 0.05, transitionMarginHours: 2, deadTimeFraction: 0.02,
        onTimeDays: 2.04, offTimeDays: 2.04, onMeanPowerMW: 2813, offMeanPowerMW: 3.5, onEvents: 10, offEvents: 4,
        onEventsBinned: 9, offEventsBinned: 4, onFissionFractions: ["U235": 0.5, "U238": 0.07, "Pu239": 0.36, "Pu241": 0.07])

    func testSelectionAndQualityRoundTripThroughTheFile() throws {
        let pair = SpectrumPair(on: spectrum([5, 4, 0, 0], file: "e.fits"), off: spectrum([1, 3, 0, 0], file: "e.fits"),
                                offExposureFactor: 1, excludedBins: [false, true, false, false], eventSelection: selection)
        let doc = pair.document()
        XCTAssertEqual(try SpectrumPair(document: doc), pair)
        XCTAssertEqual(try doc.double("FLUXSCAL"), 2813.0 / 2900)
        XCTAssertEqual(pair.onFluxScale, 2813.0 / 2900)
        XCTAssertEqual(try doc.table("ON").int("NEVENTS"), 10)
        XCTAssertEqual(try doc.double("FFPU239"), 0.36)
        let plain = SpectrumPair(on: pair.on, off: pair.off, offExposureFactor: 1)
        XCTAssertEqual(plain.onFluxScale, 1)
        XCTAssertNil(plain.document().keyword("INKIND"), "a plain pair writes none of the new cards")
        XCTAssertFalse(try plain.document().table("ON").hasColumn("QUALITY"))
    }

    func testSubtractLeavesExcludedBinsUnused() throws {
        var config = try ConfigLoader.parse(text: ConfigSchema.minimalExample, file: "t.yaml")
        config.analysis.windowKeV = [12, 16]
        let pair = SpectrumPair(on: spectrum([5, 4, 3, 2], file: "on"), off: spectrum([1, 3, 2, 1], file: "off"),
                                offExposureFactor: 1, excludedBins: [false, true, false, false])
        XCTAssertEqual(try Subtract().run(pair, config: config).used, [true, false, true, true])
    }

    func testTheConfigChoosesTheSource() throws {
        func config(_ inputs: String) throws -> AnalysisConfig {
            var c = try ConfigLoader.parse(text: ConfigSchema.minimalExample.replacingOccurrences(
                of: "inputs: {on: on.fits, off: off.fits}", with: inputs), file: "/d/t.yaml")
            c.sourcePath = "/d/t.yaml"
            return c
        }
        let events = try config("inputs: {kind: events, events: e.fits, reactorLog: l.csv, onPowerFraction: 0.9, offPowerFraction: 0.05, binningKeV: [12, 16, 1]}")
        XCTAssertEqual(Ingest.source(config: events).inputFiles, ["/d/e.fits", "/d/l.csv"])
        XCTAssertTrue(Ingest.source(config: events) is EventListSource)
        XCTAssertFalse(Ingest.acceptsFileOverrides(events))
        let ogip = try config("inputs: {kind: ogip, on: a.pha, off: b.pha}")
        XCTAssertEqual(Ingest.source(config: ogip, onPath: "/x/on.pha").inputFiles, ["/x/on.pha", "/d/b.pha"])
        XCTAssertTrue(Ingest.source(config: try config("inputs: {on: a.csv, off: b.csv}")) is SpectrumFilePair)
    }
}
