import Foundation
import NMMCore
@testable import NMMStatistics
import XCTest

/// Coverage of the model toy construction (statistics.md §4): pseudo-experiments drawn at a
/// true κ — counts AND global observables fluctuated around the truth — each analysed with
/// its own toy belt (global observables resampled, statistics.md §2); the 90% interval must
/// hold κ_true in 90% of them. κ_true is a grid point, so it is inside the interval iff
/// t_obs(κ_true) ≤ t_c(κ_true): only that grid point's toys are needed (`belt(points:)`).
///
/// Model: the default config's setup (TEXONO-like HPGe, 12–64 keV, here in 4-keV bins for
/// speed) with a ±10% flux normalisation on SM and MM and an ON-only background line (a
/// Gaussian at 46.5 keV, ²¹⁰Pb-like) whose normalisation is known to ±20%.
final class ModelCoverageTests: XCTestCase {
    struct Truth {
        var on: [Double], off: [Double]
    }

    static let onExposure = 1.06 * 4712 / 24, offExposure = 1.06 * 1250 / 24

    /// The model with the given counts and global observables; and the true means at κ.
    static func model(on: [Double]? = nil, off: [Double]? = nil, globals: [String: Double] = [:],
                      kappa: Double = 0) -> (model: StatisticalModel, truth: Truth) {
        let lo = (0..<13).map { 12 + 4 * Double($0) }, hi = lo.map { $0 + 4 }
        let centre = zip(lo, hi).map { 0.5 * ($0 + $1) }
        let bg = [Double](repeating: 1, count: 13)
        let sm = [Double](repeating: 1.4e-3, count: 13)
        let mm = centre.map { 2.88e-2 * 12 / $0 }
        // 0.06 counts/(kg·day) in a line of σ = 2 keV, per keV in each 4-keV bin.
        let line = zip(lo, hi).map { a, b in
            0.06 * (Distributions.gaussianP(b - 46.5, sigma: 2) - Distributions.gaussianP(a - 46.5, sigma: 2)) / 4
        }
        let truthOn = (0..<13).map { i in onExposure * 4 * (bg[i] + sm[i] + kappa * mm[i] + line[i]) }
        let truthOff = (0..<13).map { i in offExposure * 4 * bg[i] }
        let d = ModelDataSet(name: "default", energyLowKeV: lo, energyHighKeV: hi, onCounts: on ?? truthOn,
                             offCounts: off ?? truthOff, onExposureKgDay: onExposure, offExposureKgDay: offExposure,
                             samples: [ModelSample(name: "sm", role: .known, rate: sm, modifiers: ["flux"]),
                                       ModelSample(name: "mm", role: .signal, rate: mm, modifiers: ["flux"]),
                                       ModelSample(name: "line", role: .onOnly, rate: line, modifiers: ["lineNorm"])])
        return (StatisticalModel(dataSets: [d], modifiers: [.normalisation("flux", sigma: 0.1), .normalisation("lineNorm", sigma: 0.2)],
                                 globalObservables: globals), Truth(on: truthOn, off: truthOff))
    }

    /// Fraction of `experiments` pseudo-experiments at κ_true whose interval holds κ_true.
    static func coverage(kappaTrue: Double, statistic: ToyStatistic, experiments: Int, toys: Int, seed: UInt64,
                         threads: Int = 2) throws -> Double {
        let truth = model(kappa: kappaTrue).truth
        var covered = 0
        for e in 0..<experiments {
            let rng = try RandomGenerator(seed: SeedSequence.deriveSeed(master: seed, indices: [UInt64(e)]))
            let on = truth.on.map { Double(rng.poisson(mean: $0)) }, off = truth.off.map { Double(rng.poisson(mean: $0)) }
            let globals = ["flux": 1 + 0.1 * rng.gaussian(), "lineNorm": 1 + 0.2 * rng.gaussian()]
            let pe = model(on: on, off: off, globals: globals).model
            let cfg = ToyConfiguration(kappaGrid: [kappaTrue, kappaTrue + 1], toysPerPoint: toys,
                                       seed: SeedSequence.deriveSeed(master: seed, indices: [UInt64(e), 1]),
                                       statistic: statistic, threads: threads, toysPerBlock: 25)
            let belt = try ModelToys(model: pe, options: ModelFitOptions(residualErrors: .expected), configuration: cfg)
                .belt(points: 0..<1)
            if belt.observedValues[0] <= belt.criticalValues[0] { covered += 1 }
        }
        return Double(covered) / Double(experiments)
    }

    /// κ near the expected 90% limit of this setup: 1.645 σ_κ of the Asimov fit at κ = 0.
    static func expectedLimit() throws -> Double {
        1.645 * (try ModelFit(model: model().model, options: ModelFitOptions(statistic: .poisson)).run().kappaError)
    }

    /// Cheap (make test): 400 pseudo-experiments × 100 toys per case, ±2.5σ binomial (±0.037).
    func testCoverageCheap() throws {
        let limit = try Self.expectedLimit()
        let n = 400
        for statistic in ToyStatistic.allCases {
            for (k, kappaTrue) in [0.0, limit].enumerated() {
                let start = Date()
                let c = try Self.coverage(kappaTrue: kappaTrue, statistic: statistic, experiments: n, toys: 100,
                                          seed: 900 + UInt64(k) + (statistic == .chi2 ? 0 : 10))
                let sigma = (0.9 * 0.1 / Double(n)).squareRoot()
                print(String(format: "model coverage cheap %@ κ_true = %.3f: %.3f ± %.3f (%d pseudo-experiments × 100 toys, %.1f s)",
                             statistic.rawValue, kappaTrue, c, sigma, n, Date().timeIntervalSince(start)))
                // 100 toys: t_c is the 90th of 100 order statistics, so the expected coverage is 90/101.
                XCTAssertEqual(c, 90.0 / 101, accuracy: 2.5 * sigma, "\(statistic) κ_true = \(kappaTrue)")
            }
        }
    }

    /// Long (NMM_LONG_TESTS=1): 2500 pseudo-experiments × 400 toys per case, ±1.5% (= ±2.5σ
    /// binomial at 2500; at 1000 pseudo-experiments ±1.5% would be ±1.6σ and fail by chance).
    /// With 400 toys t_c is the 360th order statistic: expected coverage 360/401 = 0.898.
    func testCoverageLong() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["NMM_LONG_TESTS"] == "1", "set NMM_LONG_TESTS=1")
        let limit = try Self.expectedLimit()
        let n = 2500
        for statistic in ToyStatistic.allCases {
            for (k, kappaTrue) in [0.0, limit].enumerated() {
                let start = Date()
                let c = try Self.coverage(kappaTrue: kappaTrue, statistic: statistic, experiments: n, toys: 400,
                                          seed: 5000 + UInt64(k) + (statistic == .chi2 ? 0 : 10))
                print(String(format: "model coverage long %@ κ_true = %.3f: %.4f ± %.4f (%d × 400 toys, %.0f s)",
                             statistic.rawValue, kappaTrue, c, (0.09 / Double(n)).squareRoot(), n, Date().timeIntervalSince(start)))
                XCTAssertEqual(c, 360.0 / 401, accuracy: 0.015, "\(statistic) κ_true = \(kappaTrue)")
            }
        }
    }

    /// CPU cost of one toy (both statistics), printed for the record.
    func testToyCost() throws {
        let pe = Self.model(kappa: 1).model
        for statistic in ToyStatistic.allCases {
            let cfg = ToyConfiguration(kappaGrid: [0, 1], toysPerPoint: 400, seed: 1, statistic: statistic, threads: 1)
            let toys = try ModelToys(model: pe, configuration: cfg)
            var t0 = timespec(), t1 = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0)
            _ = try toys.belt(points: 1..<2)
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1)
            let s = Double(t1.tv_sec - t0.tv_sec) + 1e-9 * Double(t1.tv_nsec - t0.tv_nsec)
            print(String(format: "model toy cost %@: %.1f µs CPU per toy (13 bins, κ + 2 nuisances)", statistic.rawValue, 1e6 * s / 400))
        }
    }
}
