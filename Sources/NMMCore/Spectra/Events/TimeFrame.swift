/// The time frame of an OGIP/GADF time column: values in TIMEUNIT counted from MJDREF
/// (MJDREFI + MJDREFF, or MJDREF) in the time system TIMESYS, plus TIMEZERO — OGIP memo
/// OGIP/93-003 ("The Proposed Timing FITS File Format for High Energy Astrophysics Data")
/// and the GADF "Time" page (gamma-astro-data-formats.readthedocs.io, general/time.html).
/// nmm counts every time in seconds from the event list's MJDREF; other frames (a GTI or a
/// reactor log with its own MJDREF) are shifted into it. A day is 86 400 s (MJD days; a
/// UTC leap second inside a span is not counted, an error of 1 s in ~10⁷ s).
public struct TimeFrame: Equatable, Sendable {
    /// Integer and fractional part of MJDREF, kept apart for precision (OGIP/93-003).
    public var mjdRefInteger: Double
    public var mjdRefFraction: Double
    /// TIMESYS, upper case (TT, UTC, TAI, ...).
    public var timeSystem: String

    public static let secondsPerDay = 86_400.0
    public static let secondsPerHour = 3_600.0

    public init(mjdRefInteger: Double, mjdRefFraction: Double = 0, timeSystem: String) {
        self.mjdRefInteger = mjdRefInteger
        self.mjdRefFraction = mjdRefFraction
        self.timeSystem = timeSystem.uppercased()
    }

    public var mjdRef: Double { mjdRefInteger + mjdRefFraction }

    /// Seconds from MJDREF of an MJD in this frame's time system.
    public func seconds(fromMJD mjd: Double) -> Double {
        ((mjd - mjdRefInteger) - mjdRefFraction) * Self.secondsPerDay
    }

    public func mjd(ofSeconds t: Double) -> Double { mjdRefInteger + (mjdRefFraction + t / Self.secondsPerDay) }

    /// Seconds from this frame's MJDREF of `t` seconds from `other`'s MJDREF (same TIMESYS).
    public func seconds(_ t: Double, from other: TimeFrame) -> Double {
        let shiftDays = (other.mjdRefInteger - mjdRefInteger) + (other.mjdRefFraction - mjdRefFraction)
        return shiftDays == 0 ? t : t + shiftDays * Self.secondsPerDay
    }

    /// Seconds per unit for a time unit word: s, min, h, d.
    public static func secondsPerUnit(_ unit: String) -> Double? {
        switch unit.trimmingCharacters(in: .whitespaces).lowercased() {
        case "s", "sec", "second", "seconds": 1
        case "min", "minute", "minutes": 60
        case "h", "hr", "hour", "hours": secondsPerHour
        case "d", "day", "days": secondsPerDay
        default: nil
        }
    }

    /// The frame of an HDU: its keywords first, then the primary header's (`keywords` in that
    /// order). MJDREFI + MJDREFF win over MJDREF when both are given; TIMESYS is required
    /// (the GADF requires it; no default is assumed).
    public static func read(_ keywords: [FITSKeyword], file: String, hdu: String) throws -> TimeFrame {
        func number(_ name: String) throws -> Double? {
            guard let k = keywords.first(named: name) else { return nil }
            switch k.value {
            case .double(let d) where d.isFinite: return d
            case .int(let i): return Double(i)
            default: throw FITSError(.wrongType, file: file, hdu: hdu, item: name, "expected a number, found \(k.value)")
            }
        }
        let integer: Double, fraction: Double
        if let i = try number("MJDREFI") {
            integer = i
            fraction = try number("MJDREFF") ?? 0
        } else if let m = try number("MJDREF") {
            integer = m.rounded(.down)
            fraction = m - integer
        } else {
            throw FITSError(.missingKeyword, file: file, hdu: hdu, item: "MJDREF",
                            "expected the reference time MJDREF (or MJDREFI and MJDREFF) of the time column (OGIP/93-003, GADF)")
        }
        guard case .string(let sys)? = keywords.first(named: "TIMESYS")?.value, !sys.isEmpty else {
            throw FITSError(.missingKeyword, file: file, hdu: hdu, item: "TIMESYS",
                            "expected TIMESYS (e.g. 'TT' or 'UTC'): the time system of MJDREF and the times")
        }
        return TimeFrame(mjdRefInteger: integer, mjdRefFraction: fraction, timeSystem: sys)
    }

    /// Seconds per unit of a time column: its TUNIT, else the HDU's TIMEUNIT keyword. TIMEZERO
    /// (in the same unit, default 0) is returned as seconds to add.
    public static func columnScale(_ table: FITSTable, column name: String, keywords: [FITSKeyword],
                                   file: String) throws -> (secondsPerUnit: Double, zeroS: Double) {
        let column = try table.column(name)
        var unit = column.unit
        if unit.isEmpty, case .string(let u)? = keywords.first(named: "TIMEUNIT")?.value { unit = u }
        guard !unit.isEmpty else {
            throw FITSError(.missingKeyword, file: file, hdu: table.name, item: name,
                            "expected the unit of \(name): TUNIT or TIMEUNIT = 's' (or 'min', 'h', 'd')")
        }
        guard let scale = secondsPerUnit(unit) else {
            throw FITSError(.wrongUnit, file: file, hdu: table.name, item: name,
                            "expected a time unit 's', 'min', 'h' or 'd', found '\(unit)'")
        }
        var zero = 0.0
        if let k = keywords.first(named: "TIMEZERO") {
            switch k.value {
            case .double(let d) where d.isFinite: zero = d * scale
            case .int(let i): zero = Double(i) * scale
            default: throw FITSError(.wrongType, file: file, hdu: table.name, item: "TIMEZERO", "expected a number, found \(k.value)")
            }
        }
        return (scale, zero)
    }
}
