import Foundation
import NMMCore
@testable import NMMStatistics
import XCTest

/// The speed-ups of the κ-only Poisson kernel keep its answers: the vector square root is the
/// correctly rounded one, and the D‴ shared by a block's toys moves t only at the solver's
/// tolerance, far inside the agreement with the general profiler.
final class ToyKernelsTests: XCTestCase {
    /// `ToyKernelsSIMD.squareRoot` gives `Double.squareRoot()` bit for bit, lane by lane, from
    /// subnormals to the largest doubles, and NaN for negative or NaN input.
    func testVectorSquareRootIsCorrectlyRounded() {
        var rng = Xoshiro256StarStar(seed: 2026)
        var values: [Double] = [0, -0.0, .leastNonzeroMagnitude, .leastNormalMagnitude, 1, 2, 4, 0.25,
                                .greatestFiniteMagnitude, .infinity, 1e-300, 1e300, 3, 5e-324, 0.1]
        for _ in 0..<20_000 {
            // Uniform exponents over the whole range and uniform 52-bit mantissas.
            let bits = (rng.next() & 0x000F_FFFF_FFFF_FFFF) | ((rng.next() % 0x7FF) << 52)
            values.append(Double(bitPattern: bits))
        }
        while values.count % 8 != 0 { values.append(Double(values.count)) }
        var mismatches = 0
        for start in stride(from: 0, to: values.count, by: 8) {
            var x = SIMD8<Double>(repeating: 0)
            for l in 0..<8 { x[l] = values[start + l] }
            let r = ToyKernelsSIMD.squareRoot(x)
            let r4 = ToyKernelsSIMD.squareRoot(x.lowHalf)
            for l in 0..<8 where r[l].bitPattern != x[l].squareRoot().bitPattern { mismatches += 1 }
            for l in 0..<4 where r4[l].bitPattern != x[l].squareRoot().bitPattern { mismatches += 1 }
        }
        XCTAssertEqual(mismatches, 0)
        let negative = ToyKernelsSIMD.squareRoot(SIMD8<Double>(-1, -1e-300, .nan, -.infinity, 1, 4, 9, 16))
        for l in 0..<4 { XCTAssertTrue(negative[l].isNaN, "lane \(l)") }
        XCTAssertEqual(negative[4], 1)
        XCTAssertEqual(negative[7], 4)
    }

    /// Toys of one block: t with the block's shared D‴ (what the toy path runs), with each
    /// toy's own D‴, with a D‴ off by 30%, and from the general profiler. The first two agree
    /// to the solver's tolerance; a poor D‴ only costs steps, never accuracy; a non-finite
    /// shared D‴ is replaced by the toy's own.
    func testSharedThirdDerivativeMovesTOnlyAtSolverTolerance() throws {
        for (input, label) in [(try TestSpectra.texonoLike(kappa: 0.5, poissonSeed: 21), "texono"),
                               (try TestSpectra.small(kappa: 0.2, bins: 5, poissonSeed: 22), "small")] {
            let model = FitModel(input: input, options: FitOptions(), method: ToyStatistic.poisson.method)
            let general = ToyStatistic.poisson.makeProfiler(model)
            for (point, kappa) in [0.0, 0.4, 2.0].enumerated() {
                let obs = ToyStatistic.poisson.makeProfiler(model)
                obs.load(on: input.onCounts, off: input.offCounts)
                var onMean = [Double](repeating: 0, count: input.binCount), offMean = onMean
                XCTAssertTrue(obs.expectedCounts(atKappa: kappa, on: &onMean, off: &offMean))
                let worker = try ToyWorker(model: model, statistic: .poisson, sampler: .table, blockSize: 50)
                worker.setMeans(on: onMean, off: offMean)
                worker.generate(point: 0, seed: UInt64(300 + point), count: 50)
                let kernel = try XCTUnwrap(KappaOnlyPoisson(model: model))
                let gen = worker.generator, st = gen.stride
                var shared: Double? = nil
                var maxShared = 0.0, maxOff = 0.0, maxGeneral = 0.0
                for t in 0..<50 {
                    let n = UnsafePointer(gen.onCounts + t * st), m = UnsafePointer(gen.offCounts + t * st)
                    let own = try XCTUnwrap(kernel.tValue(kappa: kappa, n, m))
                    let withShared = try XCTUnwrap(kernel.tValue(kappa: kappa, n, m, stepThird: &shared))
                    var ownThird: Double? = nil
                    _ = kernel.tValue(kappa: kappa, n, m, stepThird: &ownThird)
                    var off: Double? = try XCTUnwrap(ownThird) * 1.3
                    let withOff = try XCTUnwrap(kernel.tValue(kappa: kappa, n, m, stepThird: &off))
                    XCTAssertEqual(off, try XCTUnwrap(ownThird) * 1.3, "a finite shared D‴ is kept")
                    var bad: Double? = .nan
                    let withBad = try XCTUnwrap(kernel.tValue(kappa: kappa, n, m, stepThird: &bad))
                    XCTAssertEqual(withBad, own, "a non-finite D‴ is replaced by the toy's own")
                    XCTAssertEqual(bad, ownThird)
                    general.load(on: (0..<input.binCount).map { n[$0] }, off: (0..<input.binCount).map { m[$0] })
                    let ref = try XCTUnwrap(general.tValue(atKappa: kappa))
                    maxShared = max(maxShared, abs(withShared - own))
                    maxOff = max(maxOff, abs(withOff - own))
                    maxGeneral = max(maxGeneral, abs(withShared - ref))
                }
                print(String(format: "%@ κ = %.1f: max |Δt| shared D‴ %.1e, D‴ × 1.3 %.1e, vs general profiler %.1e",
                             label, kappa, maxShared, maxOff, maxGeneral))
                XCTAssertNotNil(shared, "the first toy computes the block's D‴")
                XCTAssertLessThan(maxShared, 1e-9, "\(label) κ = \(kappa)")
                XCTAssertLessThan(maxOff, 1e-9, "\(label) κ = \(kappa)")
                // The general Poisson fit stops at a Newton decrement of 1e-10 (t error ≤ 5e-11).
                XCTAssertLessThan(maxGeneral, 1e-8, "\(label) κ = \(kappa)")
            }
        }
    }

    /// The block path of the toy worker evaluates the same t as the kernel called toy by toy
    /// with the block's shared D‴, and evaluating a block twice gives the same values.
    func testToyPathUsesTheBlocksSharedThirdDerivative() throws {
        let input = try TestSpectra.texonoLike(kappa: 0.5, poissonSeed: 31)
        let model = FitModel(input: input, options: FitOptions(), method: ToyStatistic.poisson.method)
        let obs = ToyStatistic.poisson.makeProfiler(model)
        obs.load(on: input.onCounts, off: input.offCounts)
        var onMean = [Double](repeating: 0, count: input.binCount), offMean = onMean
        XCTAssertTrue(obs.expectedCounts(atKappa: 1.0, on: &onMean, off: &offMean))
        let worker = try ToyWorker(model: model, statistic: .poisson, sampler: .table, blockSize: 40)
        worker.setMeans(on: onMean, off: offMean)
        worker.generate(point: 0, seed: 77, count: 40)
        var first = [Double](repeating: 0, count: 40), second = first
        first.withUnsafeMutableBufferPointer { worker.tValues(atKappa: 1.0, count: 40, into: $0.baseAddress!) }
        second.withUnsafeMutableBufferPointer { worker.tValues(atKappa: 1.0, count: 40, into: $0.baseAddress!) }
        XCTAssertEqual(first, second)
        let kernel = try XCTUnwrap(KappaOnlyPoisson(model: model))
        let gen = worker.generator
        var shared: Double? = nil
        for t in 0..<40 {
            let v = kernel.tValue(kappa: 1.0, gen.onCounts + t * gen.stride, gen.offCounts + t * gen.stride,
                                  countsPositive: gen.countsPositive, stepThird: &shared)
            XCTAssertEqual(v, first[t], "toy \(t)")
        }
    }
}
