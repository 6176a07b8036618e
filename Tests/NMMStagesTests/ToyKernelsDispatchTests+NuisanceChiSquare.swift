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
        let models = try Self.nuisanceTestModels()
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
        var kernels: (sse: NuisanceChiSquareKernel, avx: NuisanceChiSquareKernel)?
        var coverage = ChiSquareCoverage()
        var rng = Xoshiro256StarStar(seed: 79)
        var physical: (sse: UnsafeMutablePointer<Double>, avx: UnsafeMutablePointer<Double>)?
        defer { if let physical { PaddedRows.deallocate(physical.sse); PaddedRows.deallocate(physical.avx) } }
        try eachNuisanceToy(model, statistic: .chi2, options: ModelFitOptions(statistic: .chi2, residualErrors: rule),
                            toysPerPoint: 30, seed: 29, blockSeed: 400, label: label, rng: &rng, kernels: { compiled in
            let sseModel = try XCTUnwrap(NuisanceBlockModel(compiled))
            let pair = (sse: NuisanceChiSquareKernel(sseModel, rule: rule, maxIterations: 200, simd: .sse2),
                        avx: NuisanceChiSquareKernel(try XCTUnwrap(NuisanceBlockModel(compiled)), rule: rule,
                                                     maxIterations: 200, simd: .avx2))
            XCTAssertEqual(pair.sse.simd, .sse2)
            XCTAssertEqual(pair.avx.simd, .avx2)
            kernels = pair
            coverage.knownRateDependsOnFit = sseModel.knownRateDependsOnFit
            coverage.knownTemplates = (0..<sseModel.templateCount).filter { sseModel.isKnown[$0] }.count
            physical = (PaddedRows.allocate(sseModel.parameterCount), PaddedRows.allocate(sseModel.parameterCount))
            return sseModel.paddedBins
        }) { toy, rng in
            guard let (sse, avx) = kernels, let (physSSE, physAVX) = physical else { return }
            let (n, m, g, s, at) = (toy.n, toy.m, toy.rows.globals, toy.rows.start, toy.at)
            if toy.hasZeros { coverage.toysWithZeros += 1 }
            for (k, kappa) in toy.kappas.enumerated() {
                let a = sse.tValue(kappa: kappa, on: n, off: m, globals: g, start: s, physical: physSSE, sameToy: k > 0)
                let b = avx.tValue(kappa: kappa, on: n, off: m, globals: g, start: s, physical: physAVX, sameToy: k > 0)
                XCTAssertEqual(a?.bitPattern, b?.bitPattern, "\(at) κ = \(kappa): \(String(describing: a)) vs \(String(describing: b))")
                XCTAssertEqual(sse.kappaHat.bitPattern, avx.kappaHat.bitPattern, "\(at) κ = \(kappa): κ̂")
                if a == nil { coverage.nilResults += 1 }
                coverage.toys += 1
            }
            let a = sse.tValue(kappa: toy.kappas.last!, on: n, off: m, globals: g, start: s, physical: physSSE)
            let b = avx.tValue(kappa: toy.kappas.last!, on: n, off: m, globals: g, start: s, physical: physAVX)
            XCTAssertEqual(a?.bitPattern, b?.bitPattern, "\(at) fresh at κ = \(toy.kappas.last!)")
            var scanSSE = [Double](repeating: 0, count: toy.grid.count), scanAVX = scanSSE
            let okSSE = scanSSE.withUnsafeMutableBufferPointer {
                sse.tValues(toy.grid, on: n, off: m, globals: g, start: s, physical: physSSE, into: $0.baseAddress!)
            }
            let okAVX = scanAVX.withUnsafeMutableBufferPointer {
                avx.tValues(toy.grid, on: n, off: m, globals: g, start: s, physical: physAVX, into: $0.baseAddress!)
            }
            XCTAssertEqual(okSSE, okAVX, "\(at) scan settled")
            if okSSE && okAVX { XCTAssertEqual(scanSSE.map(\.bitPattern), scanAVX.map(\.bitPattern), "\(at) scan") }
            // The pass at two points near the generation point: rows, Y, G and the weight change.
            let (p, q) = nearbyPoints(s, sse.model.parameterCount, &rng)
            let ca = sse.componentsForTesting(p, q, n, m), cb = avx.componentsForTesting(p, q, n, m)
            XCTAssertEqual(ca.map(\.bitPattern), cb.map(\.bitPattern), "\(at): components at p = \(p), q = \(q)")
        }
        return coverage
    }
}
