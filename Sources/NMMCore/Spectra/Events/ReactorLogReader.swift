import Foundation

/// Reads a reactor operation log (README, Inputs), chosen by content like the spectra.
///
/// CSV:
///
///     # Kuo-Sheng unit 1, operator's log
///     #! timesys = TT             (required: the time system, as the event list's TIMESYS)
///     #! mjdref = 60310           (required for times in s, min, h or d; not for MJD)
///     START [h],STOP [h],POWER [MW],FF_U235,FF_U238,FF_PU239,FF_PU241
///     0,600,2900,0.56,0.08,0.30,0.06
///
/// START and STOP in MJD, or in s, min, h or d from `mjdref`; POWER in MW (or kW, GW); the
/// four fission-fraction columns are optional (all or none).
///
/// FITS: a BINTABLE `REACTOR` (or the first BINTABLE) with START, STOP (TUNIT or TIMEUNIT;
/// MJDREF or MJDREFI + MJDREFF and TIMESYS in its header or the primary header), POWER
/// (TUNIT MW, kW or GW) and optionally FF_U235, FF_U238, FF_PU239, FF_PU241.
public enum ReactorLogReader {
    public static let fractionColumns = ["FF_U235", "FF_U238", "FF_PU239", "FF_PU241"]

    public static func read(_ path: String) throws -> ReactorLog {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(file: path, "reactor log not found", status: .noInput)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "reactor log cannot be read (permissions?)", status: .noInput)
        }
        if data.starts(with: Array("SIMPLE  =".utf8)) { return try readFITS(path) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, "expected a FITS reactor log or UTF-8 CSV text")
        }
        return try parseCSV(text, file: path)
    }

    static func powerFactor(_ unit: String) -> Double? {
        switch unit.trimmingCharacters(in: .whitespaces).lowercased() {
        case "mw": 1
        case "kw": 1e-3
        case "gw": 1e3
        default: nil
        }
    }

    public static func parseCSV(_ text: String, file: String) throws -> ReactorLog {
        let table = try CSVTable.parse(text, file: file)
        func bad(_ line: Int?, _ field: String, _ message: String) -> InputError {
            InputError(file: line.map { "\(file):\($0)" } ?? file, field: field, message)
        }
        guard let sys = table.metadata["timesys"] else {
            throw bad(nil, "timesys", "expected a metadata line '#! timesys = TT' (or UTC, ...): the time system of the log, as the event list's TIMESYS")
        }
        let start = try table.columnIndex("START"), stop = try table.columnIndex("STOP"), power = try table.columnIndex("POWER")
        let timeUnit = table.header[start].unit
        guard table.header[stop].unit.lowercased() == timeUnit.lowercased() else {
            throw bad(table.headerLine, "STOP", "expected the unit of START ('\(timeUnit)'), found '\(table.header[stop].unit)'")
        }
        let frame: TimeFrame, scale: Double
        if timeUnit.uppercased() == "MJD" {
            frame = TimeFrame(mjdRefInteger: 0, timeSystem: sys.text)
            scale = TimeFrame.secondsPerDay
        } else {
            guard let s = TimeFrame.secondsPerUnit(timeUnit) else {
                throw bad(table.headerLine, "START", "expected times in MJD, s, min, h or d (e.g. 'START [MJD]'), found '\(timeUnit)'")
            }
            guard let ref = table.metadata["mjdref"] else {
                throw bad(nil, "mjdref", "times in '\(timeUnit)' count from a reference: expected a metadata line '#! mjdref = <MJD>'")
            }
            guard let m = Double(ref.text), m.isFinite else {
                throw bad(ref.line, "mjdref", "expected an MJD, found \(ErrorText.quoted(ref.text))")
            }
            frame = TimeFrame(mjdRefInteger: m.rounded(.down), mjdRefFraction: m - m.rounded(.down), timeSystem: sys.text)
            scale = s
        }
        guard let pf = powerFactor(table.header[power].unit) else {
            throw bad(table.headerLine, "POWER", "expected thermal power in MW (or kW, GW), e.g. 'POWER [MW]', found '\(table.header[power].unit)'")
        }
        let hasFractions = try fractionColumnsGiven({ name in table.header.contains { $0.name == name } }) {
            bad(table.headerLine, "FF_U235..FF_PU241", "expected all four fission-fraction columns or none")
        }
        let fractions = hasFractions ? fractionColumns.map { name in table.header.firstIndex { $0.name == name }! } : nil
        var periods: [ReactorPeriod] = []
        for row in table.rows {
            let t0 = try row.number(start), t1 = try row.number(stop), p = try row.number(power)
            var ff: [String: Double]?
            if let fractions {
                ff = [:]
                for (k, index) in zip(ReactorLog.isotopes, fractions) { ff![k] = try row.number(index) }
            }
            periods.append(ReactorPeriod(span: TimeSpan(startS: t0 * scale, stopS: t1 * scale), powerMW: p * pf, fissionFractions: ff))
        }
        return try ReactorLog(frame: frame, periods: periods, file: file) { "\(file):\(table.rows[$0].line)" }
    }

    /// Whether the log has the four fission-fraction columns (`fail` when only some).
    static func fractionColumnsGiven(_ has: (String) -> Bool, fail: () -> any Error) throws -> Bool {
        switch fractionColumns.filter(has).count {
        case 0: return false
        case fractionColumns.count: return true
        default: throw fail()
        }
    }

    static func readFITS(_ path: String) throws -> ReactorLog {
        let doc = try FITSIO.read(path)
        guard let table = doc.tables.first(where: { $0.name.uppercased() == "REACTOR" }) ?? doc.tables.first else {
            throw FITSError(.missingHDU, file: path, hdu: "REACTOR", "expected a BINTABLE REACTOR with START, STOP and POWER; the file has none")
        }
        let keywords = table.keywords + doc.primaryKeywords
        let frame = try TimeFrame.read(keywords, file: path, hdu: table.name)
        let start = try TimeFrame.columnScale(table, column: "START", keywords: keywords, file: path)
        let stop = try TimeFrame.columnScale(table, column: "STOP", keywords: keywords, file: path)
        let powerUnit = try table.column("POWER").unit
        guard let pf = powerFactor(powerUnit) else {
            throw FITSError(.wrongUnit, file: path, hdu: table.name, item: "POWER", "expected TUNIT MW (or kW, GW), found '\(powerUnit)'")
        }
        let t0 = try table.doubles("START", unit: nil), t1 = try table.doubles("STOP", unit: nil)
        let power = try table.doubles("POWER", unit: nil)
        let hasFractions = try fractionColumnsGiven(table.hasColumn) {
            FITSError(.missingColumn, file: path, hdu: table.name, item: "FF_U235..FF_PU241", "expected all four fission-fraction columns or none")
        }
        let fractions = hasFractions ? try fractionColumns.map { try table.doubles($0, unit: nil) } : nil
        let periods = t0.indices.map { i in
            ReactorPeriod(span: TimeSpan(startS: t0[i] * start.secondsPerUnit + start.zeroS, stopS: t1[i] * stop.secondsPerUnit + stop.zeroS),
                          powerMW: power[i] * pf,
                          fissionFractions: fractions.map { cols in Dictionary(uniqueKeysWithValues: zip(ReactorLog.isotopes, cols.map { $0[i] })) })
        }
        return try ReactorLog(frame: frame, periods: periods, file: path) { "\(path): \(table.name) row \($0 + 1)" }
    }
}
