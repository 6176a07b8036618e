import Foundation
import XCTest
import NMMCore

/// `nmm export` from the command line (issue 15): it writes what it should, refuses a stale or
/// mismatched input like every stage (exit 65, one line), and an output it cannot write is
/// exit 73 with nothing left behind.
final class ExportCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try NMMProcess.tempDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    var build: String { dir.appendingPathComponent("build").path }
    var out: String { build + "/default" }

    /// The default config with absolute input paths, edited by `edit`.
    func config(_ name: String = "c.yaml", _ edit: (String) -> String = { $0 }) throws -> String {
        let root = NMMProcess.packageRoot.path
        let text = try String(contentsOfFile: root + "/config/default.yaml", encoding: .utf8)
            .replacingOccurrences(of: "../Fixtures/", with: root + "/Fixtures/")
        let path = dir.appendingPathComponent(name).path
        try edit(text).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func nmm(_ args: [String], config: String) throws -> NMMProcess.Result {
        try NMMProcess.run(args + ["--config", config, "--build-dir", build, "--quiet"])
    }

    /// Runs the whole pipeline once.
    func analysed() throws -> String {
        let c = try config()
        let r = try nmm(["analyze"], config: c)
        XCTAssertEqual(r.status, 0, r.stderr)
        return c
    }

    func assertRefused(_ r: NMMProcess.Result, status: Int32, mentions: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderrLines.count, 1, r.stderr, file: file, line: line)
        for m in mentions { XCTAssertTrue(r.stderr.contains(m), "'\(m)' not in: \(r.stderr)", file: file, line: line) }
    }

    func testBothFormatsWriteTheirDefaultFiles() throws {
        let c = try analysed()
        XCTAssertEqual(try nmm(["export", "--format", "pyhf"], config: c).status, 0)
        XCTAssertEqual(try nmm(["export", "--format", "hepdata"], config: c).status, 0)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/export/workspace.json")))
        XCTAssertEqual((json as? [String: Any])?["version"] as? String, "1.0.0")
        XCTAssertEqual(NMMProcess.files(in: URL(fileURLWithPath: out + "/export/hepdata")),
                       ["belt.yaml", "curves.yaml", "expected.yaml", "limit.yaml", "profile.yaml", "residual.yaml", "spectra.yaml", "submission.yaml"])
    }

    /// A model whose parent changed since it was made is stale: refused, nothing written.
    func testAStaleModelIsRefused() throws {
        let c = try analysed()
        let residual = URL(fileURLWithPath: out + "/residual.fits")
        var bytes = try Data(contentsOf: residual)
        bytes.append(Data(count: 2880))
        try bytes.write(to: residual)
        let target = dir.appendingPathComponent("w.json").path
        assertRefused(try nmm(["export", "--format", "pyhf", "--output", target], config: c), status: 65,
                      mentions: ["model.fits", "stale", "residual.fits"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
    }

    /// A model made from another fit section than the config holds now is refused.
    func testAModelOfAnotherConfigIsRefused() throws {
        _ = try analysed()
        let other = try config("other.yaml") { $0.replacingOccurrences(of: "\nfit:\n  method:", with: "\nfit:\n  fluxNormalisationSigma: 0.1\n  method:") }
        let target = dir.appendingPathComponent("w.json").path
        assertRefused(try nmm(["export", "--format", "pyhf", "--output", target], config: other), status: 65,
                      mentions: ["model.fits", "other.yaml", "'fit' section"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
        assertRefused(try nmm(["export", "--format", "hepdata", "--output", dir.appendingPathComponent("hd").path], config: other),
                      status: 65, mentions: ["fit.fits", "'fit' section"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("hd").path))
    }

    func testAFileOfTheWrongTypeIsRefused() throws {
        let c = try analysed()
        assertRefused(try nmm(["export", "--format", "pyhf", "--model", out + "/fit.fits"], config: c), status: 65,
                      mentions: ["fit.fits", "NMMTYPE = MODEL"])
    }

    /// The HEPData record needs a limit of this very fit: a fit made since (another file) is refused.
    func testALimitOfAnotherFitIsRefused() throws {
        let c = try analysed()
        let other = dir.appendingPathComponent("poisson-fit.fits").path
        XCTAssertEqual(try nmm(["fit", "--method", "poisson", "--output", other], config: c).status, 0)
        assertRefused(try nmm(["export", "--format", "hepdata", "--fit", other, "--output", dir.appendingPathComponent("hd").path], config: c),
                      status: 65, mentions: ["limit.fits", "was not made from", "poisson-fit.fits"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("hd").path))
    }

    /// Unwritable outputs: exit 73, one line, nothing created, the build folder unchanged.
    func testAnUnwritableOutputIsExit73AndLeavesNothing() throws {
        let c = try analysed()
        let before = NMMProcess.files(in: dir)
        assertRefused(try nmm(["export", "--format", "pyhf", "--output", "/proc/nmm-export/workspace.json"], config: c), status: 73,
                      mentions: ["/proc/nmm-export", "cannot"])
        assertRefused(try nmm(["export", "--format", "pyhf", "--output", "/proc/workspace.json"], config: c), status: 73,
                      mentions: ["/proc/workspace.json", "cannot"])
        assertRefused(try nmm(["export", "--format", "hepdata", "--output", "/proc/nmm-hepdata"], config: c), status: 73,
                      mentions: ["/proc/nmm-hepdata", "cannot"])
        let blocker = dir.appendingPathComponent("blocker").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        assertRefused(try nmm(["export", "--format", "pyhf", "--output", blocker + "/workspace.json"], config: c), status: 73,
                      mentions: ["blocker", "not a folder"])
        assertRefused(try nmm(["export", "--format", "hepdata", "--output", blocker], config: c), status: 73,
                      mentions: ["blocker", "not a folder"])
        XCTAssertEqual(NMMProcess.files(in: dir), (before + ["blocker"]).sorted())
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/proc/nmm-export"))
    }
}
