import Foundation
import NMMFuzzKit

/// Built with -sanitize=fuzzer -DNMM_LIBFUZZER (`make fuzz`): libFuzzer's driver, which takes
/// libFuzzer's flags and corpus folders. Without libFuzzer: `NMMFuzz [--iterations N] [--seed S]` runs the deterministic mutation
/// campaign (FuzzCampaign); `NMMFuzz --write-corpus DIR` writes the seed inputs as files
/// (the starting corpus of the libFuzzer build). The input being checked is kept in
/// .nmm-fuzz-current, so a trap leaves the culprit on disk.
@main
struct NMMFuzzMain {
    static func main() throws {
        #if NMM_LIBFUZZER
        exit(runLibFuzzer())
        #else
        var args = Array(CommandLine.arguments.dropFirst())
        func value(_ flag: String) -> String? {
            guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return nil }
            defer { args.removeSubrange(i...(i + 1)) }
            return args[i + 1]
        }
        let seeds = try FuzzSeeds.all()
        if let dir = value("--write-corpus") {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for s in seeds { try Data(s.bytes).write(to: URL(fileURLWithPath: dir).appendingPathComponent(s.name)) }
            print("wrote \(seeds.count) seed inputs to \(dir)")
            return
        }
        let iterations = Int(value("--iterations") ?? "") ?? 10_000
        let seed = UInt64(value("--seed") ?? "") ?? 20030331
        let current = ".nmm-fuzz-current"
        let report = FuzzCampaign.run(iterations: iterations, seed: seed, seeds: seeds) { _, input in
            try? Data(input).write(to: URL(fileURLWithPath: current))
        }
        try? FileManager.default.removeItem(atPath: current)
        print("mutation fuzzing: \(report.iterations) inputs (seed \(seed)) × every reader: "
              + "\(report.values) values, \(report.errors) NMMErrors, \(report.unexpected.count) other errors, "
              + String(format: "%.1f s", report.seconds))
        for u in report.unexpected.prefix(20) { print("  input \(u.iteration): \(u.reader): \(u.error)") }
        if !report.unexpected.isEmpty { exit(1) }
        #endif
    }
}
