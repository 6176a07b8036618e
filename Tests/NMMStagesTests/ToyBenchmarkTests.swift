import Foundation
import NMMStages
import NMMStatistics
import XCTest

/// Toys per second on TEXONO-like input (52 bins), for 1 and 2 threads and both statistics.
/// Only with NMM_BENCH=1; meant for a release build:
///   NMM_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter ToyBenchmarkTests
final class ToyBenchmarkTests: XCTestCase {
    func testToyThroughputTexonoLike() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["NMM_BENCH"] == "1", "set NMM_BENCH=1")
        let input = try TestSpectra.texonoLike(poissonSeed: 1)
        for statistic in ToyStatistic.allCases {
            for threads in [1, 2] {
                _ = try ToyBenchmark.run(input: input, options: FitOptions(), gridPoints: 2, toysPerPoint: 200,
                                         threads: threads, statistic: statistic)   // warm-up
                let r = try ToyBenchmark.run(input: input, options: FitOptions(), gridPoints: 20, toysPerPoint: 2000,
                                             threads: threads, statistic: statistic)
                print(String(format: "BENCH %@ threads %d: %.2f s, %.0f toys/s", statistic.rawValue, threads,
                             r.seconds, r.toysPerSecond))
            }
        }
    }
}
