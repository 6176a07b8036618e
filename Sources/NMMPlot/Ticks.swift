import Foundation

/// One tick: its value, whether it is labelled (major), and its label.
public struct Tick: Sendable, Equatable {
    public var value: Double
    public var major: Bool
    public var label: String
}

/// "Nice" axis ranges and ticks: linear steps of 1, 2 or 5 × 10ⁿ; log axes by decades
/// (with 2 and 5 labelled when less than two decades show, and every k-th decade labelled
/// when very many show).
public enum TickGenerator {
    /// The nice step (1, 2 or 5 × 10ⁿ) closest to span/target from above.
    public static func niceStep(span: Double, target: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(target, 1))
        let e = floor(log10(raw))
        let base = pow(10, e)
        let f = raw / base
        let m: Double = f <= 1 + 1e-9 ? 1 : (f <= 2 + 1e-9 ? 2 : (f <= 5 + 1e-9 ? 5 : 10))
        return m * base
    }

    /// Expands [low, high] outward to multiples of the nice step (linear axes).
    public static func niceLinearRange(low: Double, high: Double, target: Int = 6) -> (low: Double, high: Double) {
        var lo = low, hi = high
        if !(lo.isFinite && hi.isFinite) { return (0, 1) }
        if hi < lo { swap(&lo, &hi) }
        if hi == lo {
            let d = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= d; hi += d
        }
        let step = niceStep(span: hi - lo, target: target)
        return (floor(lo / step + 1e-9) * step, ceil(hi / step - 1e-9) * step)
    }

    /// Expands [low, high] (both > 0) outward for a log axis: to whole decades when the data
    /// span three decades or more, else to the nearest 1, 2 or 5 × 10ⁿ (so a narrow range is
    /// not drowned in empty decades).
    public static func niceLogRange(low: Double, high: Double) -> (low: Double, high: Double) {
        guard low > 0, high > 0, low.isFinite, high.isFinite else { return (1, 10) }
        let lo = min(low, high), hi = max(low, high)
        let a = floor(log10(lo) + 1e-9)
        var b = ceil(log10(hi) - 1e-9)
        if b <= a { b = a + 1 }
        if b - a >= 3 { return (pow(10, a), pow(10, b)) }
        let down = [1.0, 2, 5].map { $0 * pow(10, a) }.last { $0 <= lo * (1 + 1e-9) } ?? pow(10, a)
        let up = [1.0, 2, 5, 10].map { $0 * pow(10, b - 1) }.first { $0 >= hi * (1 - 1e-9) } ?? pow(10, b)
        return up > down ? (down, up) : (pow(10, a), pow(10, b))
    }

    /// Linear ticks inside [low, high], about `target` labelled ones.
    public static func linear(low: Double, high: Double, target: Int = 6,
                              format: TickFormat = .auto) -> [Tick] {
        guard high > low, low.isFinite, high.isFinite else { return [] }
        let step = niceStep(span: high - low, target: target)
        let first = Int((low / step - 1e-9).rounded(.up)), last = Int((high / step + 1e-9).rounded(.down))
        guard last >= first, last - first < 1000 else { return [] }
        let values = (first...last).map { Double($0) * step }
        let labels = TickFormatter.labels(values, step: step, format: format)
        return zip(values, labels).map { Tick(value: $0, major: true, label: $1) }
    }

    /// Log ticks inside [low, high] (low > 0).
    public static func log(low: Double, high: Double, format: TickFormat = .auto) -> [Tick] {
        guard low > 0, high > low, high.isFinite else { return [] }
        let a = Int(floor(log10(low) + 1e-9)), b = Int(ceil(log10(high) - 1e-9))
        let decades = b - a
        let every = max(1, Int((Double(decades) / 8).rounded(.up)))
        let fewDecades = log10(high / low) < 2.0 + 1e-9
        var ticks: [Tick] = []
        for d in a...b {
            let base = pow(10, Double(d))
            for m in 1...9 {
                let v = Double(m) * base
                guard v >= low * (1 - 1e-9), v <= high * (1 + 1e-9) else { continue }
                let labelled = m == 1 ? (d - a) % every == 0 : (fewDecades && (m == 2 || m == 5))
                if m != 1 && !labelled && decades > 6 { continue }   // no minor ticks when crowded
                ticks.append(Tick(value: v, major: labelled, label: ""))
            }
        }
        let majors = ticks.filter(\.major).map(\.value)
        let labels = TickFormatter.logLabels(majors, format: format)
        var k = 0
        for i in ticks.indices where ticks[i].major {
            ticks[i].label = labels[k]
            k += 1
        }
        return ticks
    }
}
