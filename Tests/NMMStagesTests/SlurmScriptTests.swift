import Foundation
import XCTest
@testable import NMMCore
@testable import NMMStages
@testable import NMMStatistics

/// The Slurm job scripts of `nmm submit`, rendered without Slurm.
final class SlurmScriptTests: XCTestCase {
    func spec(_ edit: (inout ShardJobSpec) -> Void = { _ in }) -> ShardJobSpec {
        var s = ShardJobSpec(experiment: "default", nmm: "/opt/nmm/bin/nmm", config: "/home/a/run 1/default.yaml",
                             buildRoot: "/home/a/run 1/build", workDir: "/home/a/run 1",
                             scriptDir: "/home/a/run 1/build/default/slurm", shards: 16)
        edit(&s)
        return s
    }

    func testArrayScript() {
        let text = SlurmScript.array(spec { $0.seed = 7; $0.toys = 500 })
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "#!/bin/bash")
        XCTAssertTrue(lines.contains("#SBATCH --array=1-16"), text)
        XCTAssertTrue(lines.contains("#SBATCH --output=\"/home/a/run 1/build/default/slurm/shard-%a-of-16-%A.out\""), text)
        XCTAssertTrue(lines.contains("#SBATCH --cpus-per-task=1"), text)
        XCTAssertTrue(lines.contains("set -euo pipefail"), text)
        XCTAssertTrue(lines.contains("cd '/home/a/run 1'"), text)
        XCTAssertTrue(lines.contains("exec /opt/nmm/bin/nmm limit --config '/home/a/run 1/default.yaml' --build-dir '/home/a/run 1/build' "
                                     + "--method toys --threads 1 --shard \"${SLURM_ARRAY_TASK_ID}/16\" --seed 7 --toys 500"), text)
        // #SBATCH lines come before the first command, or sbatch ignores them.
        let firstCommand = lines.firstIndex(of: "set -euo pipefail")!
        XCTAssertTrue(lines.indices.filter { lines[$0].hasPrefix("#SBATCH") }.allSatisfy { $0 < firstCommand })
        XCTAssertFalse(text.contains("--partition") || text.contains("--time"), "only when given:\n\(text)")
    }

    func testMergeScriptAndPartitionTime() {
        let text = SlurmScript.merge(spec { $0.partition = "short"; $0.time = "0:30:00"; $0.cpusPerTask = 4; $0.sensitivityToys = 50 })
        XCTAssertTrue(text.contains("#SBATCH --partition=short\n"), text)
        XCTAssertTrue(text.contains("#SBATCH --time=0:30:00\n"), text)
        XCTAssertTrue(text.contains("#SBATCH --cpus-per-task=4\n"), text)
        XCTAssertTrue(text.contains("#SBATCH --kill-on-invalid-dep=yes\n"), text)
        XCTAssertTrue(text.contains("#SBATCH --output=\"/home/a/run 1/build/default/slurm/merge-%j.out\"\n"), text)
        XCTAssertTrue(text.contains("exec /opt/nmm/bin/nmm merge --config '/home/a/run 1/default.yaml' --build-dir '/home/a/run 1/build' "
                                    + "--shards 16 --threads 4 --sensitivity-toys 50\n"), text)
        XCTAssertFalse(text.contains("--array"), text)
        XCTAssertTrue(SlurmScript.array(spec { $0.partition = "short" }).contains("#SBATCH --partition=short\n"))
    }

    func testSubmitArgumentsAndJobIDs() {
        let s = spec()
        XCTAssertEqual(SlurmScript.arraySubmitArguments(s), ["--parsable", "--array=1-16", "/home/a/run 1/build/default/slurm/array.sh"])
        XCTAssertEqual(SlurmScript.mergeSubmitArguments(s, arrayJob: "4711"),
                       ["--parsable", "--dependency=afterok:4711", "/home/a/run 1/build/default/slurm/merge.sh"])
        XCTAssertEqual(SlurmScript.parseJobID("4711\n"), "4711")
        XCTAssertEqual(SlurmScript.parseJobID("4711;cluster2\n"), "4711")
        XCTAssertNil(SlurmScript.parseJobID("sbatch: error: Batch job submission failed\n"))
        XCTAssertNil(SlurmScript.parseJobID(""))
    }

    func testQuotingAndValidation() throws {
        XCTAssertEqual(SlurmScript.quote("/a/b-c_d.e"), "/a/b-c_d.e")
        XCTAssertEqual(SlurmScript.quote("/a b/it's"), "'/a b/it'\\''s'")
        XCTAssertEqual(SlurmScript.quote("$HOME"), "'$HOME'")
        XCTAssertTrue(SlurmScript.array(spec { $0.scriptDir = "/x/100%/slurm" }).contains("#SBATCH --output=/x/100%%/slurm/shard-%a-of-16-%A.out"))
        XCTAssertNoThrow(try SlurmScript.validate(spec()))
        XCTAssertThrowsError(try SlurmScript.validate(spec { $0.config = "/a\nb.yaml" }))
        XCTAssertThrowsError(try SlurmScript.validate(spec { $0.partition = "a\"b" }))
        XCTAssertThrowsError(try SlurmScript.validate(spec { $0.shards = 0 }))
    }

    func testWritesScriptsAndRemovesEarlierShards() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-slurm-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let paths = StagePaths(directory: dir + "/build/default")
        try FileManager.default.createDirectory(atPath: paths.directory, withIntermediateDirectories: true)
        for name in ["limit.shard-2-of-4.fits", "limit.shard-2-of-8.fits"] {
            _ = FileManager.default.createFile(atPath: paths.directory + "/" + name, contents: Data("x".utf8))
        }
        let s = spec { $0.scriptDir = paths.directory + "/slurm"; $0.shards = 4 }
        try SlurmSubmit.writeScripts(s)
        XCTAssertEqual(try String(contentsOfFile: s.arrayScript, encoding: .utf8), SlurmScript.array(s))
        XCTAssertEqual(try String(contentsOfFile: s.mergeScript, encoding: .utf8), SlurmScript.merge(s))
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: s.arrayScript))
        XCTAssertEqual(try SlurmSubmit.removeEarlierShards(paths: paths, count: 4), [paths.limitShard(2, of: 4)])
        XCTAssertTrue(FileManager.default.fileExists(atPath: paths.limitShard(2, of: 8)), "other N untouched")
    }

    /// A stand-in sbatch (a shell script) checks the two submissions and the failure line.
    func testSubmitWithStandInSbatch() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-sbatch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let fake = dir + "/sbatch"
        try """
            #!/bin/sh
            echo "$*" >> \(dir)/calls
            case "$*" in *dependency*) echo "102;clusterA";; *) echo 101;; esac
            """.write(toFile: fake, atomically: true, encoding: .utf8)
        chmod(fake, 0o755)
        let jobs = try SlurmSubmit.submit(spec(), sbatch: fake)
        XCTAssertEqual(jobs, SlurmSubmission(arrayJob: "101", mergeJob: "102"))
        XCTAssertEqual(try String(contentsOfFile: dir + "/calls", encoding: .utf8),
                       "--parsable --array=1-16 /home/a/run 1/build/default/slurm/array.sh\n"
                       + "--parsable --dependency=afterok:101 /home/a/run 1/build/default/slurm/merge.sh\n")

        try "#!/bin/sh\necho 'sbatch: error: invalid partition specified: nope' >&2\nexit 1\n"
            .write(toFile: fake, atomically: true, encoding: .utf8)
        chmod(fake, 0o755)
        XCTAssertThrowsError(try SlurmSubmit.submit(spec(), sbatch: fake)) { e in
            XCTAssertEqual((e as? BatchError)?.exitStatus, .software)
            XCTAssertEqual("\(e)", "sbatch failed (exit 1) submitting the shard array: sbatch: error: invalid partition specified: nope")
        }
    }

    func testMergeWithExpectedCountNamesAllMissing() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let config = try ConfigLoader.load(path: root.appendingPathComponent("config/default.yaml").path)
        let settings = LimitSettings(method: .toys, confidenceLevel: 0.9, seed: 1, toysPerPoint: 10, gridPoints: 8,
                                     sensitivityToys: 0, threads: 1)
        XCTAssertThrowsError(try Pipeline(config: config).mergeShards([], fit: "f", model: "m", output: "o",
                                                                      jsonOutput: nil, settings: settings, expectedCount: 3)) { e in
            XCTAssertEqual("\(e)", "shards: incomplete set: shard(s) 1/3, 2/3, 3/3 missing (failed or not yet run); have none")
        }
    }

    func testMissingSbatchIsExit70() {
        XCTAssertThrowsError(try SlurmSubmit.submit(spec(), sbatch: "/nonexistent/sbatch")) { e in
            XCTAssertEqual((e as? BatchError)?.exitStatus, .software)
            XCTAssertTrue("\(e)".contains("sbatch: not found"), "\(e)")
        }
    }
}
