import Foundation

/// A deterministic mutation campaign: `iterations` inputs, each a seed mutated 1–4 times,
/// the seed picked round-robin, the mutations by a SplitMix64 stream from `seed`. The same
/// (seed, iterations) replays the same inputs, so any failure reproduces from its number.
public enum FuzzCampaign {
    public struct Report: Sendable {
        public var iterations = 0
        public var values = 0
        public var errors = 0
        /// Non-NMMError errors: reader, error text, and the input's campaign number.
        public var unexpected: [(iteration: Int, reader: String, error: String)] = []
        public var seconds = 0.0
    }

    /// Runs the campaign. `before` sees each input first (e.g. to save it so that a trap,
    /// which ends the process, leaves the culprit on disk).
    public static func run(iterations: Int, seed: UInt64, seeds: [FuzzSeeds.Seed],
                           before: ((Int, [UInt8]) -> Void)? = nil) -> Report {
        var report = Report()
        var mutator = Mutator(seed: seed)
        let start = Date()
        for i in 0..<iterations {
            let input = mutator.mutate(seeds[i % seeds.count].bytes)
            before?(i, input)
            for outcome in FuzzHarness.check(input) {
                switch outcome {
                case .value: report.values += 1
                case .error: report.errors += 1
                case .unexpected(let reader, let error): report.unexpected.append((i, reader, error))
                }
            }
            report.iterations += 1
        }
        report.seconds = Date().timeIntervalSince(start)
        return report
    }
}
