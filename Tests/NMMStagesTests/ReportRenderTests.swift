import Foundation
import XCTest
@testable import NMMStages
@testable import NMMStatistics

/// Renders every report SVG with rsvg-convert at 800 px (skipped if rsvg-convert is missing)
/// and checks each PNG is 800 px wide and not blank: much larger than the PNG of an empty
/// white SVG of the same size (axes, text and data do not compress to nothing).
/// Set NMM_KEEP_PNG=1 to keep the PNGs (the folder is printed) and look at them.
final class ReportRenderTests: XCTestCase {
    func testEveryFigureRendersToANonBlankPNG() throws {
        guard let rsvg = Self.rsvgConvert() else { 
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("rsvg-convert missing in CI (.ci/run installs librsvg2-bin)") }
            throw XCTSkip("rsvg-convert is not on PATH")
        }
        for toys in [false, true] {
            var fixtures = ReportFixtures.temporary(toys ? "render-toys" : "render")
            fixtures.toys = toys
            let keep = ProcessInfo.processInfo.environment["NMM_KEEP_PNG"] != nil
            defer { if !keep { try? FileManager.default.removeItem(atPath: fixtures.dir) } }
            try fixtures.writeAll()
            let svgs = try fixtures.runReport(logY: toys).filter { $0.hasSuffix(".svg") }
            XCTAssertEqual(svgs.count, 6)
            let blankSVG = "\(fixtures.dir)/blank.svg"
            try Data("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"500\"><rect width=\"800\" height=\"500\" fill=\"white\"/></svg>".utf8)
                .write(to: URL(fileURLWithPath: blankSVG))
            let blank = try Self.render(blankSVG, rsvg: rsvg)
            for svg in svgs {
                let png = try Self.render(svg, rsvg: rsvg)
                XCTAssertEqual(Self.pngWidth(png), 800, svg)
                XCTAssertGreaterThan(png.count, 8 * blank.count, "\(svg) renders nearly blank")
            }
            if keep { print("PNGs kept in \(fixtures.reportDir)") }
        }
    }

    static func rsvgConvert() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/rsvg-convert" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Renders <name>.svg to <name>.png beside it, 800 px wide; returns the PNG bytes.
    static func render(_ svg: String, rsvg: String) throws -> Data {
        let png = String(svg.dropLast(4)) + ".png"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: rsvg)
        p.arguments = ["-w", "800", svg, "-o", png]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "rsvg-convert failed on \(svg)")
        return try Data(contentsOf: URL(fileURLWithPath: png))
    }

    /// Width from the PNG's IHDR chunk.
    static func pngWidth(_ png: Data) -> Int? {
        let b = [UInt8](png.prefix(24))
        guard b.count == 24, b[1] == 0x50, b[12] == 0x49 else { return nil }
        return Int(b[16]) << 24 | Int(b[17]) << 16 | Int(b[18]) << 8 | Int(b[19])
    }
}
