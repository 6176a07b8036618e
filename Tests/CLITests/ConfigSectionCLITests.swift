import Foundation
import XCTest
import NMMCore

/// Per-section config hashes from the command line and through make: a stage refuses an input
/// made from another content of a section its chain read, `--allow-config-mismatch` records the
/// acceptance, the flavour reaches the limit line, and `make analyze` after a change of
/// limit.seed alone rewrites only limit.fits, limit.json and the report.
final class ConfigSectionCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try NMMProcess.tempDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The default config with absolute input paths, edited by `edit`, written into the temporary folder.
    func config(_ name: String, _ edit: (String) -> String = { $0 }) throws -> String {
        let root = NMMProcess.packageRoot.path
        var text = try String(contentsOfFile: root + "/config/default.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "../Fixtures/", with: root + "/Fixtures/")
        let path = dir.appendingPathComponent(name).path
        try edit(text).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func nmm(_ args: [String], config: String) throws -> NMMProcess.Result {
        try NMMProcess.run(args + ["--config", config, "--build-dir", dir.appendingPathComponent("build").path, "--quiet"])
    }

    func testALimitFromAFitOfAnotherFitSectionIsRefusedWithOneLine() throws {
        let base = try config("base.yaml")
        XCTAssertEqual(try nmm(["analyze", "--to", "fit"], config: base).status, 0)
        let poisson = try config("poisson.yaml") { $0.replacingOccurrences(of: "method: poisson ", with: "method: chi2 ") }
        XCTAssertNotEqual(try String(contentsOfFile: poisson, encoding: .utf8), try String(contentsOfFile: base, encoding: .utf8))
        let out = dir.appendingPathComponent("limit-other.fits").path
        let r = try nmm(["limit", "--output", out], config: poisson)
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertEqual(r.stderrLines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("fit.fits") && r.stderr.contains("poisson.yaml") && r.stderr.contains("'fit' section"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "a refused stage writes nothing")

        // Only the limit's own choices changed (cl): the fit is the same fit, so the limit runs.
        let cl68 = try config("cl68.yaml") { $0.replacingOccurrences(of: "cl: 0.9", with: "cl: 0.68") }
        let ok = try nmm(["limit", "--output", out], config: cl68)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("at 68% CL"), ok.stdout)

        let allowed = try nmm(["limit", "--output", out, "--allow-config-mismatch"], config: poisson)
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        let doc = try FITSIO.read(out)
        XCTAssertEqual(try doc.string("CFGMISM1"), "fit.fits: fit")
    }

    func testTheFlavourOfTheConfigIsInTheLimitLine() throws {
        let numu = try config("numu.yaml") { $0.replacingOccurrences(of: "flavor: anti-nu_e", with: "flavor: nu_mu") }
        XCTAssertTrue(try String(contentsOfFile: numu, encoding: .utf8).contains("flavor: nu_mu"))
        let r = try nmm(["analyze", "--to", "limit"], config: numu)
        XCTAssertEqual(r.status, 0, r.stderr)
        let shown = try nmm(["show"], config: numu)
        XCTAssertTrue(shown.stdout.hasPrefix("mu_nu(nu_mu) < "), shown.stdout)
        let limit = try FITSIO.read(dir.appendingPathComponent("build/default/limit.fits").path)
        XCTAssertEqual(try limit.string("FLAVOR"), "nu_mu")
    }

    /// `make analyze` twice, the second time after changing limit.seed only: the stage files
    /// before the limit keep their bytes and modification times; limit.fits, limit.json and the
    /// report are rewritten. Runs the debug binary through the Makefile's generated stage rules.
    func testMakeAnalyzeAfterASeedChangeRerunsOnlyLimitAndReport() throws {
        guard let make = ["/usr/bin/make", "/bin/make"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("make is not installed")
        }
        let cfg = try config("seed.yaml")
        let build = dir.appendingPathComponent("build").path
        func runMake() throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: make)
            p.arguments = ["-s", "-C", NMMProcess.packageRoot.path, "analyze", "CONFIG=\(cfg)", "BUILD=\(build)", "NMM=\(NMMProcess.binary)"]
            let err = Pipe()
            p.standardOutput = FileHandle.nullDevice
            p.standardError = err
            try p.run()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, String(decoding: e, as: UTF8.self))
        }
        func state() throws -> [String: (Date, Data)] {
            let out = dir.appendingPathComponent("build/default")
            var s: [String: (Date, Data)] = [:]
            for f in NMMProcess.files(in: out) where !f.hasPrefix(".sections") {
                let path = out.appendingPathComponent(f).path
                let date = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date ?? .distantPast
                s[f] = (date, try Data(contentsOf: URL(fileURLWithPath: path)))
            }
            return s
        }
        try runMake()
        let before = try state()
        XCTAssertNotNil(before["limit.fits"])
        XCTAssertNotNil(before["report/index.html"])
        let text = try String(contentsOfFile: cfg, encoding: .utf8)
        XCTAssertTrue(text.contains("seed: 20030331"))
        try text.replacingOccurrences(of: "seed: 20030331", with: "seed: 4242").write(toFile: cfg, atomically: true, encoding: .utf8)
        // make compares modification times: give the edited config a later one than any output.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: cfg)
        try runMake()
        let after = try state()
        XCTAssertEqual(Set(after.keys), Set(before.keys))
        for f in ["spectra.fits", "residual.fits", "templates.fits", "fit.fits"] {
            XCTAssertEqual(after[f]?.0, before[f]?.0, "\(f) was rewritten")
            XCTAssertEqual(after[f]?.1, before[f]?.1, "\(f) changed")
        }
        for f in ["limit.fits", "limit.json", "report/index.html"] {
            XCTAssertNotEqual(after[f]?.0, before[f]?.0, "\(f) was not rewritten")
        }
        let limit = try FITSIO.read(dir.appendingPathComponent("build/default/limit.fits").path)
        XCTAssertEqual(try limit.string("SEED"), "4242")
    }
}
