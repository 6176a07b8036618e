import Foundation
import NMMCore
@testable import NMMStages
@testable import NMMStatistics
import XCTest

/// The nuisance fast path of the model toys (issue 17: `NuisanceBlockKernel`) against the
/// general profiler (`ModelProfiler`), which stays the reference: toy by toy, t(κ) agrees to
/// 1e-10 on the model of every shipped config with nuisances (and the default config with a
/// ±10% flux normalisation and a flat ON-only background), for both statistics, and on edge
/// cases (κ̂ at the boundary, a log-normal nuisance pressed to its limit, zero counts). The
/// kernel must settle nearly every toy itself (else it is no fast path). No timing here.
final class NuisanceFastPathTests: XCTestCase {
    /// |t_fast − t_general| allowed (absolute; t is O(1–10)).
    static let tolerance = 1e-10

    struct Comparison {
        var toys = 0
        var settled = 0
        var maxDifference = 0.0
        var worst = ""
    }

    /// Toys of `model` at `points` grid points through the kernel and through the profiler, on
    /// the same draws (counts and global observables).
    static func compare(_ model: StatisticalModel, statistic: ToyStatistic, rule: ResidualErrorRule = .expected,
                        points: Int = 4, toysPerPoint: Int = 60, seed: UInt64 = 17, scan: Bool = false,
                        grid fixedGrid: [Double]? = nil, label: String) throws -> Comparison {
        let options = ModelFitOptions(statistic: statistic.method, residualErrors: rule)
        let grid = try fixedGrid ?? ToyBenchmark.grid(model: model, options: options, gridPoints: points)
        let cfg = ToyConfiguration(kappaGrid: grid, toysPerPoint: toysPerPoint, seed: seed, statistic: statistic,
                                   toysPerBlock: toysPerPoint)
        let toys = try ModelToys(model: model, options: options, configuration: cfg)
        let gens = try toys.generationPoints(grid)
        let worker = try ModelToyWorker(toys.compiled, statistic: statistic.method, options: options, sampler: .table,
                                        blockSize: toysPerPoint, resample: true, gridPoints: grid.count)
        XCTAssertNotNil(worker.kernel, "\(label): the kernel covers this model")
        var c = Comparison()
        for (j, g) in gens.enumerated() {
            worker.generate(g, key: j, seed: SeedSequence.deriveSeed(master: seed, indices: [UInt64(j), 0]), count: toysPerPoint)
            for t in 0..<toysPerPoint {
                c.toys += 1
                if scan {
                    guard let general = worker.profilerTValues(t, grid) else { continue }
                    guard let fast = worker.kernelTValues(t, grid) else { continue }
                    c.settled += 1
                    for (a, b) in zip(fast, general) where abs(a - b) > c.maxDifference {
                        c.maxDifference = abs(a - b)
                        c.worst = "scan toy \(t) of point \(j): \(a) vs \(b)"
                    }
                } else {
                    guard let general = worker.profilerTValue(t, atKappa: grid[j]) else { continue }
                    guard let fast = worker.kernelTValue(t, atKappa: grid[j]) else { continue }
                    c.settled += 1
                    if abs(fast - general) > c.maxDifference {
                        c.maxDifference = abs(fast - general)
                        c.worst = "toy \(t) at κ_\(j) = \(grid[j]): \(fast) vs \(general)"
                    }
                }
            }
        }
        var why = ""
        if case .poisson(let k) = worker.kernel?.kernel { why = " Poisson failures [cap, step, domain, NaN] \(k.failures)" }
        print("\(label) \(statistic): \(c.settled)/\(c.toys) toys settled by the kernel, max |Δt| \(c.maxDifference) (\(c.worst))" + why)
        return c
    }

    static func check(_ c: Comparison, label: String, minSettled: Double = 0.95) {
        XCTAssertGreaterThan(c.toys, 0)
        XCTAssertGreaterThanOrEqual(Double(c.settled), minSettled * Double(c.toys), "\(label): kernel settled \(c.settled)/\(c.toys)")
        XCTAssertLessThanOrEqual(c.maxDifference, tolerance, "\(label): \(c.worst)")
    }

    /// The default config's model with a ±10% flux normalisation on SM and MM and a flat ON-only
    /// background with a free amplitude (what `fit.fluxNormalisationSigma: 0.1`, `fit.background:
    /// flat` build).
    static func defaultWithFluxAndFlat() throws -> StatisticalModel {
        var m = try ShippedCoverageTests.setup("default").model
        m.modifiers += [.normalisation(FitParameter.fluxNorm.rawValue, sigma: 0.1),
                        ModelModifier(name: FitParameter.backgroundConstant.rawValue, kind: .normalisation, constraint: .free)]
        for d in m.dataSets.indices {
            for s in m.dataSets[d].samples.indices where m.dataSets[d].samples[s].role != .onOnly {
                m.dataSets[d].samples[s].modifiers.append(FitParameter.fluxNorm.rawValue)
            }
            m.dataSets[d].samples.append(ModelSample(name: StatisticalModel.SampleName.flat, role: .onOnly,
                                                     rate: [Double](repeating: 1, count: m.dataSets[d].binCount),
                                                     modifiers: [FitParameter.backgroundConstant.rawValue]))
        }
        try m.validate()
        return m
    }

    /// Every shipped config with nuisances (or a model the legacy kernels do not take), both
    /// statistics, the config's χ² variance rule.
    func testAgreesWithProfilerOnShippedConfigs() throws {
        let long = ProcessInfo.processInfo.environment["NMM_LONG_TESTS"] == "1"
        // The combination builds its member's whole pipeline (a toy belt): long tests only.
        let names = long ? ["texono2003", "texono2007", "munu2005", "conus-plus", "mammont", "events", "reactor-combination"]
                         : ["texono2003", "munu2005"]
        for name in names {
            let s = try ShippedCoverageTests.setup(name)
            for statistic in ToyStatistic.allCases {
                let c = try Self.compare(s.model, statistic: statistic, rule: s.config.fitResidualErrors,
                                         toysPerPoint: long ? 200 : 40, label: name)
                Self.check(c, label: "\(name) \(statistic)")
            }
        }
        // A combination whose first data set has no nuisance: the fits at fixed κ pass over the
        // second set's blocks only.
        let combination = try ModelTestModels.combination()
        let blocks = try XCTUnwrap(NuisanceBlockModel(try CompiledModel(combination)))
        XCTAssertGreaterThan(blocks.fixedLayout.blockStart, 0, "the combination's first blocks stay put at fixed κ")
        XCTAssertEqual(blocks.freeLayout.blockStart, 0)
        for statistic in ToyStatistic.allCases {
            let c = try Self.compare(combination, statistic: statistic, toysPerPoint: long ? 200 : 60, label: "combination")
            Self.check(c, label: "combination \(statistic)")
        }
        let m = try Self.defaultWithFluxAndFlat()
        for statistic in ToyStatistic.allCases {
            for rule in statistic == .chi2 ? [ResidualErrorRule.expected, .pooled, .observedCounts] : [.expected] {
                let c = try Self.compare(m, statistic: statistic, rule: rule, toysPerPoint: long ? 300 : 60,
                                         label: "default + flux ±10% + flat (\(rule))")
                Self.check(c, label: "default + flux + flat \(statistic) \(rule)")
            }
        }
    }

    /// The general test model (two data sets, shared flux, log-normal efficiency, a shape, a free
    /// line, a fixed modifier): belts and grid scans (the sensitivity's pseudo-experiments).
    func testAgreesWithProfilerOnGeneralModel() throws {
        let m = try ModelTestModels.general()
        for statistic in ToyStatistic.allCases {
            Self.check(try Self.compare(m, statistic: statistic, label: "general"), label: "general \(statistic)")
            Self.check(try Self.compare(m, statistic: statistic, points: 3, toysPerPoint: 20, scan: true, label: "general scan"),
                       label: "general scan \(statistic)")
        }
    }

    /// Edge cases: κ̂ < 0 (toys at κ = 0 with the signal pulled down: the κ = 0 refit), a
    /// log-normal efficiency whose observed global observable sits far below 1 (the fit presses
    /// it towards 0), and counts so low that most bins have a zero (the kernels' per-bin fallback).
    func testEdgeCases() throws {
        var boundary = try ModelTestModels.general(seed: 9, kappa: 0)
        boundary.globalObservables["eff"] = 0.05
        for statistic in ToyStatistic.allCases {
            let c = try Self.compare(boundary, statistic: statistic, points: 2, toysPerPoint: 80, label: "κ̂ boundary, eff at 0.05")
            Self.check(c, label: "boundary \(statistic)")
        }
        // Counts scaled to a few per bin (some toys have empty bins: the kernels' per-bin fallback),
        // and to a fraction of a count (most bins empty: the profiled deviance has kinks where a
        // background or an ON mean reaches 0, so most toys go to the general profiler, whose
        // simplex handles them; those the kernel settles must still agree).
        for (scale, minSettled) in [(0.01, 0.8), (0.001, 0.0)] {
            var low = try ModelTestModels.general(seed: 3, kappa: 0.5)
            for d in low.dataSets.indices {
                low.dataSets[d].onExposureKgDay *= scale
                low.dataSets[d].offExposureKgDay *= scale
                low.dataSets[d].onCounts = low.dataSets[d].onCounts.map { ($0 * scale).rounded(.down) }
                low.dataSets[d].offCounts = low.dataSets[d].offCounts.map { ($0 * scale).rounded(.down) }
            }
            for statistic in ToyStatistic.allCases {
                let c = try Self.compare(low, statistic: statistic, toysPerPoint: 60, grid: [0, 20 * 0.001 / scale, 60 * 0.001 / scale],
                                         label: "low counts ×\(scale)")
                Self.check(c, label: "low counts ×\(scale) \(statistic)", minSettled: minSettled)
                XCTAssertGreaterThan(c.settled, 0)
            }
        }
    }

    /// The kernel on one hand-made toy at the boundary: κ̂ < 0 by construction (ON below OFF
    /// where the signal lives), t from the κ = 0 refit, equal to the profiler's.
    func testNegativeKappaHatToy() throws {
        let m = try ModelTestModels.general(seed: 5, kappa: 0)
        let compiled = try CompiledModel(m)
        for statistic in [FitMethod.chi2, .poisson] {
            let profiler = ModelProfiler(compiled, statistic: statistic, rule: .pooled)
            profiler.loadObserved()
            guard let kernel = NuisanceBlockKernel(compiled, statistic: statistic, rule: .pooled, maxIterations: nil) else {
                return XCTFail("kernel")
            }
            let nb = compiled.binCount, np = kernel.paddedBins
            var on = [Double](repeating: 1, count: np), off = on
            for i in 0..<nb {
                on[i] = (compiled.onCounts[i] * 0.9).rounded()
                off[i] = compiled.offCounts[i]
            }
            profiler.evaluator.load(on: Array(on[0..<nb]), off: Array(off[0..<nb]), globals: compiled.globalObservables)
            profiler.start = compiled.startValues
            profiler.reset()
            guard let best = profiler.bestFitKappa() else { return XCTFail("fit") }
            XCTAssertLessThan(best.kappa, 0, "the toy has κ̂ < 0")
            for kappa in [0.0, 0.5, 2.0] {
                let general = try XCTUnwrap(profiler.tValue(atKappa: kappa))
                let fast = try XCTUnwrap(on.withUnsafeBufferPointer { n in off.withUnsafeBufferPointer { o in
                    compiled.globalObservables.withUnsafeBufferPointer { g in compiled.startValues.withUnsafeBufferPointer { s in
                        kernel.tValue(kappa: kappa, on: n.baseAddress!, off: o.baseAddress!, globals: g.baseAddress!,
                                      start: s.baseAddress!)
                    } }
                } })
                XCTAssertEqual(fast, general, accuracy: Self.tolerance, "\(statistic) κ = \(kappa)")
                if kappa == 0 { XCTAssertEqual(general, 0, accuracy: 1e-9, "t(0) = 0 when κ̂ < 0") }
            }
        }
    }

    /// Belts through `ModelToys` are the same with the fast path on and off (t_c to ~1e-10) and
    /// stay independent of the thread count (bit for bit).
    func testBeltMatchesGeneralPathAndThreads() throws {
        let m = try ModelTestModels.general()
        for statistic in ToyStatistic.allCases {
            let grid = KappaGrid(min: 0, max: 3, points: 4).values
            var belts: [ToyBelt] = []
            for (threads, fast) in [(1, true), (2, true), (2, false)] {
                let cfg = ToyConfiguration(kappaGrid: grid, toysPerPoint: 50, seed: 8, statistic: statistic, threads: threads,
                                           toysPerBlock: 20)
                var toys = try ModelToys(model: m, configuration: cfg)
                toys.nuisanceFastPath = fast
                belts.append(try toys.belt())
            }
            XCTAssertEqual(belts[0], belts[1], "\(statistic): 1 and 2 threads")
            for j in grid.indices {
                XCTAssertEqual(belts[0].criticalValues[j], belts[2].criticalValues[j], accuracy: 1e-9, "\(statistic) κ_\(j)")
            }
        }
    }

    /// The benchmark's models: the κ-only counterpart is legacy-shaped (the κ-only kernels run
    /// it) and the synthetic model has N normalisation nuisances the kernel covers.
    func testBenchmarkModels() throws {
        let m = try Self.defaultWithFluxAndFlat()
        let k = ToyBenchmark.kappaOnlyCounterpart(m)
        XCTAssertTrue(k.modifiers.isEmpty)
        XCTAssertNotNil(k.legacyForm(statistic: .poisson))
        for n in [1, 3, 10] {
            let s = try ToyBenchmark.normalisationModel(m, count: n)
            XCTAssertEqual(s.modifiers.count, n)
            XCTAssertEqual(s.dataSets[0].samples.filter { $0.role == .known }.count, n)
            let c = try Self.compare(s, statistic: .poisson, points: 2, toysPerPoint: 20, label: "N = \(n)")
            Self.check(c, label: "N = \(n)")
        }
    }
}

extension NuisanceFastPathTests {
    /// The kernels' SIMD logarithm (used for far-apart means in the deviance difference) against
    /// `log` over 40 decades: within 4 ulp of the result (absolute 1e-15 near x = 1).
    func testVectorLogAgreesWithLog() throws {
        var x = 1e-20, worst = 0.0
        while x < 1e20 {
            var v = SIMD8<Double>()
            for l in 0..<8 { v[l] = x * (1 + 0.37 * Double(l)) }
            let r = NuisanceVectorMath.log(v)
            for l in 0..<8 {
                let exact = log(v[l])
                let err = abs(r[l] - exact) / max(abs(exact), 1)
                worst = max(worst, err)
                XCTAssertLessThanOrEqual(abs(r[l] - exact), 4 * exact.ulp + 1e-15, "ln \(v[l])")
            }
            x *= 1.7
        }
        print("NuisanceVectorMath.log: worst relative error \(worst)")
    }
}
