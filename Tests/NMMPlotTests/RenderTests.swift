import Foundation
import XCTest
@testable import NMMPlot

/// Renders the sample figure with rsvg-convert (if installed) at 800 px and checks the PNG is
/// not blank: it must be far larger than the PNG of an empty SVG of the same size (a blank
/// white image compresses to almost nothing; axes, text and data do not).
final class RenderTests: XCTestCase {
    func testSampleRendersToANonBlankPNG() throws {
        guard let rsvg = PNGRender.rsvgConvert() else { 
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("rsvg-convert missing in CI (.ci/run installs librsvg2-bin)") }
            throw XCTSkip("rsvg-convert is not on PATH")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmmplot-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if ProcessInfo.processInfo.environment["NMM_KEEP_PNG"] == nil { try? FileManager.default.removeItem(atPath: dir) } }
        for logY in [false, true] {
            let svg = FigureTests.sampleFigure(logY: logY).svg()
            let png = try PNGRender.render(svg, name: logY ? "sample-log" : "sample", in: dir, rsvg: rsvg)
            let blank = try PNGRender.render(PNGRender.blankSVG(width: 800, height: 500), name: "blank", in: dir, rsvg: rsvg)
            XCTAssertEqual(PNGRender.size(of: png)?.width, 800)
            XCTAssertGreaterThan(png.count, 5 * blank.count, "PNG of the figure is hardly larger than a blank one")
            XCTAssertGreaterThan(png.count, 15_000)
        }
    }
}

enum PNGRender {
    static func rsvgConvert() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/rsvg-convert" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func blankSVG(width: Int, height: Int) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\"><rect width=\"100%\" height=\"100%\" fill=\"white\"/></svg>"
    }

    /// Writes `svg` to <dir>/<name>.svg, renders <name>.png 800 px wide, returns the PNG bytes.
    static func render(_ svg: String, name: String, in dir: String, rsvg: String) throws -> Data {
        let svgPath = "\(dir)/\(name).svg", pngPath = "\(dir)/\(name).png"
        try Data(svg.utf8).write(to: URL(fileURLWithPath: svgPath))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: rsvg)
        p.arguments = ["-w", "800", svgPath, "-o", pngPath]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw NSError(domain: "rsvg-convert", code: Int(p.terminationStatus)) }
        return try Data(contentsOf: URL(fileURLWithPath: pngPath))
    }

    /// Width and height from the PNG's IHDR chunk.
    static func size(of png: Data) -> (width: Int, height: Int)? {
        let b = [UInt8](png.prefix(24))
        guard b.count == 24, b[0] == 0x89, b[1] == 0x50, b[12] == 0x49, b[13] == 0x48 else { return nil }
        func be(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        return (be(16), be(20))
    }
}
