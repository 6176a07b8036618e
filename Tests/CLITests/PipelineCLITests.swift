import Foundation
import XCTest
import NMMCore

/// The CLI end to end on the default fixture, into a temporary build folder.
final class PipelineCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try NMMProcess.tempDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    var config: String { NMMProcess.packageRoot.appendingPathComponent("config/default.yaml").path }

    func nmm(_ args: [String]) throws -> NMMProcess.Result {
        try NMMProcess.run(args + ["--config", config, "--build-dir", dir.path])
    }

    func testAnalyzeWritesEveryTypedFileAndPrintsTheLimit() throws {
        let r = try nmm(["analyze", "--to", "limit"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let line = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(line.hasPrefix("mu_nu(anti-nu_e) < "), line)
        XCTAssertTrue(line.hasSuffix("mu_B at 90% CL (Feldman-Cousins, Gaussian belt)"), line)
        let expected: [(String, String)] = [("spectra", "SPECTRA"), ("residual", "RESIDUAL"), ("templates", "TEMPLATES"),
                                            ("fit", "FIT"), ("limit", "LIMIT")]
        for (file, type) in expected {
            let doc = try FITSIO.read(dir.appendingPathComponent("default/\(file).fits").path)
            XCTAssertEqual(try doc.string("NMMTYPE"), type)
            for t in doc.tables { XCTAssertEqual(try t.string("NMMTYPE"), type, "every HDU carries the provenance") }
        }
        let json = try Data(contentsOf: dir.appendingPathComponent("default/limit.json"))
        let obj = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        XCTAssertEqual(obj?["line"] as? String, line)
        let mu = try XCTUnwrap(obj?["muNuUpperLimitBohr"] as? Double)
        // The fixture's κ error is ≈ 1.7 (σ_κ of 52 bins at 1 count/(kg·keV·day)); a limit between
        // 0.5 and 3 ×1e-10 μ_B is the only physically sensible range for this exposure.
        XCTAssertGreaterThan(mu, 0.5e-10)
        XCTAssertLessThan(mu, 3e-10)
    }

    func testEachStageRerunsAloneAndShowReadsTheLimit() throws {
        XCTAssertEqual(try nmm(["analyze", "--to", "limit"]).status, 0)
        let fit = dir.appendingPathComponent("default/fit.fits").path
        try FileManager.default.removeItem(atPath: fit)
        let refit = try nmm(["fit", "--method", "chi2"])   // the other method than the config's
        XCTAssertEqual(refit.status, 0, refit.stderr)
        let doc = try FITSIO.read(fit)
        XCTAssertEqual(try doc.string("METHOD"), "chi2")
        // limit.fits was made from the old fit: it is now stale.
        let show = try nmm(["show"])
        XCTAssertEqual(show.status, 65, show.stderr)
        XCTAssertTrue(show.stderr.contains("stale"), show.stderr)
        XCTAssertEqual(try nmm(["limit"]).status, 0)
        XCTAssertEqual(try nmm(["show"]).status, 0)
    }

    func testHelpDocumentsEveryFlag() throws {
        let r = try NMMProcess.run(["fit", "--help"])
        XCTAssertEqual(r.status, 0)
        for flag in ["--config", "--build-dir", "--quiet", "--verbose", "--model", "--method", "--output"] {
            XCTAssertTrue(r.stdout.contains(flag), "fit --help lacks \(flag)")
        }
        // every option line has help text after it
        let lines = r.stdout.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("-") }
        for l in lines { XCTAssertGreaterThan(l.split(separator: " ", omittingEmptySubsequences: true).count, 2, "no help: \(l)") }
    }

    func testPublishedSummaryLimitJSON() throws {
        let r = try NMMProcess.run(["limit", "--kappa", "-0.4", "--stat-error", "1.3", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        // TEXONO-KS 2003, κ = −0.4 ± 1.3 (stat) → 1.3e-10 μ_B at 90% CL (physics.md §7), within 5%.
        XCTAssertEqual(try XCTUnwrap(obj?["muNuUpperLimitBohr"] as? Double), 1.3e-10, accuracy: 0.065e-10)
        XCTAssertEqual(obj?["method"] as? String, "gaussian")
    }

    func testRatesJSON() throws {
        let r = try nmm(["rates", "--energies", "12", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let rows = try XCTUnwrap(obj?["rates"] as? [[String: Any]])
        // physics.md §5 [calc]: Ge, 6.4e12 /cm²/s, 12 keV: MM 2.88e-2 per kg·keV·day (flux here 6.42e12).
        XCTAssertEqual(try XCTUnwrap(rows.first?["mmPerKgKeVDay"] as? Double), 2.88e-2 * 6.42 / 6.4, accuracy: 0.06e-2)
        XCTAssertNotNil((obj?["units"] as? [String: String])?["rate"])
    }
}
