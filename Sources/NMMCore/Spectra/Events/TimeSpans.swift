/// A half-open time interval [startS, stopS) in seconds from a reference time (the event
/// list's MJDREF): an event at `startS` is inside, one at `stopS` is not (OGIP GTIs and
/// reactor-log periods are read the same way).
public struct TimeSpan: Equatable, Sendable {
    public var startS: Double
    public var stopS: Double

    public init(startS: Double, stopS: Double) {
        self.startS = startS
        self.stopS = stopS
    }

    public var lengthS: Double { stopS - startS }

    public func contains(_ t: Double) -> Bool { t >= startS && t < stopS }
}

/// Operations on lists of spans sorted by start and not overlapping (as GTIs and selected
/// reactor runs are, once checked).
public enum TimeSpans {
    /// The time common to `a` and `b`, sorted; empty pieces dropped. Linear merge.
    public static func intersection(_ a: [TimeSpan], _ b: [TimeSpan]) -> [TimeSpan] {
        indexedIntersection(a, b).map(\.span)
    }

    /// The pieces of `intersection(a, b)`, each with the index of the span of `a` it lies in.
    public static func indexedIntersection(_ a: [TimeSpan], _ b: [TimeSpan]) -> [(span: TimeSpan, indexInA: Int)] {
        var out: [(span: TimeSpan, indexInA: Int)] = []
        var i = 0, j = 0
        while i < a.count, j < b.count {
            let lo = max(a[i].startS, b[j].startS), hi = min(a[i].stopS, b[j].stopS)
            if hi > lo { out.append((TimeSpan(startS: lo, stopS: hi), i)) }
            if a[i].stopS < b[j].stopS { i += 1 } else { j += 1 }
        }
        return out
    }

    /// The index of the span holding `t` (binary search), or nil.
    public static func index(of t: Double, in spans: [TimeSpan]) -> Int? {
        var lo = 0, hi = spans.count
        while lo < hi {   // first span whose stop is > t
            let mid = (lo + hi) / 2
            if spans[mid].stopS <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo < spans.count && spans[lo].contains(t) ? lo : nil
    }

    public static func totalS(_ spans: [TimeSpan]) -> Double { spans.reduce(0) { $0 + $1.lengthS } }
}
