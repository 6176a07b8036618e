import ArgumentParser
import Foundation
import NMMCore
import NMMStages
import NMMStatistics

struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Run the toy-MC belt on a batch system: a Slurm job array of `nmm limit --shard i/N` plus an afterok merge job.",
        discussion: """
            Needs fit.fits and model.fits first (run `nmm analyze --config C --to fit`);
            the jobs run only the toys. Writes <build-dir>/<experiment>/slurm/array.sh and merge.sh (their
            logs go there too), submits `sbatch --parsable --array=1-N array.sh`, then
            `sbatch --parsable --dependency=afterok:<array> merge.sh`, and prints both job ids:
              array <id>
              merge <id>
            Each task writes limit.shard-i-of-N.fits; the merge writes limit.fits and limit.json, identical to
            one `nmm limit --method toys` run with the same seed and toys. If a shard fails, the merge job never
            runs (Slurm: DependencyNeverSatisfied); `nmm merge --config C --shards N` then names the missing
            shards, and `sbatch --array=i .../slurm/array.sh` reruns one. Paths in the scripts are absolute, so
            the build folder must be on storage the nodes share. sbatch missing or failing is exit 70.
            """)

    @OptionGroup var common: CommonOptions
    @Option(help: "Batch system; only slurm is supported (see the README for HTCondor and others).") var scheduler: String
    @Option(help: "Number of shards N (array tasks), at most the κ grid points (limit.gridPoints).") var shards: Int
    @Option(help: "Slurm partition (#SBATCH --partition); default: the cluster's default partition.") var partition: String?
    @Option(help: "Slurm time limit per job, e.g. 30, 2:00:00 or 1-0 (#SBATCH --time); default: the partition's.") var time: String?
    @Option(help: "CPUs per job (#SBATCH --cpus-per-task); nmm runs that many toy threads.") var cpusPerTask: Int = 1
    @Option(help: "Seed of every random draw (overrides limit.seed), passed to every job.") var seed: UInt64?
    @Option(help: "Toys per κ grid point (overrides limit.toysPerPoint), passed to every job.") var toys: Int?
    @Option(help: "Background-only pseudo-experiments of the sensitivity band, run by the merge job (overrides limit.sensitivityToys).")
    var sensitivityToys: Int?
    @Option(help: "The nmm binary the nodes run (default: this executable's absolute path).") var nmm: String?
    @Flag(help: "Print the scripts and the sbatch commands; write and submit nothing.") var dryRun = false

    func validate() throws {
        guard scheduler.lowercased() == "slurm" else {
            throw ValidationError("--scheduler \(scheduler): only slurm is supported; for HTCondor or other batch systems run `nmm limit --shard i/N` and `nmm merge` as the README's \"Running on a cluster\" shows")
        }
        if shards < 1 { throw ValidationError("--shards must be ≥ 1") }
        if cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be ≥ 1") }
        if let t = toys, t < 10 { throw ValidationError("--toys must be ≥ 10") }
        if let n = sensitivityToys, n < 0 { throw ValidationError("--sensitivity-toys must be ≥ 0") }
    }

    func run() throws {
        let (pipeline, paths) = try common.pipeline()
        var settings = try LimitSettings(config: pipeline.config)
        if let toys { settings.toysPerPoint = toys }
        guard shards <= settings.gridPoints else {
            throw InputError(file: common.config, field: "--shards",
                             "\(shards) shards for \(settings.gridPoints) κ grid points (limit.gridPoints): expected N ≤ grid points", status: .usage)
        }
        try pipeline.checkShardInputs(paths: paths, configPath: common.config)
        let cwd = FileManager.default.currentDirectoryPath
        let buildRoot = absolute(common.buildDir, cwd)
        let spec = ShardJobSpec(experiment: pipeline.config.experiment, nmm: absolute(nmm ?? Self.runningExecutable(), cwd),
                                config: absolute(common.config, cwd), buildRoot: buildRoot, workDir: cwd,
                                scriptDir: absolute(paths.directory, cwd) + "/slurm", shards: shards, partition: partition,
                                time: time, cpusPerTask: cpusPerTask, seed: seed, toys: toys, sensitivityToys: sensitivityToys)
        try SlurmScript.validate(spec)
        guard FileManager.default.isExecutableFile(atPath: spec.nmm) else {
            throw InputError(file: spec.nmm, field: "--nmm", "not an executable file", status: .noInput)
        }
        if dryRun {
            print("# \(spec.arrayScript)\n\(SlurmScript.array(spec))")
            print("# \(spec.mergeScript)\n\(SlurmScript.merge(spec))")
            print("sbatch " + SlurmScript.arraySubmitArguments(spec).map(SlurmScript.quote).joined(separator: " "))
            print("sbatch " + SlurmScript.mergeSubmitArguments(spec, arrayJob: "<array>").map(SlurmScript.quote).joined(separator: " "))
            return
        }
        let sbatch = try SlurmSubmit.locateSbatch()   // before any file is touched
        for f in try SlurmSubmit.removeEarlierShards(paths: paths, count: shards) {
            pipeline.logger.info("removed \(f) of an earlier run")
        }
        try SlurmSubmit.writeScripts(spec)
        pipeline.logger.info("wrote \(spec.arrayScript) and \(spec.mergeScript)")
        let jobs = try SlurmSubmit.submit(spec, sbatch: sbatch)
        print("array \(jobs.arrayJob)")
        print("merge \(jobs.mergeJob)")
        pipeline.logger.info("""
            \(shards) shards → \(paths.directory)/limit.shard-i-of-\(shards).fits, logs \(spec.scriptDir)/shard-i-of-\(shards)-\(jobs.arrayJob).out; \
            merge job \(jobs.mergeJob) runs after all succeed. If one fails, `\(handMerge)` names it.
            """)
    }

    /// The merge command to run by hand (same settings as the jobs).
    private var handMerge: String {
        var words = ["nmm", "merge", "--config", common.config, "--build-dir", common.buildDir, "--shards", "\(shards)"]
        if let seed { words += ["--seed", "\(seed)"] }
        if let toys { words += ["--toys", "\(toys)"] }
        return words.map(SlurmScript.quote).joined(separator: " ")
    }

    private func absolute(_ path: String, _ cwd: String) -> String {
        let p = path.hasPrefix("/") ? path : (cwd as NSString).appendingPathComponent(path)
        return (p as NSString).standardizingPath
    }

    /// This process's executable (/proc/self/exe on Linux), else argv[0].
    static func runningExecutable() -> String {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return target }
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}
