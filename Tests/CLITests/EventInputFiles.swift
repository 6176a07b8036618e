import Foundation
import NMMCore

/// Good and spoilable event-list, reactor-log and OGIP PHA inputs for the CLI catalogue
/// (`BadInputCatalogTests+Events`): a 10-hour run at MJDREF 60310 (TT) with two GTIs, a log
/// ON for 5 h then OFF for 5 h, six events in 12–16 keV; and a 4-channel PHA ON/OFF pair.
extension Workspace {
    struct EventFile {
        var times: [Double] = [10, 100, 7300, 8000, 20000, 30000]
        var energies: [Double] = [12.5, 13.5, 14.5, 15.5, 12.2, 15.9]
        var energyUnit = "keV"
        var gtiStart: [Double] = [0, 7200]
        var gtiStop: [Double] = [3600, 36000]
        var eventKeywords: [FITSKeyword] = [
            FITSKeyword("MJDREFI", .int(60310)), FITSKeyword("MJDREFF", .double(0)),
            FITSKeyword("TIMESYS", .string("TT")), FITSKeyword("TIMEUNIT", .string("s")),
        ]
        var noGTI = false

        mutating func setKeyword(_ name: String, _ value: FITSValue?) {
            eventKeywords.removeAll { $0.name == name }
            if let value { eventKeywords.append(FITSKeyword(name, value)) }
        }

        var document: FITSDocument {
            let events = FITSTable(name: "EVENTS", keywords: eventKeywords, columns: [
                FITSColumn("TIME", unit: "s", .double(times)), FITSColumn("ENERGY", unit: energyUnit, .double(energies)),
            ])
            let gti = FITSTable(name: "GTI", columns: [
                FITSColumn("START", unit: "s", .double(gtiStart)), FITSColumn("STOP", unit: "s", .double(gtiStop)),
            ])
            return FITSDocument(tables: noGTI ? [events] : [events, gti])
        }
    }

    func writeEvents(_ name: String = "events.fits", _ edit: (inout EventFile) -> Void = { _ in }) throws {
        var e = EventFile()
        edit(&e)
        try FITSIO.write(e.document, to: path(name))
    }

    static let goodLogRows = ["0,5,2900", "5,10,0"]

    /// A reactor log CSV: times in hours from MJD 60310 (TT), power in MW.
    func writeLog(_ name: String = "log.csv", rows: [String] = Workspace.goodLogRows, timesys: String = "TT",
                  header: String = "START [h],STOP [h],POWER [MW]") throws {
        var text = "# test log\n"
        if !timesys.isEmpty { text += "#! timesys = \(timesys)\n" }
        text += "#! mjdref = 60310\n" + header + "\n" + rows.map { $0 + "\n" }.joined()
        try write(name, text: text)
    }

    static let eventInputs = "inputs: {kind: events, events: events.fits, reactorLog: log.csv, onPowerFraction: 0.9, offPowerFraction: 0.05, binningKeV: [12, 16, 1]}"

    func writeEventConfig(inputs: String = Workspace.eventInputs) throws {
        try writeConfig(edits: [("inputs: {on: on.fits, off: off.fits}", inputs)])
    }

    /// Good event list, log and config.
    func writeGoodEventInputs() throws {
        try writeEvents()
        try writeLog()
        try writeEventConfig()
    }

    // MARK: - OGIP PHA

    struct PHAFile {
        var counts: [Double] = [5, 6, 7, 8]
        var backscal: [Double] = [1, 1, 1, 1]
        var quality: [Int32] = [0, 0, 0, 0]
        var keywords: [FITSKeyword] = [FITSKeyword("EXPOSURE", .double(360_000)), FITSKeyword("HDUCLASS", .string("OGIP"))]
        var ebounds = true

        mutating func setKeyword(_ name: String, _ value: FITSValue?) {
            keywords.removeAll { $0.name == name }
            if let value { keywords.append(FITSKeyword(name, value)) }
        }

        var document: FITSDocument {
            let spectrum = FITSTable(name: "SPECTRUM", keywords: keywords, columns: [
                FITSColumn("CHANNEL", unit: "", .int32([0, 1, 2, 3])), FITSColumn("COUNTS", unit: "count", .double(counts)),
                FITSColumn("QUALITY", unit: "", .int32(quality)), FITSColumn("BACKSCAL", unit: "", .double(backscal)),
            ])
            let eb = FITSTable(name: "EBOUNDS", columns: [
                FITSColumn("CHANNEL", unit: "", .int32([0, 1, 2, 3])),
                FITSColumn("E_MIN", unit: "keV", .double([12, 13, 14, 15])), FITSColumn("E_MAX", unit: "keV", .double([13, 14, 15, 16])),
            ])
            return FITSDocument(tables: ebounds ? [spectrum, eb] : [spectrum])
        }
    }

    func writePHA(_ name: String, _ edit: (inout PHAFile) -> Void = { _ in }) throws {
        var p = PHAFile()
        edit(&p)
        try FITSIO.write(p.document, to: path(name))
    }

    /// on_pha.fits naming off_pha.fits as BACKFILE (OFF region twice the ON acceptance), and the config.
    func writeGoodOGIPInputs() throws {
        try writePHA("on_pha.fits") { $0.setKeyword("BACKFILE", .string("off_pha.fits")) }
        try writePHA("off_pha.fits") { $0.backscal = [2, 2, 2, 2] }
        try writeConfig(edits: [("inputs: {on: on.fits, off: off.fits}", "inputs: {kind: ogip, on: on_pha.fits}")])
    }
}
