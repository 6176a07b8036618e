import Foundation
import NMMCore
@testable import NMMStages
@testable import NMMStatistics
import XCTest

/// The AVX2 loops of the Poisson kernel with nuisance parameters (`NuisancePoissonKernel`:
/// passes, deviance differences, Taylor sums, template dot products) give the t of its SSE2
/// Swift loops bit for bit.
extension ToyKernelsDispatchTests {
    /// How many toys and blocks of eight bins the comparison went through, by case.
    struct NuisanceCoverage {
        var toys = 0, nilResults = 0, toysWithZeros = 0
        var positiveBlocks = 0, negativeBlocks = 0, mixedBlocks = 0
    }

    /// Toys of the general test models (as `NuisanceFastPathTests` uses them: boundary κ̂,
    /// low counts) and of shipped configs' models, a third with a few counts set to 0, at the
    /// generation point's κ (shared first pass), at other κ of both signs (negative and
    /// mixed-sign signal) and on the same toy again (`sameToy`), and as grid scans: t, κ̂, the
    /// scans and the kernels' failure counts are the same bits on both paths.
    func testNuisancePoissonAVX2PathGivesTheSSE2TBitForBit() throws {
        try XCTSkipUnless(ToyKernelsDispatch.avx2Available, "this CPU has no AVX2")
        let models = try Self.nuisanceTestModels()
        var coverage = NuisanceCoverage()
        for (model, label) in models {
            try Self.compareNuisancePaths(model, label: label, coverage: &coverage)
        }
        print("compared \(coverage.toys) nuisance toys bit for bit (\(coverage.toysWithZeros) with zero counts, "
              + "\(coverage.nilResults) nil); signal blocks at the conditional points: \(coverage.positiveBlocks) s ≥ 0, "
              + "\(coverage.negativeBlocks) s < 0, \(coverage.mixedBlocks) mixed")
        XCTAssertGreaterThan(coverage.toysWithZeros, 100, "the fallback blocks are exercised")
        XCTAssertGreaterThan(coverage.negativeBlocks, 10, "the on-rate root is exercised")
        XCTAssertGreaterThan(coverage.mixedBlocks, 10, "the mixed-sign blocks are exercised")
    }

    private static func compareNuisancePaths(_ model: StatisticalModel, label: String, coverage: inout NuisanceCoverage) throws {
        var kernels: (sse: NuisancePoissonKernel, avx: NuisancePoissonKernel)?
        var rng = Xoshiro256StarStar(seed: 77)
        try eachNuisanceToy(model, statistic: .poisson, options: ModelFitOptions(statistic: .poisson), toysPerPoint: 40,
                            seed: 23, blockSeed: 300, label: label, rng: &rng, kernels: { compiled in
            let pair = (sse: NuisancePoissonKernel(try XCTUnwrap(NuisanceBlockModel(compiled)), simd: .sse2),
                        avx: NuisancePoissonKernel(try XCTUnwrap(NuisanceBlockModel(compiled)), simd: .avx2))
            XCTAssertEqual(pair.sse.simd, .sse2)
            XCTAssertEqual(pair.avx.simd, .avx2)
            kernels = pair
            return pair.sse.model.paddedBins
        }) { toy, rng in
            guard let (sse, avx) = kernels else { return }
            let (n, m, g, s, at) = (toy.n, toy.m, toy.rows.globals, toy.rows.start, toy.at)
            if toy.hasZeros { coverage.toysWithZeros += 1 }
            for (k, kappa) in toy.kappas.enumerated() {
                let a = sse.tValue(kappa: kappa, on: n, off: m, globals: g, start: s, sameToy: k > 0)
                let b = avx.tValue(kappa: kappa, on: n, off: m, globals: g, start: s, sameToy: k > 0)
                XCTAssertEqual(a?.bitPattern, b?.bitPattern, "\(at) κ = \(kappa): \(String(describing: a)) vs \(String(describing: b))")
                XCTAssertEqual(sse.kappaHat.bitPattern, avx.kappaHat.bitPattern, "\(at) κ = \(kappa): κ̂")
                if a == nil { coverage.nilResults += 1 }
                countSignalBlocks(sse.model, start: s, kappa: kappa, &coverage)
                coverage.toys += 1
            }
            let (p, q) = nearbyPoints(s, sse.model.parameterCount, &rng)
            let ca = sse.componentsForTesting(p, q, n, m), cb = avx.componentsForTesting(p, q, n, m)
            XCTAssertEqual(ca.map(\.bitPattern), cb.map(\.bitPattern), "\(at): components at p = \(p), q = \(q)")
            // Fresh fits at a κ off the generation point (no shared first pass), and grid scans.
            let a = sse.tValue(kappa: toy.kappas.last!, on: n, off: m, globals: g, start: s)
            let b = avx.tValue(kappa: toy.kappas.last!, on: n, off: m, globals: g, start: s)
            XCTAssertEqual(a?.bitPattern, b?.bitPattern, "\(at) fresh at κ = \(toy.kappas.last!)")
            var scanSSE = [Double](repeating: 0, count: toy.grid.count), scanAVX = scanSSE
            let okSSE = scanSSE.withUnsafeMutableBufferPointer {
                sse.tValues(toy.grid, on: n, off: m, globals: g, start: s, into: $0.baseAddress!)
            }
            let okAVX = scanAVX.withUnsafeMutableBufferPointer {
                avx.tValues(toy.grid, on: n, off: m, globals: g, start: s, into: $0.baseAddress!)
            }
            XCTAssertEqual(okSSE, okAVX, "\(at) scan settled")
            if okSSE && okAVX { XCTAssertEqual(scanSSE.map(\.bitPattern), scanAVX.map(\.bitPattern), "\(at) scan") }
        }
        if let (sse, avx) = kernels { XCTAssertEqual(sse.failures, avx.failures, "\(label): failure counts") }
    }

    /// Counts the blocks of eight bins by the sign of the signal at (start with κ).
    private static func countSignalBlocks(_ model: NuisanceBlockModel, start: UnsafePointer<Double>, kappa: Double,
                                          _ coverage: inout NuisanceCoverage) {
        var p = (0..<model.parameterCount).map { start[$0] }
        p[0] = kappa
        var coef = [Double](repeating: 0, count: model.templateCount)
        coef.withUnsafeMutableBufferPointer { model.coefficients(p, into: $0.baseAddress!) }
        for i in stride(from: 0, to: model.paddedBins, by: 8) {
            let s = coef.withUnsafeBufferPointer { model.signal($0.baseAddress!, i) }
            let positive = s .>= SIMD8(repeating: 0)
            if all(positive) { coverage.positiveBlocks += 1 } else if !any(positive) { coverage.negativeBlocks += 1 } else { coverage.mixedBlocks += 1 }
        }
    }
}

extension ToyKernelsDispatchTests {
    /// One toy of an AVX2 comparison: its rows (global observables, generation point), its counts
    /// in `n`, `m` (padded; three emptied in every third toy), the κ to compare (the generation
    /// point's first, then the grid and two negative κ) and the grid.
    struct NuisanceToy {
        let rows: (on: UnsafePointer<Double>, off: UnsafePointer<Double>, globals: UnsafePointer<Double>,
                   start: UnsafePointer<Double>)
        let n, m: UnsafeMutablePointer<Double>
        let hasZeros: Bool
        let kappas, grid: [Double]
        let at: String
    }

    /// Draws `toysPerPoint` toys at each of three grid points of `model` and hands each to `body`;
    /// `kernels` gets the compiled model first and returns the kernels' padded bin count.
    static func eachNuisanceToy(_ model: StatisticalModel, statistic: ToyStatistic, options: ModelFitOptions,
                                toysPerPoint: Int, seed: UInt64, blockSeed: UInt64, label: String,
                                rng: inout Xoshiro256StarStar, kernels: (CompiledModel) throws -> Int,
                                _ body: (NuisanceToy, inout Xoshiro256StarStar) throws -> Void) throws {
        let grid = try ToyBenchmark.grid(model: model, options: options, gridPoints: 3)
        let cfg = ToyConfiguration(kappaGrid: grid, toysPerPoint: toysPerPoint, seed: seed, statistic: statistic,
                                   toysPerBlock: toysPerPoint)
        let toys = try ModelToys(model: model, options: options, configuration: cfg)
        let worker = try ModelToyWorker(toys.compiled, statistic: statistic.method, options: options, sampler: .table,
                                        blockSize: toysPerPoint, resample: true, gridPoints: grid.count)
        let np = try kernels(toys.compiled), nb = toys.compiled.binCount
        XCTAssertEqual(worker.stride, np)
        let n = PaddedRows.allocate(np), m = PaddedRows.allocate(np)
        defer { PaddedRows.deallocate(n); PaddedRows.deallocate(m) }
        let top = grid.max() ?? 1
        for (j, g) in try toys.generationPoints(grid).enumerated() {
            worker.generate(g, key: j, seed: blockSeed + UInt64(j), count: toysPerPoint)
            for t in 0..<toysPerPoint {
                let rows = worker.toyRows(t)
                for i in 0..<np { n[i] = rows.on[i]; m[i] = rows.off[i] }
                if t % 3 == 1 {
                    for _ in 0..<3 {
                        let i = Int(rng.next() % UInt64(nb))
                        if rng.next() & 1 == 0 { n[i] = 0 } else { m[i] = 0 }
                    }
                }
                let zeros = (0..<nb).contains(where: { n[$0] == 0 || m[$0] == 0 })
                try body(NuisanceToy(rows: rows, n: n, m: m, hasZeros: zeros, kappas: [grid[j]] + grid + [-0.3 * top, -3 * top],
                                     grid: grid, at: "\(label) point \(j) toy \(t)"), &rng)
            }
        }
    }

    /// Two points near `start` (each parameter moved by up to ±2.5%, κ also by ±0.025), κ of
    /// either sign: where the kernels' components are compared.
    static func nearbyPoints(_ start: UnsafePointer<Double>, _ count: Int,
                             _ rng: inout Xoshiro256StarStar) -> ([Double], [Double]) {
        func moved(_ rng: inout Xoshiro256StarStar) -> [Double] {
            (0..<count).map { start[$0] * (1 + 0.05 * (rng.uniform() - 0.5)) + ($0 == 0 ? 0.05 * (rng.uniform() - 0.5) : 0) }
        }
        var p = moved(&rng), q = moved(&rng)
        if rng.next() & 1 == 0 { p[0] = -p[0]; q[0] = -q[0] }
        return (p, q)
    }

    /// The models both AVX2 comparisons run: the general test model (also with κ̂ at the
    /// boundary and at 1% of its counts, as `NuisanceFastPathTests` uses them), the default with
    /// flux ±10% and a flat background, TEXONO 2007 and MUNU 2005.
    static func nuisanceTestModels() throws -> [(StatisticalModel, String)] {
        var boundary = try ModelTestModels.general(seed: 9, kappa: 0)
        boundary.globalObservables["eff"] = 0.05
        var low = try ModelTestModels.general(seed: 3, kappa: 0.5)
        for d in low.dataSets.indices {
            low.dataSets[d].onExposureKgDay *= 0.01
            low.dataSets[d].offExposureKgDay *= 0.01
            low.dataSets[d].onCounts = low.dataSets[d].onCounts.map { ($0 * 0.01).rounded(.down) }
            low.dataSets[d].offCounts = low.dataSets[d].offCounts.map { ($0 * 0.01).rounded(.down) }
        }
        return [
            (try ModelTestModels.general(), "general"),
            (boundary, "general, κ̂ boundary"),
            (low, "general, low counts"),
            (try NuisanceFastPathTests.defaultWithFluxAndFlat(), "default + flux + flat"),
            (try ShippedCoverageTests.setup("texono2007").model, "texono2007"),
            (try ShippedCoverageTests.setup("munu2005").model, "munu2005"),
            (try ModelTestModels.combination(), "combination"),
        ]
    }
}
