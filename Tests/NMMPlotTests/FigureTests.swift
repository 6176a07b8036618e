import NMMTestSupport
import XCTest
@testable import NMMPlot

final class FigureTests: XCTestCase {
    /// A figure with one series of every kind.
    static func sampleFigure(logY: Bool = false) -> Figure {
        let e = (0..<40).map { 12.5 + Double($0) }
        let r = e.map { 1.0 + 0.2 * sin($0 / 5) }
        var f = Figure(id: "sample figure", title: "Sample <all kinds> & \"quotes\"",
                       x: Axis(label: "Energy (keV)"),
                       y: Axis(label: "Rate (counts/(kg·keV·day))", scale: logY ? .log : .linear, includeZero: !logY))
        f.add(Series("window", .xSpan(from: 20, to: 40), style: SeriesStyle(color: Palette.lightGrey, fillOpacity: 0.4)))
        f.add(Series("±1σ band", .band(x: e, low: r.map { $0 * 0.9 }, high: r.map { $0 * 1.1 }),
                     style: SeriesStyle(color: Palette.green)))
        f.add(Series("data", .points(x: e, y: r, yError: r.map { 0.1 * $0 }, xHalfWidth: e.map { _ in 0.5 }),
                     style: SeriesStyle(color: Palette.black)))
        f.add(Series("model", .step(lowEdges: e.map { $0 - 0.5 }, highEdges: e.map { $0 + 0.5 }, y: r),
                     style: SeriesStyle(color: Palette.vermillion)))
        f.add(Series("trend", .line(x: e, y: r.map { $0 * 1.05 }), style: SeriesStyle(color: Palette.blue, dash: "6 4")))
        f.add(Series("level", .horizontalLine(y: 1, label: "level = 1"), style: SeriesStyle(color: Palette.grey)))
        f.add(Series("edge", .verticalLine(x: 30, label: "E = 30 keV"), style: SeriesStyle(color: Palette.purple)))
        f.add(Series("belt", .horizontalBand(y: [0.9, 1.0, 1.1], left: [14, 15, 16], right: [18, 19, 20]),
                     style: SeriesStyle(color: Palette.skyBlue)))
        f.add(Series("points of note", .markers([LabelledPoint(x: 45, y: 1.1, label: "A <1>"),
                                                 LabelledPoint(x: 25, y: 0.9, label: "B", anchor: .below)]),
                     style: SeriesStyle(color: Palette.orange, marker: .star, markerSize: 5)))
        f.add(Series("cut", .segment(x0: 13, y0: 0.8, x1: 50, y1: 0.8), style: SeriesStyle(color: Palette.green)))
        f.notes = ["A note under the plot, long enough to be wrapped onto more than one line when the figure is 800 px wide, which it is."]
        return f
    }

    func testSVGIsWellFormedAndNamesEverything() {
        let svg = Self.sampleFigure().svg()
        let probe = SVGProbe(svg)
        XCTAssertTrue(probe.isWellFormed, "\(String(describing: probe.parseError))")
        XCTAssertEqual(probe.seriesNames, ["window", "±1σ band", "data", "model", "trend", "level", "edge", "belt",
                                           "points of note", "cut"])
        XCTAssertEqual(probe.legendNames, probe.seriesNames)
        XCTAssertEqual(probe.texts(class: "xlabel"), ["Energy (keV)"])
        XCTAssertEqual(probe.texts(class: "ylabel"), ["Rate (counts/(kg·keV·day))"])
        XCTAssertEqual(probe.texts(class: "title"), ["Sample <all kinds> & \"quotes\""])   // escaped, round-trips
        XCTAssertTrue(probe.texts(class: "label").contains("A <1>"))
        XCTAssertTrue(probe.texts(class: "label").contains("level = 1"))
        XCTAssertGreaterThanOrEqual(probe.texts(class: "note").count, 2)                   // wrapped
        XCTAssertGreaterThanOrEqual(probe.tickLabels("xticks").count, 4)
        XCTAssertGreaterThanOrEqual(probe.tickLabels("yticks").count, 3)
        XCTAssertEqual(probe.elements(inSeries: "data").filter { $0.name == "circle" }.count, 40)
        // The id is sanitised and used for the clip path referenced by every series.
        let clip = probe.elements.first { $0.name == "clipPath" }
        XCTAssertEqual(clip?.attributes["id"], "sample-figure-plot-area")
        XCTAssertTrue(svg.contains("url(#sample-figure-plot-area)"))
        XCTAssertFalse(svg.lowercased().contains("nan"))
        XCTAssertFalse(svg.contains("inf"))
    }

    func testDeterministic() {
        XCTAssertEqual(Self.sampleFigure().svg(), Self.sampleFigure().svg())
        XCTAssertEqual(Self.sampleFigure(logY: true).svg(), Self.sampleFigure(logY: true).svg())
    }

    func testLogAxisDropsNonPositiveValues() {
        var f = Figure(id: "log", title: "log", x: Axis(label: "x", scale: .log), y: Axis(label: "y", scale: .log))
        f.add(Series("pts", .points(x: [1, 10, 100, 0], y: [1e-3, 0, 1e-1, 1], yError: [2e-3, 1e-3, 1e-2, 0.1], xHalfWidth: [])))
        f.add(Series("curve", .line(x: [1, 10, 100], y: [1e-3, -1, 1e-1])))
        let svg = f.svg()
        let probe = SVGProbe(svg)
        XCTAssertTrue(probe.isWellFormed)
        XCTAssertEqual(probe.elements(inSeries: "pts").filter { $0.name == "circle" }.count, 2)
        // The line is broken at the unplottable point: two separate "M" runs.
        let d = probe.elements(inSeries: "curve").first { $0.name == "path" }?.attributes["d"] ?? ""
        XCTAssertEqual(d.filter { $0 == "M" }.count, 2, d)
        XCTAssertFalse(svg.lowercased().contains("nan"))
        let (xr, yr) = f.ranges()
        XCTAssertEqual(xr.low, 1)
        XCTAssertEqual(xr.high, 100)
        XCTAssertEqual(yr.low, 1e-3, accuracy: 1e-18)   // the x = 0 point is not plottable and does not count
        XCTAssertEqual(yr.high, 1, accuracy: 1e-15)
    }

    func testEmptyFigureAndFixedRanges() {
        let empty = Figure(id: "e", title: "", x: Axis(label: "x"), y: Axis(label: "y")).svg()
        XCTAssertTrue(SVGProbe(empty).isWellFormed)
        var f = Figure(id: "r", title: "t", x: Axis(label: "x", range: 0...5), y: Axis(label: "y", range: -1...1))
        f.add(Series("far", .line(x: [-100, 100], y: [-100, 100])))
        let (xr, yr) = f.ranges()
        XCTAssertEqual(xr.low, 0)
        XCTAssertEqual(xr.high, 5)
        XCTAssertEqual(yr.low, -1)
        XCTAssertEqual(yr.high, 1)
        XCTAssertTrue(SVGProbe(f.svg()).isWellFormed)
    }

    func testLegendCanBeHiddenPerSeriesAndWhole() {
        var f = Self.sampleFigure()
        f.series[0].inLegend = false
        XCTAssertFalse(SVGProbe(f.svg()).legendNames.contains("window"))
        f.legend = .none
        XCTAssertTrue(SVGProbe(f.svg()).legendNames.isEmpty)
    }
}
