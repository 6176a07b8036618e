import NMMCore
import NMMStatistics

/// Everything a Slurm run of a sharded toy belt needs: N array tasks `nmm limit --shard i/N`,
/// then one `nmm merge` job. All paths absolute (the jobs run on other nodes, from the
/// submit directory on shared storage).
public struct ShardJobSpec: Sendable, Equatable {
    public var experiment: String
    /// The nmm binary the nodes run.
    public var nmm: String
    public var config: String
    /// `--build-dir` of the jobs (shards land in <buildRoot>/<experiment>/).
    public var buildRoot: String
    /// The directory the jobs `cd` to (where `nmm submit` ran).
    public var workDir: String
    /// Where array.sh, merge.sh and the job logs go (<buildRoot>/<experiment>/slurm).
    public var scriptDir: String
    public var shards: Int
    public var partition: String?
    /// Slurm time limit per job (e.g. 30, 2:00:00, 1-0).
    public var time: String?
    /// CPUs per job; nmm runs that many toy threads.
    public var cpusPerTask: Int
    public var seed: UInt64?
    public var toys: Int?
    public var sensitivityToys: Int?

    public init(experiment: String, nmm: String, config: String, buildRoot: String, workDir: String, scriptDir: String,
                shards: Int, partition: String? = nil, time: String? = nil, cpusPerTask: Int = 1,
                seed: UInt64? = nil, toys: Int? = nil, sensitivityToys: Int? = nil) {
        self.experiment = experiment
        self.nmm = nmm
        self.config = config
        self.buildRoot = buildRoot
        self.workDir = workDir
        self.scriptDir = scriptDir
        self.shards = shards
        self.partition = partition
        self.time = time
        self.cpusPerTask = cpusPerTask
        self.seed = seed
        self.toys = toys
        self.sensitivityToys = sensitivityToys
    }

    public var arrayScript: String { scriptDir + "/array.sh" }
    public var mergeScript: String { scriptDir + "/merge.sh" }
    /// Log of array task i (Slurm pattern: %a task index, %A array job id).
    public var arrayLogPattern: String { scriptDir + "/shard-%a-of-\(shards)-%A.out" }
    public var mergeLogPattern: String { scriptDir + "/merge-%j.out" }
}

/// Renders the two job scripts and the sbatch arguments (pure; unit-tested without Slurm).
public enum SlurmScript {
    /// array.sh: one array task per shard, `nmm limit --shard $SLURM_ARRAY_TASK_ID/N`.
    public static func array(_ s: ShardJobSpec) -> String {
        var args = ["limit", "--config", quote(s.config), "--build-dir", quote(s.buildRoot), "--method", "toys",
                    "--threads", "\(s.cpusPerTask)", "--shard", "\"${SLURM_ARRAY_TASK_ID}/\(s.shards)\""]
        if let seed = s.seed { args += ["--seed", "\(seed)"] }
        if let toys = s.toys { args += ["--toys", "\(toys)"] }
        return script(s, name: "nmm-\(s.experiment)-limit", log: s.arrayLogPattern,
                      extra: ["--array=1-\(s.shards)"],
                      comment: """
                          # Toy-MC belt of '\(s.experiment)' as a job array: task i writes limit.shard-i-of-\(s.shards).fits.
                          # Written by `nmm submit`. Rerun one failed shard: sbatch --array=i \(quote(s.arrayScript))
                          """,
                      body: """
                          : "${SLURM_ARRAY_TASK_ID:?run this script as a Slurm job array: sbatch --array=1-\(s.shards) array.sh}"
                          exec \(quote(s.nmm)) \(args.joined(separator: " "))
                          """)
    }

    /// merge.sh: `nmm merge --shards N` on the shard files; submitted with afterok on the array.
    public static func merge(_ s: ShardJobSpec) -> String {
        var args = ["merge", "--config", quote(s.config), "--build-dir", quote(s.buildRoot), "--shards", "\(s.shards)",
                    "--threads", "\(s.cpusPerTask)"]
        if let seed = s.seed { args += ["--seed", "\(seed)"] }
        if let toys = s.toys { args += ["--toys", "\(toys)"] }
        if let n = s.sensitivityToys { args += ["--sensitivity-toys", "\(n)"] }
        return script(s, name: "nmm-\(s.experiment)-merge", log: s.mergeLogPattern,
                      extra: ["--kill-on-invalid-dep=yes"],
                      comment: """
                          # Joins the \(s.shards) shards of '\(s.experiment)' into limit.fits and limit.json.
                          # Written by `nmm submit`, which submits it with --dependency=afterok:<array job>.
                          # If a shard failed, this job never runs; `nmm merge` then names the missing shards.
                          """,
                      body: "exec \(quote(s.nmm)) \(args.joined(separator: " "))")
    }

    /// `sbatch` arguments for the array job.
    public static func arraySubmitArguments(_ s: ShardJobSpec) -> [String] {
        ["--parsable", "--array=1-\(s.shards)", s.arrayScript]
    }

    /// `sbatch` arguments for the merge job, after every array task succeeded.
    public static func mergeSubmitArguments(_ s: ShardJobSpec, arrayJob: String) -> [String] {
        ["--parsable", "--dependency=afterok:\(arrayJob)", s.mergeScript]
    }

    /// The job id in `sbatch --parsable` output ("123" or "123;cluster").
    public static func parseJobID(_ output: String) -> String? {
        let line = output.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        let id = line.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }) else { return nil }
        return id
    }

    /// Refuses values that cannot go into a script safely: newlines anywhere, and `"` in the
    /// values that go on #SBATCH lines (Slurm's parser knows no escape for it).
    public static func validate(_ s: ShardJobSpec) throws {
        let all: [(String, String?)] = [("--nmm", s.nmm), ("--config", s.config), ("--build-dir", s.buildRoot),
                                        ("working directory", s.workDir), ("--partition", s.partition), ("--time", s.time)]
        for (name, value) in all {
            guard let value else { continue }
            if value.contains(where: \.isNewline) || value.isEmpty {
                throw InputError(file: nil, field: name, "expected a non-empty value without line breaks, found '\(value)'", status: .usage)
            }
        }
        for (name, value) in [("--build-dir", s.scriptDir), ("--partition", s.partition ?? ""), ("--time", s.time ?? "")]
        where value.contains("\"") {
            throw InputError(file: nil, field: name, "a '\"' cannot go on an #SBATCH line; found '\(value)'", status: .usage)
        }
        if s.shards < 1 { throw InputError(file: nil, field: "--shards", "expected N ≥ 1, found \(s.shards)", status: .usage) }
    }

    // MARK: - Pieces

    static func script(_ s: ShardJobSpec, name: String, log: String, extra: [String], comment: String, body: String) -> String {
        var lines = ["#!/bin/bash", comment,
                     "#SBATCH --job-name=\(sbatchValue(name))",
                     "#SBATCH --output=\(sbatchValue(escapePercent(log)))",
                     "#SBATCH --cpus-per-task=\(s.cpusPerTask)"]
        lines += extra.map { "#SBATCH \($0)" }
        if let p = s.partition { lines.append("#SBATCH --partition=\(sbatchValue(p))") }
        if let t = s.time { lines.append("#SBATCH --time=\(sbatchValue(t))") }
        lines += ["set -euo pipefail", "cd \(quote(s.workDir))", body]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A bash word: bare when it holds only safe characters, else single-quoted ('\'' for ').
    public static func quote(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "/._-+:,=@%".unicodeScalars.contains($0)
        }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// An #SBATCH value: double-quoted when it holds blanks (Slurm's script parser honours "…").
    static func sbatchValue(_ v: String) -> String {
        v.contains(where: { $0 == " " || $0 == "\t" || $0 == "'" || $0 == "#" }) ? "\"\(v)\"" : v
    }

    /// `%` in a directory name would be read as a filename pattern; Slurm writes %% for a literal %.
    static func escapePercent(_ log: String) -> String {
        guard let slash = log.lastIndex(of: "/") else { return log }
        return log[..<slash].replacingOccurrences(of: "%", with: "%%") + log[slash...]
    }
}
