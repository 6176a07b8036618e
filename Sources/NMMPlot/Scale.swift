import Foundation

/// How an axis maps data to position.
public enum ScaleKind: String, Sendable, Equatable {
    case linear
    case log
}

/// A data interval mapped onto a pixel interval (`start` is where `low` lands; for a y axis
/// start is the bottom edge, which has the larger pixel value).
struct Scale: Sendable {
    let kind: ScaleKind
    let low: Double
    let high: Double
    let start: Double
    let end: Double

    private func t(_ v: Double) -> Double? {
        guard v.isFinite else { return nil }
        switch kind {
        case .linear:
            return (v - low) / (high - low)
        case .log:
            guard v > 0 else { return nil }
            return (log10(v) - log10(low)) / (log10(high) - log10(low))
        }
    }

    /// The pixel of `v`, or nil if `v` cannot be shown on this scale (non-finite, or ≤ 0 on a
    /// log scale). Far-off values are clamped to ±1e5 px so the SVG stays sane; the plot
    /// area is clipped anyway.
    func pixel(_ v: Double) -> Double? {
        guard let f = t(v) else { return nil }
        return max(-1e5, min(1e5, start + f * (end - start)))
    }

    /// Like `pixel`, but a value below a log scale's reach (≤ 0) or −∞ lands just beyond the
    /// low edge, so an error bar reaching down to 0 is drawn to the edge (and clipped).
    func pixelOrEdge(_ v: Double) -> Double? {
        if let p = pixel(v) { return p }
        if v.isNaN || v == .infinity { return v == .infinity ? end + 20 * (end > start ? 1 : -1) : nil }
        return start - 20 * (end > start ? 1 : -1)
    }

    /// True if `v` lies within the data interval (inclusive, with a relative tolerance).
    func contains(_ v: Double) -> Bool {
        guard let f = t(v) else { return false }
        return f >= -1e-9 && f <= 1 + 1e-9
    }
}
