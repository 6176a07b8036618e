/// Marker shapes for points and labelled markers.
public enum MarkerShape: String, Sendable, Equatable {
    case circle, openCircle, square, openSquare, triangle, diamond, star, none
}

/// How a series is drawn. Colours are CSS colour strings.
public struct SeriesStyle: Sendable, Equatable {
    public var color: String
    public var lineWidth: Double
    /// SVG stroke-dasharray, e.g. "6 4"; nil for solid.
    public var dash: String?
    /// Fill opacity of bands, spans and polygons.
    public var fillOpacity: Double
    public var marker: MarkerShape
    /// Marker radius in px.
    public var markerSize: Double

    public init(color: String = Palette.black, lineWidth: Double = 1.8, dash: String? = nil, fillOpacity: Double = 0.25,
                marker: MarkerShape = .circle, markerSize: Double = 3.2) {
        self.color = color
        self.lineWidth = lineWidth
        self.dash = dash
        self.fillOpacity = fillOpacity
        self.marker = marker
        self.markerSize = markerSize
    }
}

/// The Okabe–Ito palette (distinguishable with the common colour-vision deficiencies).
public enum Palette {
    public static let black = "#000000"
    public static let orange = "#E69F00"
    public static let skyBlue = "#56B4E9"
    public static let green = "#009E73"
    public static let yellow = "#F0E442"
    public static let blue = "#0072B2"
    public static let vermillion = "#D55E00"
    public static let purple = "#CC79A7"
    public static let grey = "#808080"
    public static let lightGrey = "#D9D9D9"
}
