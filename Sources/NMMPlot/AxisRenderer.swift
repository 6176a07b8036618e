/// The frame, grid, ticks, tick labels and axis labels of a figure.
struct AxisRenderer {
    static let tickFont = 13.0
    static let labelFont = 15.0

    let area: PlotArea
    let x: Scale
    let y: Scale
    let xTicks: [Tick]
    let yTicks: [Tick]
    private let px = SVGText.px

    /// Width of the widest y tick label (for the left margin).
    static func yTickLabelWidth(_ ticks: [Tick]) -> Double {
        ticks.filter(\.major).map { SVGText.width($0.label, fontSize: tickFont) }.max() ?? 0
    }

    func grid(xGrid: Bool, yGrid: Bool) -> String {
        var d = ""
        if xGrid { for t in xTicks where t.major { if let p = x.pixel(t.value) { d += "M\(px(p)) \(px(area.top))V\(px(area.bottom))" } } }
        if yGrid { for t in yTicks where t.major { if let p = y.pixel(t.value) { d += "M\(px(area.left)) \(px(p))H\(px(area.right))" } } }
        return SVGElement("path", [("class", "grid"), ("d", d.isEmpty ? "M0 0" : d), ("fill", "none"),
                                   ("stroke", "#E6E6E6"), ("stroke-width", "1")]).empty
    }

    /// Frame and ticks (inward, on all four sides), tick labels, axis labels.
    func render(xLabel: String, yLabel: String) -> [String] {
        var d = ""
        for t in xTicks {
            guard let p = x.pixel(t.value) else { continue }
            let len = t.major ? 7.0 : 4.0
            d += "M\(px(p)) \(px(area.bottom))V\(px(area.bottom - len))M\(px(p)) \(px(area.top))V\(px(area.top + len))"
        }
        for t in yTicks {
            guard let p = y.pixel(t.value) else { continue }
            let len = t.major ? 7.0 : 4.0
            d += "M\(px(area.left)) \(px(p))H\(px(area.left + len))M\(px(area.right)) \(px(p))H\(px(area.right - len))"
        }
        var out = [
            SVGElement("path", [("class", "ticks"), ("d", d.isEmpty ? "M0 0" : d), ("fill", "none"),
                                ("stroke", "#000000"), ("stroke-width", "1")]).empty,
            SVGElement("rect", [("class", "frame"), ("x", px(area.left)), ("y", px(area.top)), ("width", px(area.width)),
                                ("height", px(area.height)), ("fill", "none"), ("stroke", "#000000"),
                                ("stroke-width", "1.2")]).empty,
        ]
        out.append(SVGElement("g", [("class", "xticks"), ("font-size", "13"), ("text-anchor", "middle")])
            .wrap(xTickLabels().map { SVGElement("text", [("x", px($0.0)), ("y", px(area.bottom + 19))]).text($0.1) }))
        out.append(SVGElement("g", [("class", "yticks"), ("font-size", "13"), ("text-anchor", "end")])
            .wrap(yTicks.filter(\.major).compactMap { t in
                y.pixel(t.value).map { SVGElement("text", [("x", px(area.left - 7)), ("y", px($0 + 4.5))]).text(t.label) }
            }))
        let yLabelX = area.left - Self.yTickLabelWidth(yTicks) - 20
        let cy = (area.top + area.bottom) / 2
        out.append(SVGElement("text", [("class", "xlabel"), ("x", px((area.left + area.right) / 2)), ("y", px(area.bottom + 46)),
                                       ("text-anchor", "middle"), ("font-size", "15")]).text(xLabel))
        out.append(SVGElement("text", [("class", "ylabel"), ("x", px(yLabelX)), ("y", px(cy)), ("text-anchor", "middle"),
                                       ("font-size", "15"), ("transform", "rotate(-90 \(px(yLabelX)) \(px(cy)))")]).text(yLabel))
        return out
    }

    /// Labelled x ticks, thinned (every 2nd, 3rd, …) until neighbouring labels do not touch.
    private func xTickLabels() -> [(Double, String)] {
        let labelled = xTicks.filter(\.major).compactMap { t in x.pixel(t.value).map { ($0, t.label) } }
        for every in 1...max(1, labelled.count) {
            let kept = labelled.enumerated().filter { $0.offset % every == 0 }.map(\.element)
            let fits = zip(kept, kept.dropFirst()).allSatisfy { a, b in
                abs(b.0 - a.0) > (SVGText.width(a.1, fontSize: Self.tickFont) + SVGText.width(b.1, fontSize: Self.tickFont)) / 2 + 10
            }
            if fits { return kept }
        }
        return Array(labelled.prefix(1))
    }
}
