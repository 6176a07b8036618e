import Foundation
import XCTest
import NMMCore

/// `nmm ingest` on bad inputs: non-zero exit with the design.md code, one clear line on
/// stderr naming the file and what was expected, and no output written.
final class IngestCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try NMMProcess.tempDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func csv(_ name: String, liveHours: Double = 100, counts: [Int] = [5, 6, 7, 8], from: Double = 12, width: Double = 1) throws {
        var text = "#! livetime = \(liveHours) h\n#! mass = 1.06 kg\nE_LO [keV],E_HI [keV],COUNTS\n"
        for (i, c) in counts.enumerated() {
            text += "\(from + Double(i) * width),\(from + Double(i + 1) * width),\(c)\n"
        }
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func writeConfig(on: String = "on.csv", off: String = "off.csv") throws {
        let text = ConfigSchema.minimalExample
            .replacingOccurrences(of: "inputs: {on: on.fits, off: off.fits}", with: "inputs: {on: \(on), off: \(off)}")
            .replacingOccurrences(of: "windowKeV: [12, 64]", with: "windowKeV: [12, 16]")
        try text.write(to: dir.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
    }

    func ingest(_ extra: [String] = []) throws -> NMMProcess.Result {
        try NMMProcess.run(["ingest", "--config", "c.yaml", "--output", "out/spectra.fits"] + extra, cwd: dir)
    }

    func assertFails(_ r: NMMProcess.Result, status: Int32, mentions: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderrLines.count, 1, "one clear line expected: \(r.stderr)", file: file, line: line)
        for m in mentions { XCTAssertTrue(r.stderr.contains(m), "'\(m)' not in: \(r.stderr)", file: file, line: line) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/spectra.fits").path),
                       "no output may be written", file: file, line: line)
        let leftovers = NMMProcess.files(in: dir).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [], "no temporary files may be left", file: file, line: line)
    }

    func testGoodInputWritesSpectraFile() throws {
        try csv("on.csv"); try csv("off.csv", liveHours: 50)
        try writeConfig()
        let r = try ingest()
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try FITSIO.read(dir.appendingPathComponent("out/spectra.fits").path)
        XCTAssertEqual(try doc.string("NMMTYPE"), "SPECTRA")
        XCTAssertEqual(try doc.table("OFF").double("LIVETIME"), 50.0 / 24, accuracy: 1e-12)
    }

    func testMissingFile() throws {
        try csv("on.csv"); try writeConfig(off: "nope.csv")
        assertFails(try ingest(), status: 66, mentions: ["nope.csv", "not found"])
    }

    func testNotAFITSFile() throws {
        try csv("on.csv")
        try "this is not FITS\n".write(to: dir.appendingPathComponent("off.fits"), atomically: true, encoding: .utf8)
        try writeConfig(off: "off.fits")
        assertFails(try ingest(), status: 65, mentions: ["off.fits", "not a FITS file"])
    }

    func testBinningMismatch() throws {
        try csv("on.csv"); try csv("off.csv", width: 2)
        try writeConfig()
        assertFails(try ingest(), status: 65, mentions: ["off.csv", "binning differ"])
    }

    func testNegativeLiveTime() throws {
        try csv("on.csv", liveHours: -3); try csv("off.csv")
        try writeConfig()
        assertFails(try ingest(), status: 65, mentions: ["on.csv", "LIVETIME", "live time > 0"])
    }

    func testMissingConfig() throws {
        let r = try NMMProcess.run(["ingest", "--config", "missing.yaml"], cwd: dir)
        XCTAssertEqual(r.status, 66)
        XCTAssertTrue(r.stderr.contains("missing.yaml"), r.stderr)
    }

    func testUnwritableOutputFolder() throws {
        try csv("on.csv"); try csv("off.csv")
        try writeConfig()
        try "x".write(to: dir.appendingPathComponent("blocker"), atomically: true, encoding: .utf8)
        let r = try NMMProcess.run(["ingest", "--config", "c.yaml", "--output", "blocker/spectra.fits"], cwd: dir)
        XCTAssertEqual(r.status, 73, r.stderr)
        XCTAssertTrue(r.stderr.contains("blocker"), r.stderr)
    }
}
