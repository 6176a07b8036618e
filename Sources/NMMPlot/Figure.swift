/// A chart: a title, two axes, series in drawing order, a legend and optional notes under
/// the plot, rendered to a standalone SVG document by `svg()`. Output is deterministic.
///
///     var f = Figure(id: "spectra", title: "ON and OFF spectra",
///                    x: Axis(label: "Energy (keV)"), y: Axis(label: "Rate (counts/(kg·keV·day))"))
///     f.add(Series("ON", .points(x: e, y: r, yError: s, xHalfWidth: [])))
///     let text = f.svg()
public struct Figure: Sendable {
    /// Prefix of element ids (e.g. the clip path), so several figures can share one HTML page.
    public var id: String
    public var title: String
    public var width: Double
    public var height: Double
    public var xAxis: Axis
    public var yAxis: Axis
    public var series: [Series]
    public var legend: LegendPosition
    /// Small text under the plot (captions, caveats); wrapped to the figure width.
    public var notes: [String]

    public init(id: String, title: String, x: Axis, y: Axis, width: Double = 800, height: Double = 500,
                legend: LegendPosition = .topRight, series: [Series] = [], notes: [String] = []) {
        self.id = id
        self.title = title
        self.width = width
        self.height = height
        self.xAxis = x
        self.yAxis = y
        self.series = series
        self.legend = legend
        self.notes = notes
    }

    public mutating func add(_ s: Series) { series.append(s) }

    static let noteFont = 12.0
    static let noteLine = 16.0

    /// The SVG document.
    public func svg() -> String {
        let safeID = Self.sanitize(id)
        let (xr, yr) = ranges()
        let xTicks = xAxis.ticks(low: xr.low, high: xr.high), yTicks = yAxis.ticks(low: yr.low, high: yr.high)
        let noteLines = notes.flatMap { Self.wrap($0, width: width - 40, fontSize: Self.noteFont) }
        let left = 18 + AxisRenderer.labelFont + 12 + AxisRenderer.yTickLabelWidth(yTicks) + 10
        let right = width - 24
        let top = title.isEmpty ? 16.0 : 46.0
        let legendBelow = legend == .below ? LegendRenderer.belowLayout(of: series, width: right - left).height : 0
        let legendSpace = legendBelow > 0 ? legendBelow + 10 : 0
        let bottom = 62 + legendSpace + (noteLines.isEmpty ? 0 : 6 + Double(noteLines.count) * Self.noteLine)
        let area = PlotArea(left: left, top: top, right: right, bottom: max(top + 60, height - bottom))
        let xs = Scale(kind: xAxis.scale, low: xr.low, high: xr.high, start: area.left, end: area.right)
        let ys = Scale(kind: yAxis.scale, low: yr.low, high: yr.high, start: area.bottom, end: area.top)
        let axes = AxisRenderer(area: area, x: xs, y: ys, xTicks: xTicks, yTicks: yTicks)
        let clipID = "\(safeID)-plot-area"
        let renderer = SeriesRenderer(x: xs, y: ys, area: area, clipID: clipID)
        let px = SVGText.px

        var body: [String] = [
            SVGElement("title").text(title.isEmpty ? id : title),
            SVGElement("defs").wrap([SVGElement("clipPath", [("id", clipID)]).wrap([
                SVGElement("rect", [("x", px(area.left)), ("y", px(area.top)), ("width", px(area.width)),
                                    ("height", px(area.height))]).empty,
            ])]),
            SVGElement("rect", [("class", "background"), ("x", "0"), ("y", "0"), ("width", px(width)),
                                ("height", px(height)), ("fill", "white")]).empty,
            axes.grid(xGrid: xAxis.grid, yGrid: yAxis.grid),
        ]
        if !noteLines.isEmpty { body.insert(SVGElement("desc").text(notes.joined(separator: " ")), at: 1) }
        body += series.map(renderer.render)
        body += axes.render(xLabel: xAxis.label, yLabel: yAxis.label)
        let legendRenderer = LegendRenderer(area: area)
        if legend == .below {
            if let l = legendRenderer.renderBelow(series, left: area.left, top: area.bottom + 60, width: area.width) {
                body.append(l)
            }
        } else if let l = legendRenderer.render(series, position: legend,
                                                occupied: legend == .best ? series.flatMap(renderer.samplePoints) : []) {
            body.append(l)
        }
        if !title.isEmpty {
            body.append(SVGElement("text", [("class", "title"), ("x", px(width / 2)), ("y", "28"), ("text-anchor", "middle"),
                                            ("font-size", "18"), ("font-weight", "bold")]).text(title))
        }
        for (k, line) in noteLines.enumerated() {
            let yLine = area.bottom + 62 + legendSpace + Double(k + 1) * Self.noteLine
            body.append(SVGElement("text", [("class", "note"), ("x", "20"), ("y", px(yLine)), ("font-size", "12"),
                                            ("fill", "#333333")]).text(line))
        }
        let root = SVGElement("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("id", safeID), ("class", "nmm-figure"),
            ("width", px(width)), ("height", px(height)), ("viewBox", "0 0 \(px(width)) \(px(height))"),
            ("font-family", "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"),
        ])
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.wrap(body) + "\n"
    }

    /// The data ranges drawn on x and y.
    func ranges() -> (x: (low: Double, high: Double), y: (low: Double, high: Double)) {
        var xs: [Double] = [], ys: [Double] = []
        for s in series {
            let e = s.extent(xLog: xAxis.scale == .log, yLog: yAxis.scale == .log)
            xs += e.x
            ys += e.y
        }
        func extent(_ v: [Double]) -> (low: Double, high: Double)? {
            guard let lo = v.min(), let hi = v.max() else { return nil }
            return (lo, hi)
        }
        return (xAxis.resolvedRange(dataExtent: extent(xs)), yAxis.resolvedRange(dataExtent: extent(ys)))
    }

    /// Letters, digits, '-' and '_' only (an XML id; also safe in url(#…)).
    static func sanitize(_ s: String) -> String {
        let kept = s.map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" ? $0 : "-" }
        let out = String(kept)
        return out.first?.isLetter == true ? out : "fig-" + out
    }

    /// Greedy word wrap by estimated text width.
    static func wrap(_ text: String, width: Double, fontSize: Double) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if SVGText.width(candidate, fontSize: fontSize) > width, !current.isEmpty {
                lines.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
