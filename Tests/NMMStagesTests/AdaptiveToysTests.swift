import Foundation
import NMMCore
@testable import NMMStages
@testable import NMMStatistics
import XCTest

/// Adaptive toys: added blocks continue each point's streams, toys go only near the upper
/// crossing, the target is reached (or the cap is), and the answer is the same for any thread
/// count and any shard split.
final class AdaptiveToysTests: XCTestCase {
    private func grid(_ a: Double, _ b: Double, _ n: Int) -> [Double] { KappaGrid(min: a, max: b, points: n).values }

    private func bits(_ x: [Double]) -> [UInt64] { x.map(\.bitPattern) }

    /// Blocks requested later (regenerated from block 0, or only the added ones, in any
    /// grouping) are the first pass's toys bit for bit; N = 250 with blocks of 100 leaves a
    /// partial last first-pass block, and added blocks are whole.
    func testAddedBlocksContinueTheStreams() throws {
        let input = try TestSpectra.small(kappa: 0.5, poissonSeed: 5)
        let model = try ModelTestModels.general()
        for statistic in ToyStatistic.allCases {
            let cfg = ToyConfiguration(kappaGrid: grid(0, 3, 4), toysPerPoint: 250, seed: 5, statistic: statistic,
                                       threads: 2, toysPerBlock: 100)
            XCTAssertEqual((0..<5).map { cfg.toys(inBlock: $0) }, [100, 100, 50, 100, 100])
            XCTAssertEqual(cfg.toys(inBlocks: 5), 450)
            XCTAssertEqual(cfg.blocks(holding: 450), 5)
            XCTAssertEqual(cfg.blocks(holding: 250), 3)
            let legacy = try FeldmanCousinsToys(input: input, options: FitOptions(method: statistic.method), configuration: cfg)
            var small = cfg
            small.toysPerPoint = 40
            small.toysPerBlock = 15
            let engine = try ModelToys(model: model, configuration: small)
            for (name, first, blocks) in [("legacy", try legacy.toyValues(points: 0..<4), legacy.toyValues(blocks:progress:)),
                                          ("model", try engine.toyValues(points: 0..<4), engine.toyValues(blocks:progress:))] {
                let c = name == "legacy" ? cfg : small
                let n = c.toysPerPoint, b0 = c.firstPassBlocks
                let all = try blocks([ToyBlockRequest(point: 2, blocks: 0..<(b0 + 2)), ToyBlockRequest(point: 0, blocks: 0..<b0)], nil)
                XCTAssertEqual(all[0].count, n + 2 * c.toysPerBlock, name)
                XCTAssertEqual(bits(Array(all[0].prefix(n))), bits(first.array((2 * n)..<(3 * n))), "\(name) \(statistic)")
                XCTAssertEqual(bits(all[1]), bits(first.array(0..<n)), "\(name) \(statistic)")
                let added = try blocks([ToyBlockRequest(point: 2, blocks: b0..<(b0 + 2))], nil)
                XCTAssertEqual(bits(added[0]), bits(Array(all[0].suffix(2 * c.toysPerBlock))), "\(name) \(statistic)")
                XCTAssertTrue(all[0].allSatisfy(\.isFinite))
            }
        }
    }

    /// A target a third of the first pass's relative error is reached with toys added only at the
    /// points bracketing the crossing (which may move by a grid step on the way), the same for 1
    /// and 2 threads.
    func testTargetIsReachedWithToysNearTheCrossingOnly() throws {
        let input = try TestSpectra.small(kappa: 0.5, poissonSeed: 5)
        for statistic in ToyStatistic.allCases {
            var results: [ToyBelt] = []
            for threads in [1, 2] {
                let cfg = ToyConfiguration(kappaGrid: grid(0, 4, 21), toysPerPoint: 200, seed: 17, statistic: statistic,
                                           threads: threads, toysPerBlock: 50)
                let toys = try FeldmanCousinsToys(input: input, options: FitOptions(method: statistic.method), configuration: cfg)
                let first = try toys.belt()
                let i0 = try XCTUnwrap(first.interval)
                let r0 = try XCTUnwrap(i0.upperError) / i0.upper
                let target = r0 / 3
                let belt = try toys.addingToys(to: first, settings: AdaptiveToySettings(targetRelativeError: target,
                                                                                        maxToysPerPoint: 50 * 200))
                let i = try XCTUnwrap(belt.interval)
                let outcome = try XCTUnwrap(belt.adaptive)
                XCTAssertTrue(outcome.targetMet, "\(statistic)")
                XCTAssertLessThanOrEqual(try XCTUnwrap(i.upperError), target * i.upper)
                let a = try XCTUnwrap(belt.kappaGrid.indices.last { belt.observedValues[$0] <= belt.criticalValues[$0] })
                let refined = belt.toysAtPoint.indices.filter { belt.toysAtPoint[$0] > 200 }
                XCTAssertTrue(refined.contains(a) || refined.contains(a + 1), "\(refined) around \(a)")
                XCTAssertTrue(refined.allSatisfy { abs($0 - a) <= 2 }, "\(refined) around \(a)")
                XCTAssertLessThanOrEqual(refined.count, 4)
                XCTAssertTrue(belt.toysAtPoint.allSatisfy { ($0 - 200) % 50 == 0 }, "whole blocks")
                // Points not refined keep their first-pass critical values.
                for j in belt.kappaGrid.indices where !refined.contains(j) {
                    XCTAssertEqual(belt.criticalValues[j].bitPattern, first.criticalValues[j].bitPattern)
                }
                print("\(statistic): σ(κ_up)/κ_up \(r0) → \(try XCTUnwrap(i.upperError) / i.upper) in \(outcome.rounds) rounds, "
                      + "toys \(refined.map { "κ_\($0): \(belt.toysAtPoint[$0])" }), total \(belt.totalToys) (first pass \(first.totalToys))")
                results.append(belt)
            }
            XCTAssertEqual(results[0], results[1], "\(statistic): 1 and 2 threads")
        }
    }

    /// An unreachable target stops at the cap, says so, and never exceeds the cap.
    func testCapStopsTheRoundsAndIsReported() throws {
        let input = try TestSpectra.small(kappa: 0.5, poissonSeed: 5)
        let cfg = ToyConfiguration(kappaGrid: grid(0, 4, 11), toysPerPoint: 100, seed: 3, statistic: .chi2, threads: 2,
                                   toysPerBlock: 30)
        let toys = try FeldmanCousinsToys(input: input, options: FitOptions(), configuration: cfg)
        let belt = try toys.addingToys(to: try toys.belt(), settings: AdaptiveToySettings(targetRelativeError: 1e-6,
                                                                                          maxToysPerPoint: 450))
        let outcome = try XCTUnwrap(belt.adaptive)
        XCTAssertFalse(outcome.targetMet)
        XCTAssertGreaterThanOrEqual(outcome.rounds, 2)
        XCTAssertLessThanOrEqual(belt.toysAtPoint.max() ?? 0, 450)
        XCTAssertEqual(belt.toysAtPoint.max(), 100 + 11 * 30, "the largest whole-block count under the cap")
        XCTAssertEqual(AdaptiveToysStatic.doubled(100, cfg, cap: 450), 220)
        XCTAssertEqual(AdaptiveToysStatic.doubled(430, cfg, cap: 450), 430, "no whole block fits")
    }

    /// The model construction: threads 1 and 2, and a belt joined from shards, give the same
    /// adaptive belt bit for bit.
    func testModelToysAdaptiveAcrossThreadsAndShards() throws {
        let model = try ModelTestModels.general()
        var belts: [ToyBelt] = []
        for threads in [1, 2] {
            let cfg = ToyConfiguration(kappaGrid: grid(0, 6, 7), toysPerPoint: 40, seed: 2026, statistic: .poisson,
                                       threads: threads, toysPerBlock: 15)
            let toys = try ModelToys(model: model, configuration: cfg)
            var first = try toys.belt()
            if threads == 2 {
                var parts: [(points: Range<Int>, belt: ToyBelt)] = []
                for r in [0..<2, 2..<5, 5..<7] { parts.append((r, try toys.belt(points: r))) }
                let joined = try ToyBelt.joining(parts)
                XCTAssertEqual(joined, first)
                first = joined
            }
            let i = try XCTUnwrap(first.interval)
            let target = try XCTUnwrap(i.upperError) / i.upper / 2
            belts.append(try toys.addingToys(to: first, settings: AdaptiveToySettings(targetRelativeError: target,
                                                                                      maxToysPerPoint: 400)))
        }
        XCTAssertEqual(belts[0], belts[1])
        XCTAssertGreaterThan(belts[0].totalToys, 7 * 40)
        XCTAssertTrue(try XCTUnwrap(belts[0].adaptive).targetMet)
    }

    /// limit.targetRelativeError in (0, 1) and limit.maxToysPerPoint ≥ toysPerPoint; both reach
    /// the limit settings, the cap defaulting to 50 × toysPerPoint.
    func testConfigKeysAreValidatedAndReachTheSettings() throws {
        func parse(_ limit: String) throws -> AnalysisConfig {
            var c = try ConfigLoader.parse(text: ConfigSchema.minimalExample + "\nlimit: {\(limit)}\n", file: "t.yaml")
            c.sourcePath = "t.yaml"
            try c.validate()
            return c
        }
        for (bad, key) in [("targetRelativeError: 0", "limit.targetRelativeError"), ("targetRelativeError: 1.5", "limit.targetRelativeError"),
                           ("toysPerPoint: 500, maxToysPerPoint: 400", "limit.maxToysPerPoint"),
                           ("maxToysPerPoint: 1000", "limit.maxToysPerPoint")] {
            XCTAssertThrowsError(try parse(bad), bad) { XCTAssertTrue("\($0)".contains(key), "\($0)") }
        }
        let s = try LimitSettings(config: try parse("toysPerPoint: 500, targetRelativeError: 0.01"))
        XCTAssertEqual(s.adaptiveToys, AdaptiveToySettings(targetRelativeError: 0.01, maxToysPerPoint: 25_000))
        let capped = try LimitSettings(config: try parse("toysPerPoint: 500, targetRelativeError: 0.01, maxToysPerPoint: 4000"))
        XCTAssertEqual(capped.adaptiveToys?.maxToysPerPoint, 4000)
        XCTAssertNil(try LimitSettings(config: try parse("toysPerPoint: 500")).adaptiveToys)
    }
}

/// `doubled` is a static of the protocol extension; reach it through a concrete conformer.
private enum AdaptiveToysStatic {
    static func doubled(_ have: Int, _ cfg: ToyConfiguration, cap: Int) -> Int {
        FeldmanCousinsToys.doubled(have, configuration: cfg, cap: cap)
    }
}
