/// One axis of a figure: its label (with units), scale, range and tick format.
public struct Axis: Sendable {
    /// The label, with units, e.g. "Energy (keV)".
    public var label: String
    public var scale: ScaleKind
    /// Fixed data range; nil: from the data, padded by 4% (linear) or widened to 1-2-5 values
    /// or decades (log).
    public var range: ClosedRange<Double>?
    public var tickFormat: TickFormat
    /// Linear axes: include 0 in an automatic range.
    public var includeZero: Bool
    /// About this many labelled ticks on a linear axis.
    public var targetTicks: Int
    /// Light grid lines at the labelled ticks.
    public var grid: Bool

    public init(label: String, scale: ScaleKind = .linear, range: ClosedRange<Double>? = nil,
                tickFormat: TickFormat = .auto, includeZero: Bool = false, targetTicks: Int = 6, grid: Bool = true) {
        self.label = label
        self.scale = scale
        self.range = range
        self.tickFormat = tickFormat
        self.includeZero = includeZero
        self.targetTicks = targetTicks
        self.grid = grid
    }

    /// The range to draw, given the extent of the data on this axis (nil if no data).
    func resolvedRange(dataExtent: (low: Double, high: Double)?) -> (low: Double, high: Double) {
        if let r = range, r.upperBound > r.lowerBound, scale == .linear || r.lowerBound > 0 {
            return (r.lowerBound, r.upperBound)
        }
        switch scale {
        case .linear:
            // The data extent plus 4% on each side (none on a side that sits at an included 0),
            // not widened to whole ticks: the data keep the plot area.
            var (lo, hi) = dataExtent ?? (0, 1)
            if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
            if hi <= lo {
                let d = lo == 0 ? 1 : abs(lo) * 0.1
                return (lo - d, hi + d)
            }
            let pad = (hi - lo) * 0.04
            return (lo - ((includeZero && lo == 0) ? 0 : pad), hi + ((includeZero && hi == 0) ? 0 : pad))
        case .log:
            let (lo, hi) = dataExtent ?? (1, 10)
            return TickGenerator.niceLogRange(low: lo, high: hi)
        }
    }

    func ticks(low: Double, high: Double) -> [Tick] {
        switch scale {
        case .linear: TickGenerator.linear(low: low, high: high, target: targetTicks, format: tickFormat)
        case .log: TickGenerator.log(low: low, high: high, format: tickFormat)
        }
    }
}
