import Foundation
import XCTest
import NMMCore

/// gammapy → nmm: gammapy writes an ON/OFF data set in OGIP format
/// (`SpectrumDatasetOnOff.write(format="ogip")`: pha_obs1.fits, BACKFILE pha_obs1_bkg.fits,
/// ARF), reads it back and prints its own view; `nmm ingest` (inputs kind ogip) must read
/// the same counts, energy edges, live time, OFF exposure factor 1/α and safe mask. The edges
/// nmm reads are the EBOUNDS values on disk, bit for bit; gammapy's own axis differs from
/// them by its float arithmetic (~1e-15 relative: gammapy writes 14 keV as 13.999999999999996).
final class OGIPInterchangeTests: XCTestCase {
    func testGammapyOnOffDataSetReadsTheSameInNMM() throws {
        let python = try TestPython.require(["gammapy", "astropy"])
        let dir = try NMMProcess.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // cwd = dir: gammapy looks for BACKFILE relative to the working directory first.
        let written = try TestPython.run([TestPython.script("gammapy_onoff.py"), dir.path], cwd: dir)
        XCTAssertEqual(written.status, 0, "\(python): \(written.stderr)")
        let g = try TestPython.json(written)
        let config = ConfigSchema.minimalExample
            .replacingOccurrences(of: "inputs: {on: on.fits, off: off.fits}", with: "inputs: {kind: ogip, on: pha_obs1.fits}")
        try config.write(to: dir.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
        let r = try NMMProcess.run(["ingest", "--config", "c.yaml", "--output", "spectra.fits", "--quiet"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try FITSIO.read(dir.appendingPathComponent("spectra.fits").path)
        let on = try doc.table("ON"), off = try doc.table("OFF")
        let counts = try XCTUnwrap(g["counts"] as? [Double]), countsOff = try XCTUnwrap(g["counts_off"] as? [Double])
        let edges = try TestPython.doubles(g["ebounds_keV"]), alpha = try XCTUnwrap(g["alpha"] as? [Double])
        let gammapyEdges = try TestPython.doubles(g["edges_keV"])
        let mask = try XCTUnwrap(g["mask_safe"] as? [Bool]), live = try XCTUnwrap(Double(g["livetime_s"] as? String ?? ""))
        XCTAssertEqual(try on.doubles("COUNTS", unit: "count"), counts)
        XCTAssertEqual(try off.doubles("COUNTS", unit: "count"), countsOff)
        XCTAssertEqual(try on.doubles("E_LO", unit: "keV"), Array(edges.dropLast()))
        XCTAssertEqual(try on.doubles("E_HI", unit: "keV"), Array(edges.dropFirst()))
        XCTAssertEqual(try off.doubles("E_LO", unit: "keV"), Array(edges.dropLast()))
        XCTAssertEqual(gammapyEdges.count, edges.count)
        for (a, b) in zip(try on.doubles("E_LO", unit: "keV") + [try on.doubles("E_HI", unit: "keV").last!], gammapyEdges) {
            XCTAssertEqual(a, b, accuracy: 1e-12 * b, "gammapy's axis")
        }
        for t in [on, off] {
            XCTAssertEqual(try t.double("LIVETIME") * 86400, live, accuracy: 1e-12 * live, "EXPOSURE = gammapy's live time")
            XCTAssertEqual(try t.integers("QUALITY").map { $0 == 0 }, mask, "QUALITY = not mask_safe")
        }
        XCTAssertTrue(alpha.allSatisfy { $0 == alpha[0] })
        XCTAssertEqual(try doc.double("OFFFACT"), 1 / alpha[0], accuracy: 1e-12, "nmm's OFF exposure factor is gammapy's 1/α")
        XCTAssertEqual(try doc.double("OFFEXPO") / (try doc.double("ONEXPO")), 1 / alpha[0], accuracy: 1e-12)
        // Subtract flags the bad channels unused (every channel lies in the window [12, 64] keV).
        XCTAssertTrue(edges.first! >= 12 && edges.last! <= 64)
        let s = try NMMProcess.run(["subtract", "--config", "c.yaml", "--input", "spectra.fits", "--output", "residual.fits", "--quiet"], cwd: dir)
        XCTAssertEqual(s.status, 0, s.stderr)
        let used = try FITSIO.read(dir.appendingPathComponent("residual.fits").path).table("RESIDUAL").bools("USED")
        XCTAssertEqual(used, mask)
    }
}
