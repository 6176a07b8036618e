/// The reactor's ON and OFF time from its operation log (README, Inputs: event lists).
///
/// Each period is ON when its power P ≥ onFraction·P_nom, OFF when P ≤ offFraction·P_nom, and
/// neither in between (ramps, coast-down, low-power tests). Consecutive periods of one state
/// form a run; a run loses `marginS` at each end where it borders a run of another state
/// (the transition and the time for the core's ν̄ flux to settle), but not at the ends of
/// the log. What remains is split back into the log's periods, each keeping its power.
public struct ReactorStateSelection: Equatable, Sendable {
    public enum State: Equatable, Sendable { case on, off, between }

    /// A piece of a selected run inside one log period: [start, stop) with that period's power.
    public struct Piece: Equatable, Sendable {
        public var span: TimeSpan
        public var powerMW: Double
        public var fissionFractions: [String: Double]?
    }

    public var on: [Piece]
    public var off: [Piece]

    public static func state(powerMW p: Double, nominalPowerMW: Double, onFraction: Double, offFraction: Double) -> State {
        if p >= onFraction * nominalPowerMW { return .on }
        if p <= offFraction * nominalPowerMW { return .off }
        return .between
    }

    public init(log: ReactorLog, nominalPowerMW: Double, onFraction: Double, offFraction: Double, marginS: Double) {
        let states = log.periods.map {
            Self.state(powerMW: $0.powerMW, nominalPowerMW: nominalPowerMW, onFraction: onFraction, offFraction: offFraction)
        }
        // Runs of one state: [first, last] period indices.
        var runs: [(state: State, first: Int, last: Int)] = []
        for (i, s) in states.enumerated() {
            if let r = runs.last, r.state == s { runs[runs.count - 1].last = i } else { runs.append((s, i, i)) }
        }
        var on: [Piece] = [], off: [Piece] = []
        for (k, run) in runs.enumerated() where run.state != .between {
            let start = log.periods[run.first].span.startS + (k > 0 ? marginS : 0)
            let stop = log.periods[run.last].span.stopS - (k < runs.count - 1 ? marginS : 0)
            guard stop > start else { continue }
            for p in log.periods[run.first...run.last] {
                let lo = max(start, p.span.startS), hi = min(stop, p.span.stopS)
                guard hi > lo else { continue }
                let piece = Piece(span: TimeSpan(startS: lo, stopS: hi), powerMW: p.powerMW, fissionFractions: p.fissionFractions)
                if run.state == .on { on.append(piece) } else { off.append(piece) }
            }
        }
        self.on = on
        self.off = off
    }
}
