/// Where a marker's text label sits relative to the marker.
public enum LabelAnchor: String, Sendable, Equatable {
    case right, left, above, below
}

/// A point with a text label (e.g. a published experiment on a sensitivity plot).
public struct LabelledPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var label: String
    public var anchor: LabelAnchor
    public init(x: Double, y: Double, label: String, anchor: LabelAnchor = .right) {
        self.x = x
        self.y = y
        self.label = label
        self.anchor = anchor
    }
}

/// One thing drawn in the plot area. Every series becomes `<g class="series" data-name="…">`.
public struct Series: Sendable {
    public enum Kind: Sendable {
        /// Points with symmetric vertical error bars (`yError`, may be empty) and optional
        /// horizontal half-widths (`xHalfWidth`, e.g. half a bin; may be empty).
        case points(x: [Double], y: [Double], yError: [Double], xHalfWidth: [Double])
        /// A polyline; non-finite or unplottable points break it.
        case line(x: [Double], y: [Double])
        /// A histogram: y[i] over [lowEdges[i], highEdges[i]], joined where bins touch.
        case step(lowEdges: [Double], highEdges: [Double], y: [Double])
        /// A horizontal line across the plot area, with an optional label at its right end.
        case horizontalLine(y: Double, label: String?)
        /// A vertical line across the plot area, with an optional label at its top.
        case verticalLine(x: Double, label: String?)
        /// A filled region between low[i] and high[i] over x[i] (vertical band).
        case band(x: [Double], low: [Double], high: [Double])
        /// A filled region between left[i] and right[i] over y[i] (horizontal band, e.g. a
        /// confidence belt of acceptance intervals in x for each true value y).
        case horizontalBand(y: [Double], left: [Double], right: [Double])
        /// A filled x range spanning the whole plot height.
        case xSpan(from: Double, to: Double)
        /// A filled y range spanning the whole plot width.
        case ySpan(from: Double, to: Double)
        /// A line segment between two data points.
        case segment(x0: Double, y0: Double, x1: Double, y1: Double)
        /// Markers with text labels.
        case markers([LabelledPoint])
    }

    /// Stable name, written as `data-name` (tests and scripts find the series by it).
    public var name: String
    /// Text in the legend; nil: the name.
    public var label: String?
    public var kind: Kind
    public var style: SeriesStyle
    public var inLegend: Bool

    var legendText: String { label ?? name }

    public init(_ name: String, _ kind: Kind, label: String? = nil, style: SeriesStyle = SeriesStyle(), inLegend: Bool = true) {
        self.name = name
        self.label = label
        self.kind = kind
        self.style = style
        self.inLegend = inLegend
    }

    /// Data extent of this series along x and y (finite values only; spans and reference
    /// lines count on their own axis only). Log axes ignore values ≤ 0.
    func extent(xLog: Bool, yLog: Bool) -> (x: [Double], y: [Double]) {
        func ok(_ v: Double, _ log: Bool) -> Bool { v.isFinite && (!log || v > 0) }
        var xs: [Double] = [], ys: [Double] = []
        // A point counts only if it is plottable on both axes; nil means "not on this axis".
        func add(_ x: Double?, _ y: Double?) {
            guard x.map({ ok($0, xLog) }) ?? true, y.map({ ok($0, yLog) }) ?? true else { return }
            if let x { xs.append(x) }
            if let y { ys.append(y) }
        }
        switch kind {
        case let .points(x, y, e, hw):
            for i in x.indices where i < y.count && ok(y[i], yLog) && ok(x[i], xLog) {
                let err = i < e.count && e[i].isFinite ? e[i] : 0
                let w = i < hw.count && hw[i].isFinite ? hw[i] : 0
                // On a log axis a long error bar down towards 0 should not stretch the range
                // by decades: count at most one decade below the point.
                let lowY = yLog ? (y[i] - err > 0 ? max(y[i] - err, y[i] / 10) : y[i]) : y[i] - err
                add(x[i] - w, lowY)
                add(x[i] + w, y[i] + err)
            }
        case let .line(x, y), let .band(x, y, _):
            for i in x.indices where i < y.count { if y[i].isFinite { add(x[i], y[i]) } }
            if case let .band(_, _, high) = kind { for i in x.indices where i < high.count { add(x[i], high[i]) } }
        case let .step(lo, hi, y):
            for i in y.indices where i < lo.count && i < hi.count && y[i].isFinite { add(lo[i], y[i]); add(hi[i], y[i]) }
        case let .horizontalLine(y, _): add(nil, y)
        case let .verticalLine(x, _): add(x, nil)
        case let .horizontalBand(y, left, right):
            for i in y.indices where i < left.count && i < right.count {
                add(left[i], y[i])
                add(right[i], y[i])
            }
        case let .xSpan(a, b): add(a, nil); add(b, nil)
        case let .ySpan(a, b): add(nil, a); add(nil, b)
        case let .segment(x0, y0, x1, y1): add(x0, y0); add(x1, y1)
        case let .markers(points): for p in points { add(p.x, p.y) }
        }
        return (xs, ys)
    }
}
