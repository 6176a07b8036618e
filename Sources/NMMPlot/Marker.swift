import Foundation

/// SVG elements for marker shapes (shared by series and legend swatches).
enum Marker {
    static func element(_ shape: MarkerShape, x: Double, y: Double, r: Double, color: String) -> String? {
        let px = SVGText.px
        switch shape {
        case .none:
            return nil
        case .circle:
            return SVGElement("circle", [("cx", px(x)), ("cy", px(y)), ("r", px(r)), ("fill", color)]).empty
        case .openCircle:
            return SVGElement("circle", [("cx", px(x)), ("cy", px(y)), ("r", px(r)), ("fill", "white"),
                                         ("stroke", color), ("stroke-width", "1.4")]).empty
        case .square, .openSquare:
            let s = r * 0.9
            var a = [("x", px(x - s)), ("y", px(y - s)), ("width", px(2 * s)), ("height", px(2 * s))]
            a += shape == .square ? [("fill", color)] : [("fill", "white"), ("stroke", color), ("stroke-width", "1.4")]
            return SVGElement("rect", a).empty
        case .triangle:
            let d = "M\(px(x)) \(px(y - 1.2 * r))L\(px(x + 1.1 * r)) \(px(y + 0.8 * r))L\(px(x - 1.1 * r)) \(px(y + 0.8 * r))Z"
            return SVGElement("path", [("d", d), ("fill", color)]).empty
        case .diamond:
            let d = "M\(px(x)) \(px(y - 1.3 * r))L\(px(x + 1.1 * r)) \(px(y))L\(px(x)) \(px(y + 1.3 * r))L\(px(x - 1.1 * r)) \(px(y))Z"
            return SVGElement("path", [("d", d), ("fill", color)]).empty
        case .star:
            var d = ""
            for k in 0..<10 {
                let radius = k % 2 == 0 ? 1.5 * r : 0.65 * r
                let angle = Double(k) * Double.pi / 5 - Double.pi / 2
                d += (k == 0 ? "M" : "L") + "\(px(x + radius * cos(angle))) \(px(y + radius * sin(angle)))"
            }
            return SVGElement("path", [("d", d + "Z"), ("fill", color)]).empty
        }
    }
}

/// Stroke attributes of a style.
extension SeriesStyle {
    var strokeAttributes: [(String, String)] {
        var a = [("fill", "none"), ("stroke", color), ("stroke-width", SVGText.fixed(lineWidth, decimals: 2)),
                 ("stroke-linejoin", "round")]
        if let dash { a.append(("stroke-dasharray", dash)) }
        return a
    }

    var fillAttributes: [(String, String)] {
        [("fill", color), ("fill-opacity", SVGText.fixed(fillOpacity, decimals: 3)), ("stroke", "none")]
    }
}
