import Foundation
import NMMCore

/// The files `nmm simulate` writes in event-list mode, in the layouts `EventListReader` and
/// `ReactorLogReader` read (README, Inputs).
public enum EventListDocument {
    static func frameKeywords(_ frame: TimeFrame) -> [FITSKeyword] {
        [
            FITSKeyword("MJDREFI", .int(Int(frame.mjdRefInteger)), "[d] integer part of the MJD of time zero"),
            FITSKeyword("MJDREFF", .double(frame.mjdRefFraction), "[d] fractional part of the MJD of time zero"),
            FITSKeyword("TIMESYS", .string(frame.timeSystem), "time system of MJDREF and the times"),
            FITSKeyword("TIMEUNIT", .string("s"), "unit of the time columns"),
            FITSKeyword("TIMEREF", .string("LOCAL"), "times at the detector"),
        ]
    }

    /// EVENTS (TIME [s], ENERGY [keV]) and GTI (START, STOP [s]).
    public static func document(_ out: EventListSimulator.Output, frame: TimeFrame, deadTimeFraction: Double,
                                extraKeywords: [FITSKeyword] = []) -> FITSDocument {
        let start = out.gtis.first?.startS ?? 0, stop = out.gtis.last?.stopS ?? 0
        let events = FITSTable(name: "EVENTS", keywords: [
            FITSKeyword("HDUCLASS", .string("GADF"), "gamma-astro-data-formats layout"),
            FITSKeyword("HDUCLAS1", .string("EVENTS"), "event list"),
        ] + frameKeywords(frame) + [
            FITSKeyword("TSTART", .double(start), "[s] start of the first GTI"),
            FITSKeyword("TSTOP", .double(stop), "[s] end of the last GTI"),
            FITSKeyword("ONTIME", .double(TimeSpans.totalS(out.gtis)), "[s] sum of the GTIs"),
            FITSKeyword("DEADC", .double(1 - deadTimeFraction), "dead-time correction: live time / ONTIME"),
        ] + extraKeywords, columns: [
            FITSColumn("TIME", unit: "s", .double(out.timesS)),
            FITSColumn("ENERGY", unit: "keV", .double(out.energiesKeV)),
        ])
        let gti = FITSTable(name: "GTI", keywords: [
            FITSKeyword("HDUCLASS", .string("GADF"), "gamma-astro-data-formats layout"),
            FITSKeyword("HDUCLAS1", .string("GTI"), "good-time intervals"),
        ] + frameKeywords(frame), columns: [
            FITSColumn("START", unit: "s", .double(out.gtis.map(\.startS))),
            FITSColumn("STOP", unit: "s", .double(out.gtis.map(\.stopS))),
        ])
        return FITSDocument(tables: [events, gti])
    }

    /// REACTOR (START, STOP [s], POWER [MW], FF_… when given).
    public static func reactorLogDocument(_ periods: [ReactorPeriod], frame: TimeFrame) -> FITSDocument {
        var columns = [
            FITSColumn("START", unit: "s", .double(periods.map(\.span.startS))),
            FITSColumn("STOP", unit: "s", .double(periods.map(\.span.stopS))),
            FITSColumn("POWER", unit: "MW", .double(periods.map(\.powerMW))),
        ]
        if periods.allSatisfy({ $0.fissionFractions != nil }) {
            for (column, isotope) in zip(ReactorLogReader.fractionColumns, ReactorLog.isotopes) {
                columns.append(FITSColumn(column, unit: "", .double(periods.map { $0.fissionFractions![isotope] ?? 0 })))
            }
        }
        return FITSDocument(tables: [FITSTable(name: "REACTOR", keywords: frameKeywords(frame), columns: columns)])
    }

    /// The CSV log, times in hours from `mjdRef`.
    public static func reactorLogCSV(_ periods: [ReactorPeriod], mjdRef: Double, timeSystem: String, comment: String) -> String {
        var text = "# \(comment)\n#! timesys = \(timeSystem)\n#! mjdref = \(mjdRef)\n"
        let fractions = periods.allSatisfy { $0.fissionFractions != nil }
        text += "START [h],STOP [h],POWER [MW]" + (fractions ? "," + ReactorLogReader.fractionColumns.joined(separator: ",") : "") + "\n"
        for p in periods {
            var row = ["\(p.span.startS / TimeFrame.secondsPerHour)", "\(p.span.stopS / TimeFrame.secondsPerHour)", "\(p.powerMW)"]
            if fractions { row += ReactorLog.isotopes.map { "\(p.fissionFractions![$0] ?? 0)" } }
            text += row.joined(separator: ",") + "\n"
        }
        return text
    }
}
