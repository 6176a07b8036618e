/// A detector event list as nmm reads it: event times (seconds from the file's MJDREF) with
/// their energies, the good-time intervals, and the header's dead-time correction.
public struct EventList: Equatable, Sendable {
    public var frame: TimeFrame
    /// Non-decreasing; every one inside a GTI.
    public var timesS: [Double]
    public var energiesKeV: [Double]
    /// Sorted, not overlapping, each non-empty.
    public var gtis: [TimeSpan]
    /// DEADC of the EVENTS header (live time / on time, OGIP/93-003), when given.
    public var deadTimeCorrection: Double?
    public var file: String
}

/// Reads a FITS event list (OGIP/93-003, GADF "EVENTS" and "GTI"): a BINTABLE `EVENTS` with
/// TIME (TUNIT or TIMEUNIT; MJDREF/MJDREFI+MJDREFF, TIMESYS, TIMEZERO in its header or the
/// primary header) and ENERGY (TUNIT eV, keV or MeV — required) or PHA with a calibration
/// from the config; and a BINTABLE `GTI` (or `STDGTI`) with START and STOP in the same
/// frame (its own MJDREF if it has one). Refused, naming the row: unsorted times, events
/// outside every GTI, GTIs that overlap, are unsorted or empty, an ENERGY column without a unit.
public enum EventListReader {
    public static func read(_ path: String, phaCalibrationKeV: [Double]? = nil) throws -> EventList {
        let doc = try FITSIO.read(path)
        guard let events = doc.tables.first(where: { $0.name.uppercased() == "EVENTS" }) else {
            throw FITSError(.missingHDU, file: path, hdu: "EVENTS",
                            "expected a BINTABLE extension EVENTS (TIME, ENERGY or PHA); the file has [\(doc.tables.map(\.name).joined(separator: ", "))]")
        }
        let keywords = events.keywords + doc.primaryKeywords
        let frame = try TimeFrame.read(keywords, file: path, hdu: "EVENTS")
        let scale = try TimeFrame.columnScale(events, column: "TIME", keywords: keywords, file: path)
        let times = try events.doubles("TIME", unit: nil).map { $0 * scale.secondsPerUnit + scale.zeroS }
        for (i, t) in times.enumerated() {
            guard t.isFinite else { throw row(path, "EVENTS", "TIME", i, "expected a finite time, found \(t)") }
            if i > 0, t < times[i - 1] {
                throw row(path, "EVENTS", "TIME", i, "time \(t) s is before the previous event's \(times[i - 1]) s; expected events sorted by TIME")
            }
        }
        let energies = try readEnergies(events, file: path, calibration: phaCalibrationKeV)
        let gtis = try readGTIs(doc, eventFrame: frame, eventKeywords: keywords, file: path)
        try checkInsideGTIs(times, gtis, frame: frame, file: path)
        var deadc: Double?
        if let k = keywords.first(named: "DEADC") {
            let v: Double? = switch k.value { case .double(let d): d; case .int(let i): Double(i); default: nil }
            guard let v, v > 0, v <= 1 else {
                throw FITSError(.invalidValue, file: path, hdu: "EVENTS", item: "DEADC",
                                "expected a dead-time correction (live time / on time) in (0, 1], found \(k.value)")
            }
            deadc = v
        }
        return EventList(frame: frame, timesS: times, energiesKeV: energies, gtis: gtis, deadTimeCorrection: deadc, file: path)
    }

    static func row(_ file: String, _ hdu: String, _ column: String, _ i: Int, _ message: String) -> FITSError {
        FITSError(.invalidValue, file: file, hdu: hdu, item: "\(column) row \(i + 1)", message)
    }

    static func readEnergies(_ events: FITSTable, file: String, calibration: [Double]?) throws -> [Double] {
        let energies: [Double]
        if let c = calibration {
            guard events.hasColumn("PHA") else {
                throw FITSError(.missingColumn, file: file, hdu: "EVENTS", item: "PHA",
                                "inputs.phaCalibrationKeV is given: expected a PHA column; the table has [\(events.columns.map(\.name).joined(separator: ", "))]")
            }
            energies = try events.doubles("PHA", unit: nil).map { c[0] + c[1] * $0 }
        } else {
            guard events.hasColumn("ENERGY") else {
                throw FITSError(.missingColumn, file: file, hdu: "EVENTS", item: "ENERGY",
                                "expected an ENERGY column with TUNIT eV, keV or MeV (or a PHA column and inputs.phaCalibrationKeV)")
            }
            if try events.column("ENERGY").unit.trimmingCharacters(in: .whitespaces).isEmpty {
                throw FITSError(.wrongUnit, file: file, hdu: "EVENTS", item: "ENERGY",
                                "the column has no unit; expected TUNIT eV, keV or MeV (nmm does not guess energy units)")
            }
            energies = try events.energiesKeV("ENERGY")
        }
        for (i, e) in energies.enumerated() where !(e.isFinite && e >= 0) {
            throw row(file, "EVENTS", calibration == nil ? "ENERGY" : "PHA", i, "expected a finite energy ≥ 0 keV, found \(e) keV")
        }
        return energies
    }

    static func readGTIs(_ doc: FITSDocument, eventFrame: TimeFrame, eventKeywords: [FITSKeyword], file: String) throws -> [TimeSpan] {
        guard let gti = doc.tables.first(where: { ["GTI", "STDGTI"].contains($0.name.uppercased()) }) else {
            throw FITSError(.missingHDU, file: file, hdu: "GTI",
                            "expected a BINTABLE extension GTI (START, STOP): the good-time intervals of the event list")
        }
        let hasOwnReference = ["MJDREF", "MJDREFI"].contains { gti.keyword($0) != nil }
        let frame = hasOwnReference ? try TimeFrame.read(gti.keywords + doc.primaryKeywords, file: file, hdu: gti.name) : eventFrame
        guard frame.timeSystem == eventFrame.timeSystem else {
            throw FITSError(.invalidValue, file: file, hdu: gti.name, item: "TIMESYS",
                            "expected the time system of EVENTS (\(eventFrame.timeSystem)), found \(frame.timeSystem)")
        }
        let keywords = gti.keywords + (hasOwnReference ? [] : eventKeywords)
        let start = try TimeFrame.columnScale(gti, column: "START", keywords: keywords, file: file)
        let stop = try TimeFrame.columnScale(gti, column: "STOP", keywords: keywords, file: file)
        let starts = try gti.doubles("START", unit: nil).map { eventFrame.seconds($0 * start.secondsPerUnit + start.zeroS, from: frame) }
        let stops = try gti.doubles("STOP", unit: nil).map { eventFrame.seconds($0 * stop.secondsPerUnit + stop.zeroS, from: frame) }
        guard !starts.isEmpty else {
            throw FITSError(.invalidValue, file: file, hdu: gti.name, item: "START", "expected at least one good-time interval, found none")
        }
        var spans: [TimeSpan] = []
        for i in starts.indices {
            let s = TimeSpan(startS: starts[i], stopS: stops[i])
            guard s.startS.isFinite, s.stopS.isFinite, s.stopS > s.startS else {
                throw row(file, gti.name, "STOP", i, "expected STOP > START, found [\(s.startS), \(s.stopS)] s")
            }
            if let last = spans.last {
                guard s.startS >= last.startS else {
                    throw row(file, gti.name, "START", i, "START \(s.startS) s is before the previous GTI's \(last.startS) s; expected GTIs sorted by START")
                }
                guard s.startS >= last.stopS else {
                    throw row(file, gti.name, "START", i, "overlapping GTIs: this one starts at \(s.startS) s, before the previous one ends at \(last.stopS) s; expected disjoint intervals")
                }
            }
            spans.append(s)
        }
        return spans
    }

    static func checkInsideGTIs(_ times: [Double], _ gtis: [TimeSpan], frame: TimeFrame, file: String) throws {
        var g = 0
        for (i, t) in times.enumerated() {   // both sorted: one pass
            while g < gtis.count, gtis[g].stopS <= t { g += 1 }
            guard g < gtis.count, gtis[g].contains(t) else {
                throw row(file, "EVENTS", "TIME", i,
                          "event at \(t) s (MJD \(frame.mjd(ofSeconds: t))) lies outside every GTI; expected an event list screened to its good-time intervals")
            }
        }
    }
}
