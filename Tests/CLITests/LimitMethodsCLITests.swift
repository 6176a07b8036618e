import Foundation
import XCTest

/// `nmm limit --methods`: every construction on the default pipeline's model into one
/// limit.fits, ordered as the methods' definitions require, printed below the limit line.
final class LimitMethodsCLITests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try NMMProcess.tempDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    var config: String { NMMProcess.packageRoot.appendingPathComponent("config/default.yaml").path }

    func nmm(_ args: [String]) throws -> NMMProcess.Result {
        try NMMProcess.run(args + ["--config", config, "--build-dir", dir.path, "--quiet"])
    }

    func testEveryMethodInOneProductAndTheirOrder() throws {
        for stage in ["ingest", "subtract", "templates", "model", "fit"] {
            let r = try nmm([stage])
            XCTAssertEqual(r.status, 0, "\(stage): \(r.stderr)")
        }
        let r = try nmm(["limit", "--methods", "fc,cls,clsb,asymptotic,bayes,bayes-mu", "--toys", "300", "--sensitivity-toys", "20"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 6, r.stdout)
        XCTAssertTrue(lines[0].hasPrefix("mu_nu(anti-nu_e) <"), lines[0])
        for (line, name) in zip(lines.dropFirst(), ["CLs (toys)", "CLs+b (toys)", "CLs (asymptotic)", "Bayesian, flat in kappa", "Bayesian, flat in mu_nu"]) {
            XCTAssertTrue(line.contains(name), "\(line) ≠ \(name)")
        }
        let methods = try Self.methods(dir.appendingPathComponent("default/limit.json"))
        XCTAssertEqual(methods.map { $0["method"] as? String }, ["fc", "cls", "clsb", "asymptotic", "bayes", "bayes-mu"])
        var k: [String: Double] = [:]
        for m in methods { k[m["method"] as! String] = m["kappaUpper"] as? Double }
        for (m, v) in k { XCTAssertTrue(v.isFinite && v > 0, "\(m): \(v)") }
        // CLs = CLs+b / CLb with CLb ≤ 1: the CLs limit is never below the CLs+b limit.
        XCTAssertGreaterThanOrEqual(k["cls"]!, k["clsb"]!)
        // A prior flat in μ_ν (∝ κ^(−1/2)) puts more weight at small κ than a flat one.
        XCTAssertLessThan(k["bayes-mu"]!, k["bayes"]!)
        // Toy CLs and asymptotic CLs answer the same question: within 4 MC errors ⊕ 10% here (≈ 100 counts per bin).
        let mc = try XCTUnwrap(methods[1]["kappaUpperMonteCarloError"] as? Double)
        XCTAssertLessThan(abs(k["cls"]! - k["asymptotic"]!), (16 * mc * mc + pow(0.1 * k["asymptotic"]!, 2)).squareRoot())
        XCTAssertEqual((methods[3]["expectedKappaUpper"] as? [Double])?.count, 5)
        // Seeded: the same command (another thread count) gives the same numbers.
        let again = try nmm(["limit", "--methods", "fc,cls,clsb,asymptotic,bayes,bayes-mu", "--toys", "300", "--sensitivity-toys", "20",
                             "--threads", "1", "--output", dir.appendingPathComponent("again.fits").path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try Self.methodsText(dir.appendingPathComponent("limit.json")),
                       try Self.methodsText(dir.appendingPathComponent("default/limit.json")))
    }

    static func methods(_ url: URL) throws -> [[String: Any]] {
        let obj = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return try XCTUnwrap(obj?["methods"] as? [[String: Any]])
    }

    static func methodsText(_ url: URL) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: try methods(url), options: [.sortedKeys]), as: UTF8.self)
    }

    /// `--target-relative-error` (limit.targetRelativeError from the command line): TEXONO 2007's
    /// toy belt grows near the crossing until κ_up's MC error is below 2% (or the cap is met), and
    /// limit.json says so; an impossible target is a usage error.
    func testTargetRelativeErrorFromTheCommandLine() throws {
        let texono = NMMProcess.packageRoot.appendingPathComponent("config/texono2007.yaml").path
        func run(_ args: [String]) throws -> NMMProcess.Result {
            try NMMProcess.run(args + ["--config", texono, "--build-dir", dir.path, "--quiet"])
        }
        let r0 = try run(["analyze", "--to", "fit"])
        XCTAssertEqual(r0.status, 0, r0.stderr)
        let r = try run(["limit", "--target-relative-error", "0.02", "--max-toys-per-point", "64000", "--threads", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("texono2007/limit.json")))
            as? [String: Any])
        let adaptive = try XCTUnwrap(json["adaptiveToys"] as? [String: Any])
        XCTAssertEqual(adaptive["targetRelativeError"] as? Double, 0.02)
        XCTAssertEqual(adaptive["maxToysPerPoint"] as? Int, 64000)
        let interval = try XCTUnwrap(json["kappaInterval"] as? [Double]), error = try XCTUnwrap(json["kappaUpperMCError"] as? Double)
        XCTAssertEqual(adaptive["targetMet"] as? Bool, true, "4.6% with the shipped 2000 toys per point: a few rounds reach 2%")
        XCTAssertLessThanOrEqual(error / interval[1], 0.02)
        let bad = try run(["limit", "--target-relative-error", "1.5"])
        XCTAssertEqual(bad.status, 64, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("--target-relative-error"), bad.stderr)
        // A cap below the first pass's toys per point (2000 in the config), as limit.maxToysPerPoint refuses it.
        let lowCap = try run(["limit", "--target-relative-error", "0.02", "--max-toys-per-point", "500"])
        XCTAssertEqual(lowCap.status, 64, lowCap.stderr)
        XCTAssertTrue(lowCap.stderr.contains("--max-toys-per-point") && lowCap.stderr.contains("2000"), lowCap.stderr)
        // The Gaussian belt has no toys to add: refused, not silently ignored.
        let gaussian = try run(["limit", "--method", "gaussian", "--target-relative-error", "0.02"])
        XCTAssertEqual(gaussian.status, 64, gaussian.stderr)
        XCTAssertTrue(gaussian.stderr.contains("toy belt"), gaussian.stderr)
    }

    func testAnUnknownMethodIsAUsageError() throws {
        let r = try NMMProcess.run(["limit", "--methods", "fc,clss", "--config", config, "--build-dir", dir.path])
        XCTAssertEqual(r.status, 64, r.stderr)
        XCTAssertTrue(r.stderr.contains("--methods"), r.stderr)
    }
}
