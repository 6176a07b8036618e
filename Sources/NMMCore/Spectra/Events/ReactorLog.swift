/// One period of a reactor operation log: a constant thermal power over [start, stop).
public struct ReactorPeriod: Equatable, Sendable {
    public var span: TimeSpan
    public var powerMW: Double
    /// Fission fractions U235, U238, Pu239, Pu241 over the period, when the log gives them.
    public var fissionFractions: [String: Double]?

    public init(span: TimeSpan, powerMW: Double, fissionFractions: [String: Double]? = nil) {
        self.span = span
        self.powerMW = powerMW
        self.fissionFractions = fissionFractions
    }
}

/// A reactor operation log: consecutive periods (no gaps, no overlaps) of thermal power in
/// MW, times in seconds from `frame`'s MJDREF. Read from CSV or FITS by `ReactorLogReader`.
public struct ReactorLog: Equatable, Sendable {
    public var frame: TimeFrame
    public var periods: [ReactorPeriod]
    public var file: String

    /// Periods that touch or part by at most this much are consecutive (times converted from
    /// MJD carry ~1 µs of rounding).
    public static let contiguityToleranceS = 1e-3
    public static let isotopes = ["U235", "U238", "Pu239", "Pu241"]

    /// Checks the periods in order; `label(i)` names row i in messages (a CSV line or a table row).
    public init(frame: TimeFrame, periods: [ReactorPeriod], file: String, label: (Int) -> String) throws {
        func bad(_ i: Int, _ field: String, _ message: String) -> InputError {
            InputError(file: label(i), field: field, message)
        }
        guard !periods.isEmpty else { throw InputError(file: file, "expected at least one reactor period, found none") }
        for (i, p) in periods.enumerated() {
            guard p.span.startS.isFinite, p.span.stopS.isFinite, p.span.stopS > p.span.startS else {
                throw bad(i, "STOP", "expected STOP > START, found [\(p.span.startS), \(p.span.stopS)] s from MJDREF")
            }
            guard p.powerMW.isFinite, p.powerMW >= 0 else {
                throw bad(i, "POWER", "expected a thermal power ≥ 0 MW, found \(p.powerMW) MW")
            }
            if let ff = p.fissionFractions {
                let sum = Self.isotopes.reduce(0) { $0 + (ff[$1] ?? 0) }
                let noFissions = p.powerMW == 0 && sum == 0   // a shut-down core: all 0 is fine
                guard ff.values.allSatisfy({ $0.isFinite && $0 >= 0 }), abs(sum - 1) < 1e-3 || noFissions else {
                    throw bad(i, "FF_U235..FF_PU241", "expected fission fractions ≥ 0 summing to 1 (or all 0 at zero power), found \(Self.isotopes.map { ff[$0] ?? .nan }) (sum \(sum))")
                }
            }
            guard i > 0 else { continue }
            let previous = periods[i - 1].span
            let mjd = { (t: Double) in frame.mjd(ofSeconds: t) }
            guard p.span.startS >= previous.startS else {
                throw bad(i, "START", "starts at MJD \(mjd(p.span.startS)), before the previous period (MJD \(mjd(previous.startS))); expected periods sorted by START")
            }
            if p.span.startS < previous.stopS - Self.contiguityToleranceS {
                throw bad(i, "START", "overlaps the previous period: starts at MJD \(mjd(p.span.startS)), the previous one ends at MJD \(mjd(previous.stopS)); expected consecutive periods")
            }
            if p.span.startS > previous.stopS + Self.contiguityToleranceS {
                throw bad(i, "START", "gap in the log: this period starts at MJD \(mjd(p.span.startS)), the previous one ended at MJD \(mjd(previous.stopS)); expected consecutive periods (the reactor state of the gap is unknown)")
            }
        }
        self.frame = frame
        // Consecutive within the tolerance: make them exactly so (each starts where the last ended).
        var snapped = periods
        for i in snapped.indices.dropFirst() { snapped[i].span.startS = snapped[i - 1].span.stopS }
        self.periods = snapped
        self.file = file
    }

    public var span: TimeSpan { TimeSpan(startS: periods[0].span.startS, stopS: periods[periods.count - 1].span.stopS) }

    /// The log with its times counted from `target`'s MJDREF; the time systems must agree.
    public func converted(to target: TimeFrame, eventFile: String) throws -> ReactorLog {
        guard target.timeSystem == frame.timeSystem else {
            throw InputError(file: file, field: "timesys",
                             "the log's time system is \(frame.timeSystem), the event list's (\(eventFile)) is \(target.timeSystem); expected the same (nmm does not convert between time scales)")
        }
        var copy = self
        copy.frame = target
        copy.periods = periods.map {
            var p = $0
            p.span = TimeSpan(startS: target.seconds($0.span.startS, from: frame), stopS: target.seconds($0.span.stopS, from: frame))
            return p
        }
        return copy
    }
}
