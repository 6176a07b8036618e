import Foundation
import NMMCore
@testable import NMMStatistics
import XCTest

/// The AVX2 loop of the κ-only Poisson kernel (`CToyKernels`, chosen by `ToyKernelsDispatch`)
/// gives the t of the SSE2 Swift loop bit for bit: same IEEE operations, same order, no FMA.
final class ToyKernelsDispatchTests: XCTestCase {
    /// Toys of several spectra at several κ, as sampled and with counts set to 0, low-count
    /// spectra whose bins leave the common case (n = 0, m = 0, the other root branch) and
    /// high-count ones that stay in it: t, the block's shared D‴ and nil results are the same
    /// bits on both paths, with each toy's own D‴ and with the block's.
    func testAVX2PathGivesTheSSE2TBitForBit() throws {
        try XCTSkipUnless(ToyKernelsDispatch.avx2Available, "this CPU has no AVX2")
        let spectra: [(FitInput, String)] = [
            (try TestSpectra.texonoLike(kappa: 0.5, poissonSeed: 41), "texono"),
            (try TestSpectra.texonoLike(kappa: 2, exposureScale: 0.002, poissonSeed: 42), "texono low counts"),
            (try TestSpectra.texonoLike(kappa: 0, lowKeV: 2, highKeV: 64, binKeV: 0.5, poissonSeed: 43), "texono fine bins"),
            (try TestSpectra.small(kappa: 0.2, bins: 5, poissonSeed: 44), "small"),
            (try TestSpectra.small(kappa: 1, bins: 11, exposureScale: 0.001, poissonSeed: 45), "small low counts"),
        ]
        var compared = 0, nilResults = 0, uncommonToys = 0, commonToys = 0
        for (input, label) in spectra {
            let model = FitModel(input: input, options: FitOptions(), method: ToyStatistic.poisson.method)
            let sse = try XCTUnwrap(KappaOnlyPoisson(model: model, simd: .sse2))
            let avx = try XCTUnwrap(KappaOnlyPoisson(model: model, simd: .avx2))
            XCTAssertEqual(sse.simd, .sse2)
            XCTAssertEqual(avx.simd, .avx2)
            let np = sse.paddedBins, nb = input.binCount
            let n = PaddedRows.allocate(np), m = PaddedRows.allocate(np)
            defer { PaddedRows.deallocate(n); PaddedRows.deallocate(m) }
            for (point, kappa) in [0.0, 0.05, 0.4, 2.0, 30.0].enumerated() {
                let obs = ToyStatistic.poisson.makeProfiler(model)
                obs.load(on: input.onCounts, off: input.offCounts)
                var onMean = [Double](repeating: 0, count: nb), offMean = onMean
                XCTAssertTrue(obs.expectedCounts(atKappa: kappa, on: &onMean, off: &offMean))
                let toys = 60
                let worker = try ToyWorker(model: model, statistic: .poisson, sampler: .table, blockSize: toys)
                worker.setMeans(on: onMean, off: offMean)
                worker.generate(point: 0, seed: UInt64(500 + point), count: toys)
                let gen = worker.generator, st = gen.stride
                var sharedSSE: Double? = nil, sharedAVX: Double? = nil
                var rng = Xoshiro256StarStar(seed: UInt64(900 + point))
                for t in 0..<toys {
                    for i in 0..<np { n[i] = gen.onCounts[t * st + i]; m[i] = gen.offCounts[t * st + i] }
                    // A third of the toys lose a few counts (zeros outside the common case).
                    if t % 3 == 1 {
                        for _ in 0..<3 {
                            let i = Int(rng.next() % UInt64(nb))
                            if rng.next() & 1 == 0 { n[i] = 0 } else { m[i] = 0 }
                        }
                    }
                    if Self.allCommon(sse, kappa, n, m) { commonToys += 1 } else { uncommonToys += 1 }
                    let a = sse.tValue(kappa: kappa, n, m), b = avx.tValue(kappa: kappa, n, m)
                    XCTAssertEqual(a?.bitPattern, b?.bitPattern, "\(label) κ = \(kappa) toy \(t): \(String(describing: a)) vs \(String(describing: b))")
                    let c = sse.tValue(kappa: kappa, n, m, stepThird: &sharedSSE)
                    let d = avx.tValue(kappa: kappa, n, m, stepThird: &sharedAVX)
                    XCTAssertEqual(c?.bitPattern, d?.bitPattern, "\(label) κ = \(kappa) toy \(t), shared D‴")
                    XCTAssertEqual(sharedSSE?.bitPattern, sharedAVX?.bitPattern, "\(label) κ = \(kappa) toy \(t): D‴")
                    // The sampler's positive counts, as the toy path passes them.
                    if t % 3 != 1 && gen.countsPositive {
                        let e = sse.tValue(kappa: kappa, n, m, countsPositive: true)
                        let f = avx.tValue(kappa: kappa, n, m, countsPositive: true)
                        XCTAssertEqual(e?.bitPattern, f?.bitPattern, "\(label) κ = \(kappa) toy \(t), counts positive")
                    }
                    compared += 1
                    if a == nil { nilResults += 1 }
                }
            }
        }
        print("compared \(compared) toys bit for bit (\(uncommonToys) with bins outside the common case at κ_j, \(commonToys) without, \(nilResults) nil)")
        XCTAssertGreaterThan(uncommonToys, 100, "the fallback blocks are exercised")
        XCTAssertGreaterThan(commonToys, 100, "the AVX2 loop is exercised")
    }

    /// `NMM_SIMD=sse2` is honoured; without it the CPU's best level is used.
    func testDispatchLevel() {
        let forced = ProcessInfo.processInfo.environment["NMM_SIMD"]?.lowercased() == "sse2"
        XCTAssertEqual(ToyKernelsDispatch.current, forced || !ToyKernelsDispatch.avx2Available ? .sse2 : .avx2)
    }

    /// Every block of eight bins is in the kernel's common case at κ (as `pass` decides it,
    /// without the counts-positive shortcut).
    private static func allCommon(_ k: KappaOnlyPoisson, _ kappa: Double, _ n: UnsafePointer<Double>,
                                  _ m: UnsafePointer<Double>) -> Bool {
        let s0 = k.kappaModel.s0, d = k.kappaModel.d
        for i in 0..<k.paddedBins {
            let s = s0[i] + kappa * d[i]
            let bq = k.sumScale[i] * s - (n[i] + m[i])
            if !(s >= 0 && n[i] > 0 && m[i] > 0 && bq <= 0) { return false }
        }
        return true
    }
}
