import Foundation
import NMMCore
@testable import NMMStages
@testable import NMMStatistics
import XCTest

/// The AVX2 pass of the χ² kernel with nuisance parameters (`NuisanceChiSquareKernel`: weights
/// by each variance rule, the `expected` rule's known rate, the weight change, Y and G) gives the
/// t of its SSE2 Swift pass bit for bit.
extension ToyKernelsDispatchTests {
    /// Toys of the models of `testNuisancePoissonAVX2PathGivesTheSSE2TBitForBit` (general,
    /// κ̂ boundary, low counts, default + flux + flat, texono2007, munu2005), a third with a few
    /// counts set to 0, under each variance rule: t at the generation point's κ and at others of
    /// both signs (`sameToy`), fresh fits, grid scans, κ̂ and the pass's rows and sums, the same
    /// bits on both paths.
    func testNuisanceChiSquareAVX2PathGivesTheSSE2TBitForBit() throws {
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
        var toys = 0, nilResults = 0, toysWithZeros = 0, reweighted = 0, knownTemplates: [Int] = []
        for (model, label) in models {
            for rule in [ResidualErrorRule.expected, .pooled, .observedCounts] {
                let c = try Self.compareChiSquarePaths(model, rule: rule, label: "\(label) (\(rule))")
                toys += c.toys; nilResults += c.nilResults; toysWithZeros += c.toysWithZeros
                if rule == .expected && c.knownRateDependsOnFit { reweighted += c.toys }
                if rule == .expected { knownTemplates.append(c.knownTemplates) }
            }
        }
        print("compared \(toys) χ² nuisance toy evaluations bit for bit (\(toysWithZeros) toys with zero counts, "
              + "\(nilResults) nil, \(reweighted) with the expected rule's reweighting rounds; known-rate templates per model "
              + "\(knownTemplates))")
        XCTAssertGreaterThan(toysWithZeros, 100, "zero counts (the floors of one count) are exercised")
        XCTAssertGreaterThan(reweighted, 100, "the weight change is exercised")
    }

    struct ChiSquareCoverage {
        var toys = 0, nilResults = 0, toysWithZeros = 0
        var knownRateDependsOnFit = false
        var knownTemplates = 0
    }

    private static func compareChiSquarePaths(_ model: StatisticalModel, rule: ResidualErrorRule,
                                              label: String) throws -> ChiSquareCoverage {
        let options = ModelFitOptions(statistic: .chi2, residualErrors: rule)
        let grid = try ToyBenchmark.grid(model: model, options: options, gridPoints: 3)
        let toysPerPoint = 30
        let cfg = ToyConfiguration(kappaGrid: grid, toysPerPoint: toysPerPoint, seed: 29, statistic: .chi2,
                                   toysPerBlock: toysPerPoint)
        let toys = try ModelToys(model: model, options: options, configuration: cfg)
        let worker = try ModelToyWorker(toys.compiled, statistic: .chi2, options: options, sampler: .table,
                                        blockSize: toysPerPoint, resample: true, gridPoints: grid.count)
        let sseModel = try XCTUnwrap(NuisanceBlockModel(toys.compiled)), avxModel = try XCTUnwrap(NuisanceBlockModel(toys.compiled))
        let sse = NuisanceChiSquareKernel(sseModel, rule: rule, maxIterations: 200, simd: .sse2)
        let avx = NuisanceChiSquareKernel(avxModel, rule: rule, maxIterations: 200, simd: .avx2)
        XCTAssertEqual(sse.simd, .sse2)
        XCTAssertEqual(avx.simd, .avx2)
        var coverage = ChiSquareCoverage(knownRateDependsOnFit: sseModel.knownRateDependsOnFit,
                                         knownTemplates: (0..<sseModel.templateCount).filter { sseModel.isKnown[$0] }.count)
        let np = sseModel.paddedBins, nb = sseModel.binCount, npar = sseModel.parameterCount
        XCTAssertEqual(worker.stride, np)
        let n = PaddedRows.allocate(np), m = PaddedRows.allocate(np)
        let physSSE = PaddedRows.allocate(npar), physAVX = PaddedRows.allocate(npar)
        defer { for p in [n, m, physSSE, physAVX] { PaddedRows.deallocate(p) } }
        var scanSSE = [Double](repeating: 0, count: grid.count), scanAVX = scanSSE
        var rng = Xoshiro256StarStar(seed: 79)
        let top = grid.max() ?? 1
        let kappas = grid + [-0.3 * top, -3 * top]
        for (j, g) in try toys.generationPoints(grid).enumerated() {
            worker.generate(g, key: j, seed: UInt64(400 + j), count: toysPerPoint)
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
                    let a = sse.tValue(kappa: kappa, on: n, off: m, globals: rows.globals, start: rows.start,
                                       physical: physSSE, sameToy: same)
                    let b = avx.tValue(kappa: kappa, on: n, off: m, globals: rows.globals, start: rows.start,
                                       physical: physAVX, sameToy: same)
                    XCTAssertEqual(a?.bitPattern, b?.bitPattern, "\(at) κ = \(kappa): \(String(describing: a)) vs \(String(describing: b))")
                    XCTAssertEqual(sse.kappaHat.bitPattern, avx.kappaHat.bitPattern, "\(at) κ = \(kappa): κ̂")
                    if a == nil { coverage.nilResults += 1 }
                    coverage.toys += 1
                }
                let a = sse.tValue(kappa: kappas.last!, on: n, off: m, globals: rows.globals, start: rows.start, physical: physSSE)
                let b = avx.tValue(kappa: kappas.last!, on: n, off: m, globals: rows.globals, start: rows.start, physical: physAVX)
                XCTAssertEqual(a?.bitPattern, b?.bitPattern, "\(at) fresh at κ = \(kappas.last!)")
                let okSSE = scanSSE.withUnsafeMutableBufferPointer {
                    sse.tValues(grid, on: n, off: m, globals: rows.globals, start: rows.start, physical: physSSE,
                                into: $0.baseAddress!)
                }
                let okAVX = scanAVX.withUnsafeMutableBufferPointer {
                    avx.tValues(grid, on: n, off: m, globals: rows.globals, start: rows.start, physical: physAVX,
                                into: $0.baseAddress!)
                }
                XCTAssertEqual(okSSE, okAVX, "\(at) scan settled")
                if okSSE && okAVX { XCTAssertEqual(scanSSE.map(\.bitPattern), scanAVX.map(\.bitPattern), "\(at) scan") }
                chiSquareComponentsAgree(sse, avx, rows.start, n, m, &rng, at)
            }
        }
        return coverage
    }

    /// The pass at two points near the generation point (κ of either sign): rows, Y, G and the
    /// weight change, bit for bit.
    private static func chiSquareComponentsAgree(_ sse: NuisanceChiSquareKernel, _ avx: NuisanceChiSquareKernel,
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
}
