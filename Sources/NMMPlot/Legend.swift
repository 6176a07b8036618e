/// Where the legend box goes: in a corner of the plot area, in the corner that covers the
/// fewest drawn points (`best`), under the plot in one or two columns (`below`), or nowhere.
public enum LegendPosition: String, Sendable, Equatable {
    case topRight, topLeft, bottomRight, bottomLeft, best, below, none
}

/// The legend: a white box with one swatch and name per series shown in the legend.
struct LegendRenderer {
    static let fontSize = 13.0
    static let rowHeight = 19.0
    static let swatchWidth = 28.0
    static let padding = 8.0

    let area: PlotArea
    private let px = SVGText.px

    /// The legend's size for these series (zero if none are shown).
    static func size(of series: [Series]) -> (width: Double, height: Double) {
        let shown = series.filter(\.inLegend)
        guard !shown.isEmpty else { return (0, 0) }
        let textWidth = shown.map { SVGText.width($0.legendText, fontSize: fontSize) }.max() ?? 0
        return (2 * padding + swatchWidth + 8 + textWidth, 2 * padding + Double(shown.count) * rowHeight - 4)
    }

    /// Layout of a legend under the plot: two columns when the widest entry fits in half of
    /// `width`, else one.
    static func belowLayout(of series: [Series], width: Double) -> (columns: Int, rows: Int, height: Double) {
        let shown = series.filter(\.inLegend)
        guard !shown.isEmpty else { return (1, 0, 0) }
        let entryWidth = shown.map { swatchWidth + 8 + SVGText.width($0.legendText, fontSize: fontSize) }.max() ?? 0
        let columns = entryWidth + 24 <= width / 2 ? 2 : 1
        let rows = (shown.count + columns - 1) / columns
        return (columns, rows, Double(rows) * rowHeight + 4)
    }

    /// The legend box in a corner of the plot area; `occupied` are drawn points in pixels,
    /// used to pick the emptiest corner for `.best`.
    func render(_ series: [Series], position: LegendPosition, occupied: [(Double, Double)]) -> String? {
        let shown = series.filter(\.inLegend)
        guard position != .none, position != .below, !shown.isEmpty else { return nil }
        let (w, h) = Self.size(of: series)
        let corners: [LegendPosition] = [.topRight, .topLeft, .bottomRight, .bottomLeft]
        func box(_ p: LegendPosition) -> (left: Double, top: Double) {
            let inset = 10.0
            let left = (p == .topLeft || p == .bottomLeft) ? area.left + inset : area.right - inset - w
            let top = (p == .topLeft || p == .topRight) ? area.top + inset : area.bottom - inset - h
            return (left, top)
        }
        func covered(_ p: LegendPosition) -> Int {
            let (l, t) = box(p)
            return occupied.filter { $0.0 >= l - 4 && $0.0 <= l + w + 4 && $0.1 >= t - 4 && $0.1 <= t + h + 4 }.count
        }
        let corner = position == .best ? corners.min { covered($0) < covered($1) } ?? .topRight : position
        let (left, top) = box(corner)
        var parts = [SVGElement("rect", [("x", px(left)), ("y", px(top)), ("width", px(w)), ("height", px(h)),
                                         ("fill", "white"), ("fill-opacity", "0.9"), ("stroke", "#999999"),
                                         ("stroke-width", "1"), ("rx", "3")]).empty]
        for (k, s) in shown.enumerated() {
            parts.append(entry(s, x: left + Self.padding, y: top + Self.padding + Self.rowHeight * (Double(k) + 0.5) - 2))
        }
        return SVGElement("g", [("class", "legend")]).wrap(parts)
    }

    /// The legend under the plot, starting at (left, top), `width` wide, without a box.
    func renderBelow(_ series: [Series], left: Double, top: Double, width: Double) -> String? {
        let shown = series.filter(\.inLegend)
        guard !shown.isEmpty else { return nil }
        let layout = Self.belowLayout(of: series, width: width)
        let columnWidth = width / Double(layout.columns)
        let parts = shown.enumerated().map { k, s in
            let column = k / layout.rows, row = k % layout.rows
            return entry(s, x: left + Double(column) * columnWidth, y: top + Self.rowHeight * (Double(row) + 0.5))
        }
        return SVGElement("g", [("class", "legend")]).wrap(parts)
    }

    /// One legend entry: swatch and text, vertically centred on y.
    private func entry(_ s: Series, x: Double, y: Double) -> String {
        let parts = swatch(s, x: x, y: y) + [
            SVGElement("text", [("x", px(x + Self.swatchWidth + 8)), ("y", px(y + 4.5)),
                                ("font-size", SVGText.fixed(Self.fontSize, decimals: 1))]).text(s.legendText),
        ]
        return SVGElement("g", [("class", "legend-entry"), ("data-name", s.name)]).wrap(parts)
    }

    /// A small drawing of the series' style, `swatchWidth` wide, centred vertically on y.
    private func swatch(_ s: Series, x: Double, y: Double) -> [String] {
        let st = s.style, w = Self.swatchWidth, mid = x + w / 2
        func line(_ d: String, _ style: SeriesStyle) -> String { SVGElement("path", [("d", d)] + style.strokeAttributes).empty }
        func box() -> String {
            SVGElement("rect", [("x", px(x)), ("y", px(y - 6)), ("width", px(w)), ("height", "12")]
                       + st.fillAttributes).empty
        }
        switch s.kind {
        case .points:
            var bar = st
            bar.dash = nil
            bar.lineWidth = min(st.lineWidth, 1.3)
            return [line("M\(px(mid)) \(px(y - 7))V\(px(y + 7))", bar)]
                + [Marker.element(st.marker, x: mid, y: y, r: st.markerSize, color: st.color)].compactMap { $0 }
        case .line, .step, .horizontalLine, .segment:
            return [line("M\(px(x)) \(px(y))H\(px(x + w))", st)]
        case .verticalLine:
            return [line("M\(px(mid)) \(px(y - 8))V\(px(y + 8))", st)]
        case .band, .xSpan, .ySpan:
            return [box()]
        case .horizontalBand:
            var edge = st
            edge.lineWidth = 1.2
            return [box(), line("M\(px(x)) \(px(y - 6))H\(px(x + w))M\(px(x)) \(px(y + 6))H\(px(x + w))", edge)]
        case .markers:
            return [Marker.element(st.marker, x: mid, y: y, r: st.markerSize, color: st.color)].compactMap { $0 }
        }
    }
}
