import Foundation
import NMMCore
import NMMStatistics

/// A batch-system failure (sbatch missing, refusing or answering nonsense). Exit 70: design.md's
/// sysexits list has no EX_UNAVAILABLE (69), and from nmm's side the submission could not be done.
public struct BatchError: NMMError {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var exitStatus: ExitStatus { .software }
    public var description: String { message }
}

/// The two Slurm jobs of one sharded toy belt.
public struct SlurmSubmission: Sendable, Equatable {
    public let arrayJob: String
    public let mergeJob: String
}

extension Pipeline {
    /// The files every shard reads must exist before the jobs start (the jobs do not run earlier
    /// stages): a missing one is exit 66 naming the command that makes it; a wrong, unknown or
    /// stale one is refused as in `nmm limit`.
    public func checkShardInputs(paths: StagePaths, configPath: String) throws {
        for file in [paths.fit, paths.model] where !FileManager.default.fileExists(atPath: file) {
            throw InputError(file: file, "file not found; the shards read fit.fits and model.fits, "
                             + "so run `nmm analyze --config \(configPath) --to fit` (with the same --build-dir) before submitting",
                             status: .noInput)
        }
        _ = try toyInputs(fit: paths.fit, model: paths.model)
    }
}

/// Writes the job scripts and submits them with sbatch.
public enum SlurmSubmit {
    /// Writes array.sh and merge.sh (atomically, mode 0755) into the spec's script folder.
    public static func writeScripts(_ spec: ShardJobSpec) throws {
        try SlurmScript.validate(spec)
        for (path, text) in [(spec.arrayScript, SlurmScript.array(spec)), (spec.mergeScript, SlurmScript.merge(spec))] {
            try StagePaths.prepareFolder(for: path)
            try AtomicFile.writeData(Data(text.utf8), to: path)
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
    }

    /// Removes shard files of an earlier run of the same N, so that what exists after this run
    /// (and what `nmm merge` reports as missing) is this run's alone. Returns the removed paths.
    public static func removeEarlierShards(paths: StagePaths, count: Int) throws -> [String] {
        var removed: [String] = []
        for i in 1...max(count, 1) {
            let file = paths.limitShard(i, of: count)
            guard FileManager.default.fileExists(atPath: file) else { continue }
            do { try FileManager.default.removeItem(atPath: file) } catch {
                throw OutputError(file: file, "cannot remove the shard file of an earlier run: \(error.localizedDescription)")
            }
            removed.append(file)
        }
        return removed
    }

    /// The sbatch executable (`name` itself when it holds a slash, else found on PATH); exit 70 if there is none.
    public static func locateSbatch(_ name: String = "sbatch") throws -> String {
        guard let exe = findExecutable(name) else {
            throw BatchError("sbatch: not found on PATH; run `nmm submit` on a Slurm submit host (or use --dry-run)")
        }
        return exe
    }

    /// `sbatch --parsable --array=1-N array.sh`, then `sbatch --parsable --dependency=afterok:<id> merge.sh`.
    public static func submit(_ spec: ShardJobSpec, sbatch: String = "sbatch") throws -> SlurmSubmission {
        let exe = try locateSbatch(sbatch)
        let arrayJob = try run(exe, SlurmScript.arraySubmitArguments(spec), what: "the shard array")
        do {
            let mergeJob = try run(exe, SlurmScript.mergeSubmitArguments(spec, arrayJob: arrayJob), what: "the merge job")
            return SlurmSubmission(arrayJob: arrayJob, mergeJob: mergeJob)
        } catch let e as BatchError {
            throw BatchError("\(e.message); the shard array is job \(arrayJob): submit the merge by hand with "
                             + "sbatch --dependency=afterok:\(arrayJob) \(spec.mergeScript)")
        }
    }

    /// Runs sbatch and returns the job id it printed.
    static func run(_ exe: String, _ args: [String], what: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch {
            throw BatchError("sbatch: cannot run \(exe): \(error.localizedDescription)")
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let stdout = String(decoding: outData, as: UTF8.self), stderr = String(decoding: errData, as: UTF8.self)
        let errLine = stderr.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        guard p.terminationStatus == 0 else {
            throw BatchError("sbatch failed (exit \(p.terminationStatus)) submitting \(what)\(errLine.isEmpty ? "" : ": " + errLine)")
        }
        guard let id = SlurmScript.parseJobID(stdout) else {
            throw BatchError("sbatch: expected a job id from --parsable for \(what), found '\(stdout.trimmingCharacters(in: .whitespacesAndNewlines))'")
        }
        return id
    }

    /// `name` itself when it holds a slash, else the first executable of that name on PATH.
    static func findExecutable(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
