import Foundation
import XCTest
@testable import NMMCore
@testable import NMMStages
@testable import NMMStatistics

/// `nmm limit --shard i/N` + `nmm merge` equals one toy run, and an incomplete set is refused.
final class ShardTests: XCTestCase {
    func testMergedShardsEqualSingleRun() throws {
        try mergedShardsEqualSingleRun(adaptive: false)
    }

    /// With adaptive toys the shards compute the first pass and the merge adds the toys near the
    /// crossing: still the single run, bit for bit.
    func testMergedShardsEqualSingleRunWithAdaptiveToys() throws {
        try mergedShardsEqualSingleRun(adaptive: true)
    }

    /// With toy CLs among limit.methods each shard also computes its slice of the CLs toys (s+b at
    /// its points, background-only evaluated at its points) and the merge joins them: every
    /// method's table equals the single run's.
    func testMergedShardsEqualSingleRunWithOtherMethods() throws {
        try mergedShardsEqualSingleRun(adaptive: false, methods: [.fc, .cls, .clsb, .asymptotic])
    }

    private func mergedShardsEqualSingleRun(adaptive: Bool, methods: [IntervalMethod] = [.fc]) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-shard-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let config = try ConfigLoader.load(path: root.appendingPathComponent("config/default.yaml").path)
        let p = Pipeline(config: config)
        let paths = StagePaths(directory: dir.path)
        for stage in [StageName.ingest, .subtract, .templates, .model, .fit] { try p.run(stage, paths: paths) }
        var settings = LimitSettings(method: .toys, confidenceLevel: 0.9, seed: 99, toysPerPoint: 100, gridPoints: 13,
                                     sensitivityToys: 50, threads: 2, targetRelativeError: adaptive ? 0.01 : nil,
                                     maxToysPerPoint: adaptive ? 3000 : nil)
        settings.methods = methods
        let single = try p.limit(fit: paths.fit, model: paths.model,
                                 output: paths.limit, jsonOutput: nil, settings: settings)
        if adaptive {
            let a = try XCTUnwrap(single.adaptiveToys)
            XCTAssertGreaterThan(a.rounds, 0)
            XCTAssertGreaterThan(single.totalToys, 13 * 100)
            print("adaptive toys on default.yaml (100 toys/point, 13 points): \(single.totalToys) toys, \(a.rounds) rounds, "
                  + "target met: \(a.targetMet), σ(κ_up) = \(single.kappaUpperError ?? .nan) of κ_up = \(single.kappaUpper); \(single.headline)")
        } else {
            XCTAssertNil(single.adaptiveToys)
            XCTAssertEqual(single.totalToys, 13 * 100)
        }
        XCTAssertNotNil(single.kappaUpperError)
        var shardFiles: [String] = []
        for i in 1...4 {
            var s = settings
            s.threads = i % 2 + 1   // thread count must not matter
            let out = paths.limitShard(i, of: 4)
            try p.limitShard(fit: paths.fit, model: paths.model, output: out,
                             index: i, count: 4, settings: s)
            shardFiles.append(out)
        }
        let merged = try p.mergeShards(shardFiles.reversed(), fit: paths.fit, model: paths.model,
                                       output: dir.appendingPathComponent("merged.fits").path,
                                       jsonOutput: nil, settings: settings)
        XCTAssertEqual(merged.belt, single.belt)
        guard case .toys = merged.belt else { return XCTFail("a toy belt") }
        XCTAssertEqual(merged.kappaLower, single.kappaLower)
        XCTAssertEqual(merged.kappaUpper, single.kappaUpper)
        XCTAssertEqual(merged.sensitivity, single.sensitivity)
        XCTAssertEqual(merged.totalToys, single.totalToys)
        XCTAssertEqual(merged.comparisons, single.comparisons)
        XCTAssertEqual(merged.comparisons.map(\.method), methods.filter { $0 != IntervalMethod.fc })
        // Every header card and table cell of the two files (DATE, CHECKSUM, DATASUM aside).
        XCTAssertEqual(try FITSDump.render(path: dir.appendingPathComponent("merged.fits").path, omitting: FITSDump.volatileKeywords),
                       try FITSDump.render(path: paths.limit, omitting: FITSDump.volatileKeywords))

        XCTAssertThrowsError(try p.mergeShards([shardFiles[0], shardFiles[2], shardFiles[3]], fit: paths.fit,
                                               model: paths.model,
                                               output: dir.appendingPathComponent("bad.fits").path, jsonOutput: nil,
                                               settings: settings)) { e in
            XCTAssertTrue("\(e)".contains("shard(s) 2/4 missing"), "\(e)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.fits").path))
    }

    func testShardSlicesCoverTheGridOnce() {
        for (g, n) in [(60, 4), (13, 4), (5, 5), (7, 1)] {
            var covered = [Int](repeating: 0, count: g)
            for i in 1...n { for j in ToyBelt.shardPoints(index: i, count: n, gridPoints: g) { covered[j] += 1 } }
            XCTAssertEqual(covered, [Int](repeating: 1, count: g), "\(g) points in \(n) shards")
        }
    }
}
