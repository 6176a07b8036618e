import ArgumentParser
import Foundation
import NMMCore
import NMMStages
import NMMStatistics

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the shards of a toy-MC belt (nmm limit --shard i/N) into limit.fits and limit.json.",
        discussion: "Every shard 1…N must be given; the result is identical to one `nmm limit --method toys` run with the same config, seed and toys. Without shard arguments, the files limit.shard-*-of-*.fits in the experiment's build folder are used.")

    @OptionGroup var common: CommonOptions
    @Argument(help: "Shard files (default: <build-dir>/<experiment>/limit.shard-*-of-*.fits).") var shards: [String] = []
    @Option(help: "Fit file the shards were made from.") var fit: String?
    @Option(help: "Model file the shards were made from.") var model: String?
    @Option(name: .customLong("shards"), help: "Expected number of shards N: without shard arguments only limit.shard-*-of-N.fits are used, and every shard 1…N must be there.")
    var expectedShards: Int?
    @Option(help: "Seed (must equal the shards').") var seed: UInt64?
    @Option(help: "Toys per κ grid point (must equal the shards').") var toys: Int?
    @Option(help: "Background-only pseudo-experiments for the sensitivity band (overrides limit.sensitivityToys).") var sensitivityToys: Int?
    @Option(help: "Worker threads for the sensitivity toys (default all cores).") var threads: Int?
    @Option(name: .shortAndLong, help: "Output limit file (default <build-dir>/<experiment>/limit.fits; limit.json beside it).") var output: String?

    func validate() throws {
        if let n = expectedShards, n < 1 { throw ValidationError("--shards must be ≥ 1") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be ≥ 1") }
        if let t = toys, t < 10 { throw ValidationError("--toys must be ≥ 10") }
        if let s = sensitivityToys, s != 0, s < 10 { throw ValidationError("--sensitivity-toys must be 0 or ≥ 10") }
    }

    func run() throws {
        let (pipeline, paths) = try common.pipeline()
        var settings = try LimitSettings(config: pipeline.config)
        settings.method = .toys
        if let seed { settings.seed = seed }
        if let toys { settings.toysPerPoint = toys }
        if let sensitivityToys { settings.sensitivityToys = sensitivityToys }
        settings.threads = threads
        var files = shards
        if files.isEmpty {
            let dir = paths.directory
            guard let listing = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
                throw InputError(file: dir, "cannot list the build folder for shard files (missing or unreadable)", status: .noInput)
            }
            files = listing
                .filter { $0.hasPrefix("limit.shard-") && $0.hasSuffix(expectedShards.map { "-of-\($0).fits" } ?? ".fits") }.sorted()
                .map { (dir as NSString).appendingPathComponent($0) }
        }
        let out = output ?? paths.limit
        let jsonPath = ((out as NSString).deletingLastPathComponent as NSString).appendingPathComponent("limit.json")
        let progress = ProgressDisplay(label: "sensitivity", quiet: common.quiet)
        let product = try pipeline.mergeShards(files, fit: fit ?? paths.fit, model: model ?? paths.model, output: out, jsonOutput: jsonPath,
                                               settings: settings, expectedCount: expectedShards, progress: progress.handler)
        progress.finish()
        print(product.headline)
    }
}
