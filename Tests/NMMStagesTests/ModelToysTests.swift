import Foundation
import NMMCore
@testable import NMMStatistics
import XCTest

/// The model toy construction: against the legacy construction where both apply, and
/// bit-identical for any thread count and any slicing of the grid.
final class ModelToysTests: XCTestCase {
    private func grid(_ a: Double, _ b: Double, _ n: Int) -> [Double] { KappaGrid(min: a, max: b, points: n).values }

    /// Without anything to resample (κ only) or with resampling off (Gaussian SM and flux
    /// normalisations held at their observed global observables, the legacy convention), the
    /// engine's belt is the legacy belt: the same streams draw the same counts (the generation
    /// means agree to ≈ 1e-11) and every toy's t agrees to ≈ 1e-9, so t_c is the same order
    /// statistic.
    func testBeltEqualsLegacyBelt() throws {
        let input = try TestSpectra.small(kappa: 0.5, poissonSeed: 5)
        let g10 = Constraint.gaussian(mean: 1, sigma: 0.1)
        for statistic in ToyStatistic.allCases {
            for (name, options) in [("κ only", FitOptions(method: statistic.method, residualErrors: .pooled)),
                                    ("sm, flux ±10%, not resampled", FitOptions(smNormalisation: g10, fluxNormalisation: g10,
                                                                                method: statistic.method, residualErrors: .pooled))] {
                let cfg = ToyConfiguration(kappaGrid: grid(0, 3, 5), toysPerPoint: 120, seed: 31, statistic: statistic,
                                           threads: 2, toysPerBlock: 50, resampleGlobalObservables: false)
                let legacy = try FeldmanCousinsToys(input: input, options: options, configuration: cfg)
                let model = StatisticalModel(legacyInput: input, options: options)
                let engine = try ModelToys(model: model, options: ModelFitOptions(statistic: statistic.method, residualErrors: .pooled),
                                           configuration: cfg)
                let lb = try legacy.belt(), eb = try engine.belt()
                for j in cfg.kappaGrid.indices {
                    XCTAssertEqual(eb.observedValues[j], lb.observedValues[j], accuracy: 1e-8, "\(statistic) \(name)")
                    XCTAssertEqual(eb.criticalValues[j], lb.criticalValues[j], accuracy: 1e-7, "\(statistic) \(name) κ_\(j)")
                }
                XCTAssertEqual(eb.observedKappa, lb.observedKappa, accuracy: 1e-8)
                XCTAssertEqual(eb.resampleGlobalObservables, lb.resampleGlobalObservables, "\(name)")
                let ls = try legacy.sensitivity(belt: lb, pseudoExperiments: 60)
                let es = try engine.sensitivity(belt: eb, pseudoExperiments: 60)
                for (a, b) in zip(es.bands.values, ls.bands.values) { XCTAssertEqual(a, b, accuracy: 1e-6, "\(statistic) \(name)") }
            }
        }
    }

    /// Threads 1, 2, 3 and any shard split give the same belt and sensitivity, bit for bit, on
    /// the general model (both statistics; resampled global observables).
    func testDeterministicAcrossThreadsAndShards() throws {
        let model = try ModelTestModels.general()
        for statistic in ToyStatistic.allCases {
            var belts: [ToyBelt] = [], sens: [ToySensitivity] = []
            for threads in [1, 2, 3] {
                let cfg = ToyConfiguration(kappaGrid: grid(0, 3, 4), toysPerPoint: 40, seed: 2026, statistic: statistic,
                                           threads: threads, toysPerBlock: 15)
                let toys = try ModelToys(model: model, configuration: cfg)
                let b = try toys.belt()
                belts.append(b)
                sens.append(try toys.sensitivity(belt: b, pseudoExperiments: 20))
                if threads == 2 {
                    // Shards [0, 1), [1, 3), [3, 4), computed apart (with another thread count) and joined.
                    var parts: [(points: Range<Int>, belt: ToyBelt)] = []
                    for (k, r) in [0..<1, 1..<3, 3..<4].enumerated() {
                        var c = cfg
                        c.threads = k + 1
                        parts.append((r, try ModelToys(model: model, configuration: c).belt(points: r)))
                    }
                    XCTAssertEqual(try ToyBelt.joining(parts), b, "\(statistic) shards")
                }
            }
            XCTAssertEqual(belts[0], belts[1], "\(statistic)")
            XCTAssertEqual(belts[0], belts[2], "\(statistic)")
            XCTAssertEqual(sens[0], sens[1], "\(statistic)")
            XCTAssertEqual(sens[0], sens[2], "\(statistic)")
            XCTAssertTrue(belts[0].resampleGlobalObservables)
            XCTAssertEqual(belts[0].failuresPerPoint, [0, 0, 0, 0])
            print("general model \(statistic) belt: t_c \(belts[0].criticalValues), interval \(String(describing: belts[0].interval))")
            // Another seed, another belt; resampling off, another belt (the same counts).
            var other = ToyConfiguration(kappaGrid: grid(0, 3, 4), toysPerPoint: 40, seed: 2027, statistic: statistic,
                                         threads: 2, toysPerBlock: 15)
            XCTAssertNotEqual(try ModelToys(model: model, configuration: other).belt().criticalValues, belts[0].criticalValues)
            other.seed = 2026
            other.resampleGlobalObservables = false
            let fixed = try ModelToys(model: model, configuration: other).belt()
            XCTAssertNotEqual(fixed.criticalValues, belts[0].criticalValues)
            XCTAssertFalse(fixed.resampleGlobalObservables)
            XCTAssertThrowsError(try ToyBelt.joining([(0..<2, fixed), (2..<4, belts[0])]), "mixed conventions")
        }
    }

    /// The stage's choice: legacy construction when it is exact, else the engine.
    func testBeltConstructionChoice() throws {
        let input = try TestSpectra.small(kappa: 0.5, poissonSeed: 5)
        let cfg = ToyConfiguration(kappaGrid: grid(0, 3, 3), toysPerPoint: 20, threads: 1)
        let plain = StatisticalModel(legacyInput: input, options: FitOptions())
        XCTAssertTrue(try plain.beltConstruction(options: ModelFitOptions(), configuration: cfg) is FeldmanCousinsToys)
        let constrained = StatisticalModel(legacyInput: input, options: FitOptions(fluxNormalisation: .gaussian(mean: 1, sigma: 0.1)))
        XCTAssertTrue(try constrained.beltConstruction(options: ModelFitOptions(), configuration: cfg) is ModelToys)
        var held = cfg
        held.resampleGlobalObservables = false
        let legacy = try constrained.beltConstruction(options: ModelFitOptions(), configuration: held)
        XCTAssertTrue(legacy is FeldmanCousinsToys)
        XCTAssertFalse(try legacy.belt(points: nil, progress: nil).resampleGlobalObservables)
        XCTAssertTrue(try ModelTestModels.general().beltConstruction(options: ModelFitOptions(), configuration: cfg) is ModelToys)
    }
}
