/// Where the legend box goes (inside the plot area, in a corner).
public enum LegendPosition: String, Sendable, Equatable {
    case topRight, topLeft, bottomRight, bottomLeft, none
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

    func render(_ series: [Series], position: LegendPosition) -> String? {
        let shown = series.filter(\.inLegend)
        guard position != .none, !shown.isEmpty else { return nil }
        let (w, h) = Self.size(of: series)
        let inset = 10.0
        let left = (position == .topLeft || position == .bottomLeft) ? area.left + inset : area.right - inset - w
        let top = (position == .topLeft || position == .topRight) ? area.top + inset : area.bottom - inset - h
        var parts = [SVGElement("rect", [("x", px(left)), ("y", px(top)), ("width", px(w)), ("height", px(h)),
                                         ("fill", "white"), ("fill-opacity", "0.9"), ("stroke", "#999999"),
                                         ("stroke-width", "1"), ("rx", "3")]).empty]
        for (k, s) in shown.enumerated() {
            let cy = top + Self.padding + Self.rowHeight * (Double(k) + 0.5) - 2
            let sx = left + Self.padding
            let entry = swatch(s, x: sx, y: cy) + [
                SVGElement("text", [("x", px(sx + Self.swatchWidth + 8)), ("y", px(cy + 4.5)),
                                    ("font-size", SVGText.fixed(Self.fontSize, decimals: 1))]).text(s.legendText),
            ]
            parts.append(SVGElement("g", [("class", "legend-entry"), ("data-name", s.name)]).wrap(entry))
        }
        return SVGElement("g", [("class", "legend")]).wrap(parts)
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
