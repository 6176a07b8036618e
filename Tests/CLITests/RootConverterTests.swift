import Foundation
import XCTest
import NMMCore

/// ROOT → nmm: uproot writes TH1D spectra (and TObjStrings with live times and mass) into a
/// ROOT file, scripts/root2nmm.py converts them into SPECTRUM tables, and `nmm ingest` reads
/// exactly the histograms' counts and edges, with the live times and mass from the file.
final class RootConverterTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try NMMProcess.tempDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    var converter: String { NMMProcess.packageRoot.appendingPathComponent("scripts/root2nmm.py").path }

    func writeRootFile() throws -> [String: Any] {
        _ = try TestPython.require(["uproot", "astropy"])
        let r = try TestPython.run([TestPython.script("uproot_spectra.py"), dir.path], cwd: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try TestPython.json(r)
    }

    func testUprootHistogramsConvertAndIngestExactly() throws {
        let h = try writeRootFile()
        let c = try TestPython.run([converter, "run.root", "--on", "h_on", "--off", "h_off", "--out-on", "on.fits", "--out-off", "off.fits"], cwd: dir)
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertEqual(c.stderr, "", "no warnings expected")
        let edges = try TestPython.doubles(h["edges_keV"])
        let config = ConfigSchema.minimalExample   // inputs: {on: on.fits, off: off.fits}
        try config.write(to: dir.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
        let r = try NMMProcess.run(["ingest", "--config", "c.yaml", "--output", "spectra.fits", "--quiet"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try FITSIO.read(dir.appendingPathComponent("spectra.fits").path)
        for (name, key, hours) in [("ON", "on", 4712.0), ("OFF", "off", 1250.0)] {
            let t = try doc.table(name)
            XCTAssertEqual(try t.doubles("COUNTS", unit: "count"), try TestPython.doubles(h[key]), name)
            XCTAssertEqual(try t.doubles("E_LO", unit: "keV"), Array(edges.dropLast()), name)
            XCTAssertEqual(try t.doubles("E_HI", unit: "keV"), Array(edges.dropFirst()), name)
            XCTAssertEqual(try t.double("LIVETIME"), hours / 24, accuracy: 1e-12, "\(name) live time from the TObjString")
            XCTAssertEqual(try t.double("MASS"), 1.06, accuracy: 1e-12, "mass '1060 g' from the TObjString")
        }
        XCTAssertEqual(try doc.table("ON").doubles("COUNTS", unit: "count")[3], 123456789, "large counts stay exact")
    }

    /// Arguments override the file; a weighted histogram is refused (exit 65, one line), and nothing is written.
    func testArgumentsAndRefusals() throws {
        _ = try writeRootFile()
        let ok = try TestPython.run([converter, "run.root", "--on", "h_on", "--off", "h_off", "--out-on", "on.fits", "--out-off", "off.fits",
                                     "--on-livetime", "100 h", "--off-livetime", "2 d", "--mass", "2 kg", "--energy-unit", "keV"], cwd: dir)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let on = try FITSIO.read(dir.appendingPathComponent("on.fits").path).table("SPECTRUM")
        XCTAssertEqual(try on.double("LIVETIME"), 100)
        XCTAssertEqual(try on.string("TIMEUNIT"), "h")
        XCTAssertEqual(try on.double("MASS"), 2)
        let bad = try TestPython.run([converter, "run.root", "--on", "h_weighted", "--off", "h_off", "--out-on", "w.fits", "--out-off", "w2.fits"], cwd: dir)
        XCTAssertEqual(bad.status, 65)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("h_weighted") && bad.stderr.contains("whole counts"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("w2.fits").path), "nothing written")
        let missing = try TestPython.run([converter, "nope.root", "--on", "a", "--off", "b", "--out-on", "x.fits", "--out-off", "y.fits"], cwd: dir)
        XCTAssertEqual(missing.status, 66, missing.stderr)
    }
}
