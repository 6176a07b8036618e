import Foundation
import XCTest
import NMMCore

/// The catalogue's cases for event lists, reactor logs and OGIP PHA inputs (issue 14 item 6):
/// the same checks as every case (exit code, one stderr line naming file, field and
/// expectation, the folder unchanged).
extension BadInputCatalogTests {
    /// Good event inputs, then `spoil`.
    static func events(_ name: String, _ mentions: [String], status: Int32 = 65, args: [String] = ingest,
                       _ spoil: @escaping @Sendable (Workspace) throws -> Void) -> Case {
        Case(name: name, status: status, mentions: mentions, args: args) { ws in
            try ws.writeGoodEventInputs()
            try spoil(ws)
        }
    }

    static let eventCases: [Case] = [
        events("event outside every GTI", ["events.fits", "EVENTS", "TIME row 3", "outside every GTI"]) {
            try $0.writeEvents { $0.times[2] = 5000 }
        },
        events("overlapping GTIs", ["events.fits", "GTI", "START row 2", "overlapping GTIs"]) {
            try $0.writeEvents { $0.gtiStart = [0, 3000] }
        },
        events("GTIs not sorted", ["events.fits", "GTI", "START row 2", "sorted by START"]) {
            try $0.writeEvents { $0.gtiStart = [7200, 0]; $0.gtiStop = [36000, 3600]; $0.times = [7300, 8000, 20000, 30000, 35000, 35500] }
        },
        events("event times not sorted", ["events.fits", "TIME row 3", "expected events sorted by TIME"]) {
            try $0.writeEvents { $0.times = [10, 7300, 100, 8000, 20000, 30000] }
        },
        events("energy column without unit", ["events.fits", "ENERGY", "no unit", "expected TUNIT eV, keV or MeV"]) {
            try $0.writeEvents { $0.energyUnit = "" }
        },
        events("event list without MJDREF", ["events.fits", "MJDREF", "reference time"]) {
            try $0.writeEvents { $0.setKeyword("MJDREFI", nil); $0.setKeyword("MJDREFF", nil) }
        },
        events("event list without TIMESYS", ["events.fits", "TIMESYS", "time system"]) {
            try $0.writeEvents { $0.setKeyword("TIMESYS", nil) }
        },
        events("event list without GTI extension", ["events.fits", "GTI", "good-time intervals"]) {
            try $0.writeEvents { $0.noGTI = true }
        },
        events("reactor log with a gap", ["log.csv:6", "START", "gap in the log"]) {
            try $0.writeLog(rows: ["0,5,2900", "6,10,0"])
        },
        events("reactor log with overlapping periods", ["log.csv:6", "START", "overlaps the previous period"]) {
            try $0.writeLog(rows: ["0,5,2900", "4,10,0"])
        },
        events("reactor log not sorted", ["log.csv:6", "START", "sorted by START"]) {
            try $0.writeLog(rows: ["5,10,0", "0,5,2900"])
        },
        events("negative reactor power", ["log.csv:5", "POWER", "expected a thermal power ≥ 0 MW", "-2900"]) {
            try $0.writeLog(rows: ["0,5,-2900", "5,10,0"])
        },
        events("reactor log without time system", ["log.csv", "timesys", "expected a metadata line"]) {
            try $0.writeLog(timesys: "")
        },
        events("reactor log in another time system", ["log.csv", "timesys", "UTC", "TT", "expected the same"]) {
            try $0.writeLog(timesys: "UTC")
        },
        events("reactor log not covering the GTIs", ["log.csv", "START/STOP", "expected a log covering every GTI"]) {
            try $0.writeLog(rows: ["0,5,2900", "5,9,0"])
        },
        events("no OFF time in the log", ["events.fits", "GTI", "no OFF live time"]) {
            try $0.writeLog(rows: ["0,5,2900", "5,10,2800"])
        },
        events("reactor power without unit", ["log.csv:4", "POWER", "expected thermal power in MW"]) {
            try $0.writeLog(header: "START [h],STOP [h],POWER")
        },
        events("missing event list", ["events.fits", "not found"], status: 66) {
            try FileManager.default.removeItem(atPath: $0.path("events.fits"))
        },
        events("config: event key in a pair config", ["c.yaml", "inputs.reactorLog", "not read by inputs of kind pair"]) {
            try $0.writeEventConfig(inputs: "inputs: {on: on.fits, off: off.fits, reactorLog: log.csv}")
        },
        events("config: binning not a whole number of bins", ["c.yaml", "inputs.binningKeV", "whole number of bins"]) {
            try $0.writeEventConfig(inputs: Workspace.eventInputs.replacingOccurrences(of: "[12, 16, 1]", with: "[12, 16, 1.5]"))
        },
        events("config: events without binning", ["c.yaml", "inputs.binningKeV", "required key is missing"]) {
            try $0.writeEventConfig(inputs: Workspace.eventInputs.replacingOccurrences(of: ", binningKeV: [12, 16, 1]", with: ""))
        },
        events("--on given for an event list", ["c.yaml", "--on", "kind events", "expected kind pair or ogip"], status: 64,
               args: ingest + ["--on", "on.fits"]) { _ in },
    ]

    static func ogip(_ name: String, _ mentions: [String], status: Int32 = 65,
                     _ spoil: @escaping @Sendable (Workspace) throws -> Void) -> Case {
        Case(name: name, status: status, mentions: mentions, args: ingest) { ws in
            try ws.writeGoodOGIPInputs()
            try spoil(ws)
        }
    }

    static let ogipCases: [Case] = [
        ogip("PHA without EXPOSURE", ["off_pha.fits", "SPECTRUM", "EXPOSURE", "live time in seconds"]) {
            try $0.writePHA("off_pha.fits") { $0.backscal = [2, 2, 2, 2]; $0.setKeyword("EXPOSURE", nil) }
        },
        ogip("PHA without BACKFILE or inputs.off", ["on_pha.fits", "BACKFILE", "OFF spectrum"]) {
            try $0.writePHA("on_pha.fits")
        },
        ogip("PHA BACKFILE missing", ["off_pha.fits", "not found"], status: 66) {
            try FileManager.default.removeItem(atPath: $0.path("off_pha.fits"))
        },
        ogip("PHA BACKSCAL ratio varies by channel", ["off_pha.fits", "BACKSCAL row 3", "one ratio for all channels"]) {
            try $0.writePHA("off_pha.fits") { $0.backscal = [2, 2, 3, 2] }
        },
        ogip("PHA without channel energies", ["on_pha.fits", "EBOUNDS", "channel energies"]) {
            try $0.writePHA("on_pha.fits") { $0.setKeyword("BACKFILE", .string("off_pha.fits")); $0.ebounds = false }
        },
        ogip("PHA negative count", ["off_pha.fits", "COUNTS row 2", "expected a count ≥ 0"]) {
            try $0.writePHA("off_pha.fits") { $0.backscal = [2, 2, 2, 2]; $0.counts = [5, -6, 7, 8] }
        },
    ]

    func testBadEventListsAndReactorLogs() throws { try run(Self.eventCases) }
    func testBadOGIPSpectra() throws { try run(Self.ogipCases) }
}
