import Foundation
import XCTest

/// `nmm submit` without a cluster (refusals, --dry-run) and `nmm inspect`; the real Slurm run is `make cluster-test`.
final class SubmitCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try NMMProcess.tempDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    var config: String { NMMProcess.packageRoot.appendingPathComponent("config/default.yaml").path }

    func nmm(_ args: [String]) throws -> NMMProcess.Result {
        try NMMProcess.run(args + ["--config", config, "--build-dir", dir.path], cwd: dir)
    }

    func testSubmitRefusesOtherSchedulersAndMissingFitStage() throws {
        let condor = try nmm(["submit", "--scheduler", "htcondor", "--shards", "4"])
        XCTAssertEqual(condor.status, 64)
        XCTAssertTrue(condor.stderr.contains("only slurm is supported"), condor.stderr)

        let early = try nmm(["submit", "--scheduler", "slurm", "--shards", "4", "--dry-run"])
        XCTAssertEqual(early.status, 66)
        XCTAssertEqual(early.stderrLines.count, 1, early.stderr)
        XCTAssertTrue(early.stderr.contains("fit.fits: file not found") && early.stderr.contains("--to fit"), early.stderr)

        XCTAssertEqual(try nmm(["analyze", "--to", "fit", "-q"]).status, 0)
        let tooMany = try nmm(["submit", "--scheduler", "slurm", "--shards", "61", "--dry-run"])
        XCTAssertEqual(tooMany.status, 64, tooMany.stderr)
        XCTAssertTrue(tooMany.stderr.contains("61 shards for 60 κ grid points"), tooMany.stderr)
    }

    func testDryRunPrintsScriptsAndWritesNothing() throws {
        XCTAssertEqual(try nmm(["analyze", "--to", "fit", "-q"]).status, 0)
        let before = NMMProcess.files(in: dir)
        let r = try nmm(["submit", "--scheduler", "slurm", "--shards", "4", "--partition", "short", "--time", "30",
                         "--seed", "7", "--toys", "100", "--dry-run"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let scriptDir = dir.resolvingSymlinksInPath().path + "/default/slurm"
        for piece in ["# \(scriptDir)/array.sh", "#SBATCH --array=1-4", "#SBATCH --partition=short", "#SBATCH --time=30",
                      "--shard \"${SLURM_ARRAY_TASK_ID}/4\" --seed 7 --toys 100", "merge --config \(config)",
                      "sbatch --parsable --array=1-4 \(scriptDir)/array.sh",
                      "sbatch --parsable '--dependency=afterok:<array>' \(scriptDir)/merge.sh"] {
            XCTAssertTrue(r.stdout.contains(piece), "missing \(piece) in\n\(r.stdout)")
        }
        XCTAssertEqual(NMMProcess.files(in: dir), before, "--dry-run writes nothing")
    }

    func testInspectDumpsCardsAndCells() throws {
        XCTAssertEqual(try nmm(["analyze", "--to", "fit", "-q"]).status, 0)
        let fit = dir.appendingPathComponent("default/fit.fits").path
        let full = try NMMProcess.run(["inspect", fit])
        XCTAssertEqual(full.status, 0, full.stderr)
        XCTAssertTrue(full.stdout.hasPrefix("HDU 1 PRIMARY\n  SIMPLE  =                    T"), full.stdout)
        XCTAssertTrue(full.stdout.contains("  NMMTYPE = 'FIT"), full.stdout)
        XCTAssertTrue(full.stdout.contains("  DATE    = '"), full.stdout)
        XCTAssertTrue(full.stdout.contains("BINTABLE PARAMS: "), full.stdout)
        let stable = try NMMProcess.run(["inspect", "--stable", "--omit", "parent1", fit])
        XCTAssertEqual(stable.status, 0, stable.stderr)
        for key in ["DATE    =", "CHECKSUM=", "DATASUM =", "PARENT1 ="] { XCTAssertFalse(stable.stdout.contains(key), key) }
        XCTAssertTrue(stable.stdout.contains("PSHA1   ="), stable.stdout)
        let missing = try NMMProcess.run(["inspect", dir.appendingPathComponent("nope.fits").path])
        XCTAssertEqual(missing.status, 66)
    }
}
