import Foundation
import XCTest
@testable import NMMCore

/// Event lists and reactor logs by hand-sized examples: interval arithmetic, the ON/OFF
/// selection with margins, the power and fission weighting, dead time, time ranges, time
/// frames (TIMEZERO, a GTI with its own MJDREF, logs in MJD and in FITS) and PHA calibration.
final class EventListSourceTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    static let frame = [FITSKeyword("MJDREFI", .int(60310)), FITSKeyword("MJDREFF", .double(0.5)),
                        FITSKeyword("TIMESYS", .string("TT"))]

    /// EVENTS (TIME [s] unless `timeUnit`, ENERGY [keV] or PHA) + GTI.
    func writeEvents(times: [Double], energies: [Double], gtis: [(Double, Double)], extra: [FITSKeyword] = [],
                     gtiKeywords: [FITSKeyword] = [], phaColumn: Bool = false, timeUnit: String = "s",
                     gtiUnit: String = "s") throws {
        let energy = phaColumn ? FITSColumn("PHA", unit: "", .double(energies)) : FITSColumn("ENERGY", unit: "keV", .double(energies))
        let doc = FITSDocument(tables: [
            FITSTable(name: "EVENTS", keywords: Self.frame + extra, columns: [FITSColumn("TIME", unit: timeUnit, .double(times)), energy]),
            FITSTable(name: "GTI", keywords: gtiKeywords, columns: [
                FITSColumn("START", unit: gtiUnit, .double(gtis.map(\.0))), FITSColumn("STOP", unit: gtiUnit, .double(gtis.map(\.1))),
            ]),
        ])
        try FITSIO.write(doc, to: path("events.fits"))
    }

    /// A CSV log in hours from MJD 60310.5 (TT): rows "start,stop,power[,ff…]".
    func writeLog(_ rows: [String], fractions: Bool = false) throws {
        let header = "START [h],STOP [h],POWER [MW]" + (fractions ? ",FF_U235,FF_U238,FF_PU239,FF_PU241" : "")
        try ("#! timesys = TT\n#! mjdref = 60310.5\n\(header)\n" + rows.joined(separator: "\n") + "\n")
            .write(toFile: path("log.csv"), atomically: true, encoding: .utf8)
    }

    func source(on: Double = 0.85, off: Double = 0.05, marginHours: Double = 0, dead: Double? = nil,
                binning: [Double] = [10, 14, 1], range: [Double]? = nil, pha: [Double]? = nil) -> EventListSource {
        var c = try! ConfigLoader.parse(text: ConfigSchema.minimalExample, file: path("c.yaml"))
        c.inputs = InputsConfig(kind: .events, events: "events.fits", reactorLog: "log.csv", nominalPowerMW: 1000, onPowerFraction: on,
                                offPowerFraction: off, transitionMarginHours: marginHours, deadTimeFraction: dead,
                                binningKeV: binning, phaCalibrationKeV: pha, timeRangeMJD: range)
        c.sourcePath = path("c.yaml")
        return EventListSource(config: c)
    }

    func testIntervalArithmetic() {
        let a = [TimeSpan(startS: 0, stopS: 10), TimeSpan(startS: 20, stopS: 30)]
        let b = [TimeSpan(startS: 5, stopS: 25)]
        XCTAssertEqual(TimeSpans.intersection(a, b), [TimeSpan(startS: 5, stopS: 10), TimeSpan(startS: 20, stopS: 25)])
        XCTAssertEqual(TimeSpans.indexedIntersection(a, b).map(\.indexInA), [0, 1])
        XCTAssertEqual(TimeSpans.index(of: 0, in: a), 0, "start inside")
        XCTAssertNil(TimeSpans.index(of: 10, in: a), "stop outside")
        XCTAssertEqual(TimeSpans.index(of: 29.999, in: a), 1)
        XCTAssertNil(TimeSpans.index(of: 15, in: a))
        XCTAssertEqual(EnergyBinning([10, 14, 1]).bin(of: 11), 1, "an edge belongs to the bin above")
        XCTAssertNil(EnergyBinning([10, 14, 1]).bin(of: 14))
    }

    /// ON 0–4 h (at 100% then 90%), ramp 4–5 h, OFF 5–10 h, ON 10–12 h: a 0.5 h margin cuts
    /// each run where it meets another state, not at the ends of the log.
    func testSelectionCutsMarginsAtStateChangesOnly() throws {
        try writeLog(["0,2,1000", "2,4,900", "4,5,500", "5,10,0", "10,12,1000"])
        let log = try ReactorLogReader.read(path("log.csv"))
        let s = ReactorStateSelection(log: log, nominalPowerMW: 1000, onFraction: 0.85, offFraction: 0.05, marginS: 1800)
        XCTAssertEqual(s.on.map(\.span), [TimeSpan(startS: 0, stopS: 7200), TimeSpan(startS: 7200, stopS: 12600),
                                          TimeSpan(startS: 37800, stopS: 43200)])
        XCTAssertEqual(s.on.map(\.powerMW), [1000, 900, 1000])
        XCTAssertEqual(s.off.map(\.span), [TimeSpan(startS: 19800, stopS: 34200)])
    }

    /// FLUXSCAL = power averaged over the ON live time / nominal; fission fractions weighted by
    /// power × time; dead time from DEADC unless the config gives it; counts per bin.
    func testPowerAndFissionWeightingAndDeadTime() throws {
        try writeLog(["0,2,1000,0.6,0.1,0.3,0", "2,4,900,0.4,0.1,0.4,0.1", "4,6,0,0,0,0,0"], fractions: true)
        // GTIs cover 0–1 h, 2–4 h (so 1 h at 1000 MW, 2 h at 900 MW) and the OFF 4–6 h.
        try writeEvents(times: [100, 3000, 7300, 9000, 15000, 15100, 20000], energies: [10.5, 11, 13.9, 9, 14, 12, 10],
                        gtis: [(0, 3600), (7200, 21600)], extra: [FITSKeyword("DEADC", .double(0.9))])
        let input = try source().read()
        let sel = try XCTUnwrap(input.eventSelection)
        XCTAssertEqual(input.on.counts, [1, 1, 0, 1], "10.5 → bin 0, 11 → bin 1, 13.9 → bin 3; 9 keV and 14 keV outside")
        XCTAssertEqual(input.off.counts, [1, 0, 1, 0])
        XCTAssertEqual([sel.onEvents, sel.onEventsBinned, sel.offEvents, sel.offEventsBinned], [4, 3, 3, 2],
                       "ON: 100, 3000, 7300, 9000 s (9 keV outside the bins); OFF: 15000, 15100, 20000 s (14 keV outside)")
        XCTAssertEqual(sel.onTimeDays, 3.0 / 24, accuracy: 1e-15)
        XCTAssertEqual(input.on.liveTimeDays, 3.0 / 24 * 0.9, accuracy: 1e-15, "DEADC 0.9")
        XCTAssertEqual(sel.onMeanPowerMW, (1000 * 1 + 900 * 2) / 3.0, accuracy: 1e-9)
        XCTAssertEqual(sel.fluxScale, 2800.0 / 3 / 1000, accuracy: 1e-12)
        let ff = try XCTUnwrap(sel.onFissionFractions)
        XCTAssertEqual(ff["U235"]!, (0.6 * 1000 + 0.4 * 1800) / 2800, accuracy: 1e-12)
        XCTAssertEqual(ff["Pu241"]!, 0.1 * 1800 / 2800, accuracy: 1e-12)
        XCTAssertEqual(sel.offMeanPowerMW, 0)
        XCTAssertEqual(try source(dead: 0.25).read().on.liveTimeDays, 3.0 / 24 * 0.75, accuracy: 1e-15, "config beats DEADC")
    }

    /// inputs.timeRangeMJD keeps one period; times in hours with TIMEZERO; a GTI with its own MJDREF.
    func testTimeRangeTimeZeroAndGTIFrame() throws {
        try writeLog(["0,2,1000", "2,4,0"])
        // TIME in h from MJD 60310.5 + TIMEZERO 1 h; the GTI counts seconds from MJD 60310.0 (12 h earlier).
        try writeEvents(times: [-0.5, 0.5, 1.5, 2.5], energies: [11, 11, 11, 11], gtis: [(12 * 3600, 16 * 3600)],
                        extra: [FITSKeyword("TIMEZERO", .double(1))],
                        gtiKeywords: [FITSKeyword("MJDREF", .double(60310)), FITSKeyword("TIMESYS", .string("TT"))],
                        timeUnit: "h", gtiUnit: "s")
        let all = try source().read()
        XCTAssertEqual(all.on.counts.reduce(0, +), 2, "events at 0.5 h and 1.5 h after time zero")
        XCTAssertEqual(all.off.counts.reduce(0, +), 2)
        let middle = try source(range: [60310.5 + 1.0 / 24, 60310.5 + 3.0 / 24]).read()   // 1–3 h
        XCTAssertEqual(middle.on.counts.reduce(0, +), 1, "the event at 1.5 h")
        XCTAssertEqual(middle.off.counts.reduce(0, +), 1, "the event at 2.5 h")
        XCTAssertEqual(middle.on.liveTimeDays, 1.0 / 24, accuracy: 1e-10, "an MJD holds time to ~1 µs")
    }

    func testPHACalibrationAndFITSLogInMJD() throws {
        try writeEvents(times: [10, 5000], energies: [100, 150], gtis: [(0, 7200)], phaColumn: true)
        let log = FITSDocument(tables: [FITSTable(name: "REACTOR", keywords: [
            FITSKeyword("MJDREF", .double(60310.5)), FITSKeyword("TIMESYS", .string("TT")),
        ], columns: [
            FITSColumn("START", unit: "d", .double([0, 1.0 / 24])), FITSColumn("STOP", unit: "d", .double([1.0 / 24, 2.0 / 24])),
            FITSColumn("POWER", unit: "GW", .double([1, 0])),
        ])])
        try FITSIO.write(log, to: path("log.csv"))   // read by content: a FITS log under any name
        let input = try source(pha: [0.5, 0.1]).read()   // E = 0.5 + 0.1·PHA: 10.5 and 15.5 keV
        XCTAssertEqual(input.on.counts, [1, 0, 0, 0])
        XCTAssertEqual(input.off.counts, [0, 0, 0, 0], "15.5 keV is outside [10, 14)")
        XCTAssertEqual(input.eventSelection?.onMeanPowerMW, 1000, "GW converted to MW")
    }
}
