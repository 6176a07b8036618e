/// The plot area in pixels.
struct PlotArea: Sendable {
    let left: Double, top: Double, right: Double, bottom: Double
    var width: Double { right - left }
    var height: Double { bottom - top }
    func contains(_ x: Double, _ y: Double) -> Bool {
        x >= left - 0.5 && x <= right + 0.5 && y >= top - 0.5 && y <= bottom + 0.5
    }
}

/// Draws series into the plot area. Everything but text labels is clipped to the area.
struct SeriesRenderer {
    let x: Scale
    let y: Scale
    let area: PlotArea
    let clipID: String

    private let px = SVGText.px

    /// `<g class="series" data-name="…">` holding the clipped drawing and any labels.
    func render(_ s: Series) -> String {
        let (drawing, labels) = draw(s)
        let clipped = SVGElement("g", [("clip-path", "url(#\(clipID))")]).wrap(drawing)
        return SVGElement("g", [("class", "series"), ("data-name", s.name)]).wrap([clipped] + labels)
    }

    private func draw(_ s: Series) -> (drawing: [String], labels: [String]) {
        let st = s.style
        switch s.kind {
        case let .points(xs, ys, es, hw):
            return (points(xs, ys, es, hw, st), [])
        case let .line(xs, ys):
            return ([path(polyline(xs, ys), st.strokeAttributes)], [])
        case let .step(lo, hi, ys):
            return ([path(steps(lo, hi, ys), st.strokeAttributes)], [])
        case let .horizontalLine(v, label):
            guard let py = y.pixel(v) else { return ([], []) }
            let line = path("M\(px(area.left)) \(px(py))H\(px(area.right))", st.strokeAttributes)
            guard let label, !label.isEmpty, py >= area.top, py <= area.bottom else { return ([line], []) }
            let above = py - area.top > 20
            return ([line], [text(label, x: area.right - 6, y: above ? py - 5 : py + 15, anchor: "end", color: st.color)])
        case let .verticalLine(v, label):
            guard let xp = x.pixel(v) else { return ([], []) }
            let line = path("M\(px(xp)) \(px(area.top))V\(px(area.bottom))", st.strokeAttributes)
            guard let label, !label.isEmpty, xp >= area.left, xp <= area.right else { return ([line], []) }
            let roomRight = area.right - xp > SVGText.width(label, fontSize: 12) + 10
            return ([line], [text(label, x: roomRight ? xp + 5 : xp - 5, y: area.top + 16,
                                  anchor: roomRight ? "start" : "end", color: st.color)])
        case let .band(xs, low, high):
            return ([band(xs, low, high, st)], [])
        case let .horizontalBand(ys, left, right):
            return (horizontalBand(ys, left, right, st), [])
        case let .xSpan(a, b):
            guard let p0 = x.pixelOrEdge(a), let p1 = x.pixelOrEdge(b) else { return ([], []) }
            let l = max(area.left, min(p0, p1)), r = min(area.right, max(p0, p1))
            guard r > l else { return ([], []) }
            return ([rect(l, area.top, r - l, area.height, st.fillAttributes)], [])
        case let .ySpan(a, b):
            guard let p0 = y.pixelOrEdge(a), let p1 = y.pixelOrEdge(b) else { return ([], []) }
            let t = max(area.top, min(p0, p1)), bt = min(area.bottom, max(p0, p1))
            guard bt > t else { return ([], []) }
            return ([rect(area.left, t, area.width, bt - t, st.fillAttributes)], [])
        case let .segment(x0, y0, x1, y1):
            guard let a = x.pixel(x0), let b = y.pixel(y0), let c = x.pixel(x1), let d = y.pixel(y1) else { return ([], []) }
            return ([path("M\(px(a)) \(px(b))L\(px(c)) \(px(d))", st.strokeAttributes)], [])
        case let .markers(pts):
            return markers(pts, st)
        }
    }

    /// Pixel positions of what the series draws (points, vertices, markers, band edges), for
    /// placing the legend where it hides least. Spans and reference lines do not count.
    func samplePoints(_ s: Series) -> [(Double, Double)] {
        func pairs(_ xs: [Double], _ ys: [Double]) -> [(Double, Double)] {
            (0..<min(xs.count, ys.count)).compactMap { i in
                guard let a = x.pixel(xs[i]), let b = y.pixel(ys[i]) else { return nil }
                return (a, b)
            }
        }
        switch s.kind {
        case let .points(xs, ys, es, _):
            return pairs(xs, ys) + pairs(xs, (0..<ys.count).map { $0 < es.count ? ys[$0] + es[$0] : ys[$0] })
                + pairs(xs, (0..<ys.count).map { $0 < es.count ? ys[$0] - es[$0] : ys[$0] })
        case let .line(xs, ys):
            return dense(pairs(xs, ys))
        case let .step(lo, hi, ys):
            return pairs(lo, ys) + pairs(hi, ys)
        case let .band(xs, low, high):
            return dense(pairs(xs, low)) + dense(pairs(xs, high))
        case let .horizontalBand(ys, left, right):
            return dense(pairs(left, ys)) + dense(pairs(right, ys))
        case let .segment(x0, y0, x1, y1):
            return dense(pairs([x0, x1], [y0, y1]))
        case let .markers(pts):
            return pts.flatMap { p -> [(Double, Double)] in
                guard let a = x.pixel(p.x), let b = y.pixel(p.y) else { return [] }
                let w = SVGText.width(p.label, fontSize: 12), gap = s.style.markerSize + 5
                let (l, base): (Double, Double) = switch p.anchor {
                case .right: (a + gap, b + 4)
                case .left: (a - gap - w, b + 4)
                case .above: (a - w / 2, b - gap)
                case .below: (a - w / 2, b + gap + 9)
                }
                return [(a, b)] + (p.label.isEmpty ? [] : textBox(left: l, baseline: base, width: w))
            }
        case let .horizontalLine(v, label):
            guard let label, !label.isEmpty, let py = y.pixel(v) else { return [] }
            let w = SVGText.width(label, fontSize: 12)
            return textBox(left: area.right - 6 - w, baseline: py - area.top > 20 ? py - 5 : py + 15, width: w)
        case let .verticalLine(v, label):
            guard let label, !label.isEmpty, let xp = x.pixel(v) else { return [] }
            let w = SVGText.width(label, fontSize: 12)
            let roomRight = area.right - xp > w + 10
            return textBox(left: roomRight ? xp + 5 : xp - 5 - w, baseline: area.top + 16, width: w)
        case .xSpan, .ySpan:
            return []
        }
    }

    /// Points covering a 12 px text label (so the legend avoids labels too).
    private func textBox(left: Double, baseline: Double, width: Double) -> [(Double, Double)] {
        stride(from: left, through: left + width, by: 8).flatMap { [($0, baseline), ($0, baseline - 9)] }
    }

    /// Adds points every ~10 px along a polyline, so long straight segments count too.
    private func dense(_ pts: [(Double, Double)]) -> [(Double, Double)] {
        guard pts.count > 1 else { return pts }
        var out: [(Double, Double)] = []
        for (a, b) in zip(pts, pts.dropFirst()) {
            let n = max(1, min(200, Int((abs(b.0 - a.0) + abs(b.1 - a.1)) / 10)))
            for k in 0..<n { let t = Double(k) / Double(n); out.append((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))) }
        }
        out.append(pts[pts.count - 1])
        return out
    }

    // MARK: - Kinds

    private func points(_ xs: [Double], _ ys: [Double], _ es: [Double], _ hw: [Double], _ st: SeriesStyle) -> [String] {
        var bars = "", marks: [String] = []
        let n = min(xs.count, ys.count)
        let caps = n <= 60
        for i in 0..<n {
            guard let cx = x.pixel(xs[i]), let cy = y.pixel(ys[i]) else { continue }
            if i < es.count, es[i].isFinite, es[i] > 0,
               let lo = y.pixelOrEdge(ys[i] - es[i]), let hi = y.pixel(ys[i] + es[i]) {
                bars += "M\(px(cx)) \(px(lo))V\(px(hi))"
                if caps { bars += "M\(px(cx - 3)) \(px(lo))H\(px(cx + 3))M\(px(cx - 3)) \(px(hi))H\(px(cx + 3))" }
            }
            if i < hw.count, hw[i].isFinite, hw[i] > 0,
               let l = x.pixel(xs[i] - hw[i]), let r = x.pixel(xs[i] + hw[i]) {
                bars += "M\(px(l)) \(px(cy))H\(px(r))"
            }
            if let m = Marker.element(st.marker, x: cx, y: cy, r: st.markerSize, color: st.color) { marks.append(m) }
        }
        let barStyle = [("fill", "none"), ("stroke", st.color), ("stroke-width", SVGText.fixed(min(st.lineWidth, 1.3), decimals: 2))]
        return (bars.isEmpty ? [] : [path(bars, barStyle)]) + marks
    }

    private func polyline(_ xs: [Double], _ ys: [Double]) -> String {
        var d = "", penDown = false
        for i in 0..<min(xs.count, ys.count) {
            guard let a = x.pixel(xs[i]), let b = y.pixel(ys[i]) else { penDown = false; continue }
            d += (penDown ? "L" : "M") + "\(px(a)) \(px(b))"
            penDown = true
        }
        return d
    }

    private func steps(_ lo: [Double], _ hi: [Double], _ ys: [Double]) -> String {
        var d = "", lastHigh: Double? = nil
        for i in 0..<min(lo.count, hi.count, ys.count) {
            guard let l = x.pixel(lo[i]), let r = x.pixel(hi[i]), let v = y.pixel(ys[i]) else { lastHigh = nil; continue }
            if let last = lastHigh, abs(last - lo[i]) <= 1e-9 * max(1, abs(lo[i])) {
                d += "V\(px(v))H\(px(r))"
            } else {
                d += "M\(px(l)) \(px(v))H\(px(r))"
            }
            lastHigh = hi[i]
        }
        return d
    }

    private func band(_ xs: [Double], _ low: [Double], _ high: [Double], _ st: SeriesStyle) -> String {
        var upper: [(Double, Double)] = [], lower: [(Double, Double)] = []
        for i in 0..<min(xs.count, low.count, high.count) {
            guard let a = x.pixel(xs[i]), let h = y.pixelOrEdge(high[i]), let l = y.pixelOrEdge(low[i]) else { continue }
            upper.append((a, h))
            lower.append((a, l))
        }
        return path(closedPolygon(upper + lower.reversed()), st.fillAttributes)
    }

    private func horizontalBand(_ ys: [Double], _ left: [Double], _ right: [Double], _ st: SeriesStyle) -> [String] {
        var l: [(Double, Double)] = [], r: [(Double, Double)] = []
        for i in 0..<min(ys.count, left.count, right.count) {
            // ±∞ (an acceptance region open to one side) lands just beyond the plot edge.
            guard let v = y.pixel(ys[i]), let a = x.pixelOrEdge(left[i]), let b = x.pixelOrEdge(right[i]) else { continue }
            l.append((a, v))
            r.append((b, v))
        }
        guard !l.isEmpty else { return [] }
        var edges = st
        edges.lineWidth = 1.2
        return [path(closedPolygon(l + r.reversed()), st.fillAttributes),
                path(open(l), edges.strokeAttributes), path(open(r), edges.strokeAttributes)]
    }

    private func markers(_ pts: [LabelledPoint], _ st: SeriesStyle) -> ([String], [String]) {
        var drawn: [String] = [], labels: [String] = []
        for p in pts {
            guard let a = x.pixel(p.x), let b = y.pixel(p.y) else { continue }
            if let m = Marker.element(st.marker, x: a, y: b, r: st.markerSize, color: st.color) { drawn.append(m) }
            guard !p.label.isEmpty, area.contains(a, b) else { continue }
            let gap = st.markerSize + 5
            switch p.anchor {
            case .right: labels.append(text(p.label, x: a + gap, y: b + 4, anchor: "start", color: Palette.black))
            case .left: labels.append(text(p.label, x: a - gap, y: b + 4, anchor: "end", color: Palette.black))
            case .above: labels.append(text(p.label, x: a, y: b - gap, anchor: "middle", color: Palette.black))
            case .below: labels.append(text(p.label, x: a, y: b + gap + 9, anchor: "middle", color: Palette.black))
            }
        }
        return (drawn, labels)
    }

    // MARK: - Elements

    private func closedPolygon(_ pts: [(Double, Double)]) -> String {
        pts.isEmpty ? "" : open(pts) + "Z"
    }

    private func open(_ pts: [(Double, Double)]) -> String {
        pts.enumerated().map { ($0.offset == 0 ? "M" : "L") + "\(px($0.element.0)) \(px($0.element.1))" }.joined()
    }

    private func path(_ d: String, _ attributes: [(String, String)]) -> String {
        SVGElement("path", [("d", d.isEmpty ? "M0 0" : d)] + attributes).empty
    }

    private func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ attributes: [(String, String)]) -> String {
        SVGElement("rect", [("x", px(x)), ("y", px(y)), ("width", px(w)), ("height", px(h))] + attributes).empty
    }

    /// A label with a white halo so it stays readable over lines and bands.
    func text(_ s: String, x: Double, y: Double, anchor: String, color: String) -> String {
        SVGElement("text", [("class", "label"), ("x", px(x)), ("y", px(y)), ("text-anchor", anchor), ("font-size", "12"),
                            ("fill", color), ("stroke", "white"), ("stroke-width", "3"), ("stroke-opacity", "0.85"),
                            ("paint-order", "stroke")]).text(s)
    }
}
