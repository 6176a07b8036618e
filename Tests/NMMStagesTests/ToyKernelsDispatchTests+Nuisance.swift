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
        var boundary = try ModelTestModels.general(seed: 9, kappa: 0)
        boundary.globalObservables["eff"] = 0.05
        var low = try ModelTestModels.general(seed: 3, kappa: 0.5)
        for d in low.dataSets.indices {
            low.dataSets[d].onExposureKgDay *= 0.01
            low.dataSets[d].offExposureKgDay *= 0.01
            low.dataSets[d].onCounts = low.dataSets[d].onCounts.map { ($0 * 0.01).rounded(.down) }
            low.dataSets[d].offCounts = low.dataSets[d].offCounts.map { ($0 * 0.01).rounded(.down) }
        }
        let models: [(StatisticalModel, String)] = [
            (try ModelTestModels.general(), "general"),
            (boundary, "general, κ̂ boundary"),
            (low, "general, low counts"),
            (try NuisanceFastPathTests.defaultWithFluxAndFlat(), "default + flux + flat"),
            (try ShippedCoverageTests.setup("texono2007").model, "texono2007"),
            (try ShippedCoverageTests.setup("munu2005").model, "munu2005"),
        ]
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
        let options = ModelFitOptions(statistic: .poisson)
        let grid = try ToyBenchmark.grid(model: model, options: options, gridPoints: 3)
        let toysPerPoint = 40
        let cfg = ToyConfiguration(kappaGrid: grid, toysPerPoint: toysPerPoint, seed: 23, statistic: .poisson,
                                   toysPerBlock: toysPerPoint)
        let toys = try ModelToys(model: model, options: options, configuration: cfg)
        let worker = try ModelToyWorker(toys.compiled, statistic: .poisson, options: options, sampler: .table,
                                        blockSize: toysPerPoint, resample: true, gridPoints: grid.count)
        let sseModel = try XCTUnwrap(NuisanceBlockModel(toys.compiled)), avxModel = try XCTUnwrap(NuisanceBlockModel(toys.compiled))
        let sse = NuisancePoissonKernel(sseModel, simd: .sse2), avx = NuisancePoissonKernel(avxModel, simd: .avx2)
        XCTAssertEqual(sse.simd, .sse2)
        XCTAssertEqual(avx.simd, .avx2)
        let np = sseModel.paddedBins, nb = sseModel.binCount
        XCTAssertEqual(worker.stride, np)
        let n = PaddedRows.allocate(np), m = PaddedRows.allocate(np)
        defer { PaddedRows.deallocate(n); PaddedRows.deallocate(m) }
        var scanSSE = [Double](repeating: 0, count: grid.count), scanAVX = scanSSE
        var rng = Xoshiro256StarStar(seed: 77)
        // Conditional κ: the generation point's, others on the grid, and negative ones (s < 0).
        let top = grid.max() ?? 1
        let kappas = grid + [-0.3 * top, -3 * top]
        for (j, g) in try toys.generationPoints(grid).enumerated() {
            worker.generate(g, key: j, seed: UInt64(300 + j), count: toysPerPoint)
            for t in 0..<toysPerPoint {
                let rows = worker.toyRows(t)
                for i in 0..<np { n[i] = rows.on[i]; m[i] = rows.off[i] }
                if t % 3 == 1 {
                    for _ in 0..<3 {
                        let i = Int(rng.next() % UInt64(nb))
                        if rng.next() & 1 == 0 { n[i] = 0 } else { m[i] = 0 }
                    }
                }
                if (0..<nb).contains(where: { n[$0] == 0 || m[$0] == 0 }) { coverage.toysWithZeros += 1 }
                let at = "\(label) point \(j) toy \(t)"
                for (k, kappa) in ([grid[j]] + kappas).enumerated() {
                    let same = k > 0
                    let a = sse.tValue(kappa: kappa, on: n, off: m, globals: rows.globals, start: rows.start, sameToy: same)
                    let b = avx.tValue(kappa: kappa, on: n, off: m, globals: rows.globals, start: rows.start, sameToy: same)
                    XCTAssertEqual(a?.bitPattern, b?.bitPattern, "\(at) κ = \(kappa): \(String(describing: a)) vs \(String(describing: b))")
                    XCTAssertEqual(sse.kappaHat.bitPattern, avx.kappaHat.bitPattern, "\(at) κ = \(kappa): κ̂")
                    if a == nil { coverage.nilResults += 1 }
                    countSignalBlocks(sseModel, start: rows.start, kappa: kappa, &coverage)
                    coverage.toys += 1
                }
                componentsAgree(sse, avx, rows.start, n, m, &rng, at)
                // Fresh fits at a κ off the generation point (no shared first pass).
                let a = sse.tValue(kappa: kappas.last!, on: n, off: m, globals: rows.globals, start: rows.start)
                let b = avx.tValue(kappa: kappas.last!, on: n, off: m, globals: rows.globals, start: rows.start)
                XCTAssertEqual(a?.bitPattern, b?.bitPattern, "\(at) fresh at κ = \(kappas.last!)")
                let okSSE = scanSSE.withUnsafeMutableBufferPointer {
                    sse.tValues(grid, on: n, off: m, globals: rows.globals, start: rows.start, into: $0.baseAddress!)
                }
                let okAVX = scanAVX.withUnsafeMutableBufferPointer {
                    avx.tValues(grid, on: n, off: m, globals: rows.globals, start: rows.start, into: $0.baseAddress!)
                }
                XCTAssertEqual(okSSE, okAVX, "\(at) scan settled")
                if okSSE && okAVX { XCTAssertEqual(scanSSE.map(\.bitPattern), scanAVX.map(\.bitPattern), "\(at) scan") }
            }
        }
        XCTAssertEqual(sse.failures, avx.failures, "\(label): failure counts")
    }

    /// Passes at the generation point moved by a few percent and at a point near it (κ of either
    /// sign): rows, template sums, deviance difference and Taylor sum, bit for bit (t alone hides
    /// most 1-ulp differences of D‴ and of the Taylor sum, which only add ~1e-11).
    private static func componentsAgree(_ sse: NuisancePoissonKernel, _ avx: NuisancePoissonKernel,
                                        _ start: UnsafePointer<Double>, _ n: UnsafePointer<Double>,
                                        _ m: UnsafePointer<Double>, _ rng: inout Xoshiro256StarStar, _ at: String) {
        let count = sse.model.parameterCount
        func moved(_ scale: Double, _ rng: inout Xoshiro256StarStar) -> [Double] {
            (0..<count).map { start[$0] * (1 + scale * (rng.uniform() - 0.5)) + ($0 == 0 ? scale * (rng.uniform() - 0.5) : 0) }
        }
        var p = moved(0.05, &rng), q = moved(0.05, &rng)
        if rng.next() & 1 == 0 { p[0] = -p[0]; q[0] = -q[0] }
        let a = sse.componentsForTesting(p, q, n, m), b = avx.componentsForTesting(p, q, n, m)
        XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "\(at): components at p = \(p), q = \(q)")
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
