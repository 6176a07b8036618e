import Foundation
import NMMCore
@testable import NMMStages
@testable import NMMStatistics
import XCTest

/// The fast toy machinery is exact: the alias-table sampler draws the Poisson distribution,
/// the κ-only kernels give the general profilers' t, and belts from the table sampler agree
/// with belts from gsl_ran_poisson within Monte Carlo error.
final class ToySamplerTests: XCTestCase {
    static func pmf(_ k: Int, _ mu: Double) -> Double {
        mu == 0 ? (k == 0 ? 1 : 0) : exp(-mu + Double(k) * log(mu) - lgamma(Double(k) + 1))
    }

    /// Poisson pmf over k = 0…kMax in extended precision (recursion outward from the mode,
    /// normalised over ±40σ), as a reference for the tables.
    static func referencePMF(_ mu: Double, upTo kMax: Int) -> [Double] {
        guard mu > 0 else { return (0...kMax).map { $0 == 0 ? 1 : 0 } }
        let m = Float80(mu), mode = Int(mu)
        let top = max(kMax, mode + 40 * Int(mu.squareRoot() + 1) + 40)
        var w = [Float80](repeating: 0, count: top + 1)
        w[mode] = 1
        if mode > 0 { for k in stride(from: mode, to: 0, by: -1) { w[k - 1] = w[k] * Float80(k) / m } }
        for k in mode..<top { w[k + 1] = w[k] * m / Float80(k + 1) }
        let total = w.reduce(0, +)
        return (0...kMax).map { Double(w[$0] / total) }
    }

    /// The tables encode the Poisson pmf to double rounding (decoded alias probabilities).
    func testAliasTablesEncodePoissonPMF() {
        let means = [0, 1e-9, 0.3, 3, 55, 200, 5000, 1e5]
        let tables = PoissonTables()
        tables.build(means: means)
        for (d, mu) in means.enumerated() {
            let (kLow, p) = tables.sampledDistribution(d)
            XCTAssertFalse(p.isEmpty, "μ = \(mu)")
            let kHigh = kLow + p.count - 1
            let ref = Self.referencePMF(mu, upTo: kHigh + 40 * Int(mu.squareRoot() + 1) + 40)
            var maxRel = 0.0, maxAbs = 0.0
            for (i, q) in p.enumerated() {
                let exact = ref[kLow + i]
                maxAbs = max(maxAbs, abs(q - exact))
                if exact > 1e-6 { maxRel = max(maxRel, abs(q / exact - 1)) }
            }
            let below = ref[0..<kLow].reduce(0, +), above = ref[(kHigh + 1)...].reduce(0, +)
            // Omitted tails ≤ 2⁻⁵⁶ each (documented); each probability to ≈ 1e-16 absolute (48-bit
            // alias thresholds; the recursion adds ≲ 1e-12 relative on the longest tables).
            XCTAssertLessThan(below, 0x1p-56, "μ = \(mu)")
            XCTAssertLessThan(above, 0x1p-56, "μ = \(mu)")
            XCTAssertLessThan(maxAbs, 2e-15, "μ = \(mu)")
            XCTAssertLessThan(maxRel, 1e-9, "μ = \(mu)")
            print(String(format: "alias table μ = %g: %d entries k = %d…%d, omitted %.1e + %.1e, max |Δp| %.1e, max |Δp/p| (p > 1e-6) %.1e",
                         mu, p.count, kLow, kHigh, below, above, maxAbs, maxRel))
        }
        XCTAssertEqual(tables.table(0).size, 1)
        XCTAssertLessThan(tables.table(5).size, 300)    // μ = 200: about ±9σ
    }

    /// Binned χ² goodness of fit of `draws` against the pmf (cells with expected ≥ 20; tails
    /// merged). Returns the p-value.
    private func goodnessOfFit(_ counts: [Int: Int], mu: Double, draws: Int) -> (p: Double, cells: Int) {
        let mode = Int(mu)
        var lo = mode, hi = mode
        while lo > 0 && Self.pmf(lo - 1, mu) * Double(draws) >= 20 { lo -= 1 }
        while Self.pmf(hi + 1, mu) * Double(draws) >= 20 { hi += 1 }
        var expected: [Double] = [], observed: [Double] = []
        var below = 0.0
        for k in 0..<lo { below += Self.pmf(k, mu) }
        var inner = 0.0
        for k in lo...hi { inner += Self.pmf(k, mu) }
        if lo > 0 { expected.append(below); observed.append(Double(counts.filter { $0.key < lo }.map(\.value).reduce(0, +))) }
        for k in lo...hi { expected.append(Self.pmf(k, mu)); observed.append(Double(counts[k] ?? 0)) }
        expected.append(max(1 - below - inner, 0))
        observed.append(Double(counts.filter { $0.key > hi }.map(\.value).reduce(0, +)))
        var chi2 = 0.0, cells = 0
        for (e0, o) in zip(expected, observed) {
            let e = e0 * Double(draws)
            if e < 1e-9 { XCTAssertEqual(o, 0); continue }
            chi2 += (o - e) * (o - e) / e
            cells += 1
        }
        return (Distributions.chiSquareQ(chi2, dof: Double(cells - 1)), cells)
    }

    func testTableSamplerGoodnessOfFit() {
        let means = [0.3, 3, 55, 200, 5000, 2e5]      // 2e5: above the table limit (PTRS)
        let tables = PoissonTables()
        tables.build(means: means)
        // 4·10⁵ draws per mean keeps the debug run short; NMM_GOF_DRAWS=10000000 for a deeper check.
        let draws = Int(ProcessInfo.processInfo.environment["NMM_GOF_DRAWS"] ?? "") ?? 400_000
        var buffer = [Double](repeating: 0, count: draws)
        for (d, mu) in means.enumerated() {
            let master = UInt64(ProcessInfo.processInfo.environment["NMM_GOF_SEED"] ?? "") ?? 2024
            var rng = Xoshiro256StarStar(seed: SeedSequence.deriveSeed(master: master, indices: [UInt64(d)]))
            let n = mu > 1e5 ? draws / 4 : draws
            buffer.withUnsafeMutableBufferPointer { tables.table(d).fill($0.baseAddress!, count: n, rng: &rng) }
            var counts: [Int: Int] = [:]
            var sum = 0.0
            for x in buffer[0..<n] {
                XCTAssertEqual(x, x.rounded(), "integer counts")
                counts[Int(x), default: 0] += 1
                sum += x
            }
            let gof = goodnessOfFit(counts, mu: mu, draws: n)
            let meanZ = (sum / Double(n) - mu) / (mu / Double(n)).squareRoot()
            print(String(format: "table sampler μ = %g: %d draws, χ² GOF p = %.3f over %d cells, mean z = %.2f",
                         mu, n, gof.p, gof.cells, meanZ))
            XCTAssertGreaterThan(gof.p, 1e-3, "μ = \(mu)")
            XCTAssertLessThan(abs(meanZ), 4, "μ = \(mu)")
        }
    }

    func testXoshiroReferenceAndStreams() {
        // xoshiro256** reference: state (1, 2, 3, 4) gives 11520, 0, 1509978240, 1215971899390074240.
        var g = Xoshiro256StarStar(seed: 0)
        (g.s0, g.s1, g.s2, g.s3) = (1, 2, 3, 4)
        XCTAssertEqual([g.next(), g.next(), g.next(), g.next()], [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
        var a = Xoshiro256StarStar(seed: 7), b = Xoshiro256StarStar(seed: 7), c = Xoshiro256StarStar(seed: 8)
        XCTAssertEqual(a.next(), b.next())
        XCTAssertNotEqual(a.next(), c.next())
        var u = Xoshiro256StarStar(seed: 9)
        for _ in 0..<1000 { let x = u.uniform(); XCTAssertTrue(x >= 0 && x < 1) }
    }

    func testQuickselectMatchesSort() {
        var g = Xoshiro256StarStar(seed: 3)
        for n in [1, 2, 3, 10, 101, 1000] {
            let x = (0..<n).map { _ in (g.uniform() * 20).rounded() }    // many ties
            let sorted = x.sorted()
            for k in Set([0, n / 2, (9 * n) / 10, n - 1]) {
                var y = x
                XCTAssertEqual(FeldmanCousinsToys.select(&y, k), sorted[k], "n = \(n), k = \(k)")
            }
        }
    }

    /// The κ-only block kernels give the general profilers' t on the same toys.
    func testKernelsMatchGeneralProfilers() throws {
        for (input, label) in [(try TestSpectra.texonoLike(kappa: 0.5, poissonSeed: 11), "texono"),
                               (try TestSpectra.small(kappa: 0.2, bins: 5, poissonSeed: 12), "small")] {
            for statistic in ToyStatistic.allCases {
                for rule in ResidualErrorRule.allCases {
                    let options = FitOptions(residualErrors: rule)
                    let model = FitModel(input: input, options: options, method: statistic.method)
                    let worker = try ToyWorker(model: model, statistic: statistic, sampler: .table, blockSize: 64)
                    XCTAssertNotNil(worker.kappaOnly)
                    let general = statistic.makeProfiler(model)
                    for (point, kappa) in [0.0, 0.3, 1.5, 4.0].enumerated() {
                        // Means: the observed data profiled at κ (as the construction does), then toys.
                        let obs = statistic.makeProfiler(model)
                        obs.load(on: input.onCounts, off: input.offCounts)
                        var onMean = [Double](repeating: 0, count: input.binCount), offMean = onMean
                        XCTAssertTrue(obs.expectedCounts(atKappa: kappa, on: &onMean, off: &offMean))
                        let fresh = try ToyWorker(model: model, statistic: statistic, sampler: .table, blockSize: 64)
                        fresh.setMeans(on: onMean, off: offMean)
                        fresh.generate(point: 0, seed: UInt64(100 + point), count: 64)
                        var fast = [Double](repeating: 0, count: 64)
                        fast.withUnsafeMutableBufferPointer { fresh.tValues(atKappa: kappa, count: 64, into: $0.baseAddress!) }
                        var maxDiff = 0.0
                        for t in 0..<64 {
                            var on = [Double](repeating: 0, count: input.binCount), off = on
                            for i in 0..<input.binCount {
                                on[i] = fresh.generator.onCounts[t * fresh.generator.stride + i]
                                off[i] = fresh.generator.offCounts[t * fresh.generator.stride + i]
                            }
                            general.load(on: on, off: off)
                            let ref = try XCTUnwrap(general.tValue(atKappa: kappa))
                            maxDiff = max(maxDiff, abs(fast[t] - ref))
                        }
                        // The general Poisson fit stops at a Newton decrement of 1e-10 (t error ≤ 5e-11).
                        XCTAssertLessThan(maxDiff, 1e-8, "\(label) \(statistic) \(rule) κ = \(kappa)")
                    }
                    _ = worker
                }
            }
        }
    }

    /// Belts from the table sampler and from gsl_ran_poisson agree within Monte Carlo error:
    /// at each grid point the fraction of table-sampler toys with t ≤ t_c(gsl) is CL up to
    /// binomial error (both the fraction and t_c(gsl) carry CL(1 − CL)/N, so z uses 2× that).
    func testTableBeltAgreesWithGSLBelt() throws {
        let input = try TestSpectra.texonoLike(kappa: 0, poissonSeed: 2003)
        let sigma = try ChiSquareFit(input: input, options: FitOptions(profileGrid: KappaGrid(min: 0, max: 1, points: 2)))
            .run().kappaError
        let grid = KappaGrid(min: 0, max: 4 * sigma, points: 6).values
        let toys = 2500, cl = 0.9
        for statistic in ToyStatistic.allCases {
            var values: [ToySampler: SharedResults] = [:]
            for sampler in ToySampler.allCases {
                let cfg = ToyConfiguration(kappaGrid: grid, confidenceLevel: cl, toysPerPoint: toys, seed: 5,
                                           statistic: statistic, threads: 2, sampler: sampler)
                values[sampler] = try FeldmanCousinsToys(input: input, options: FitOptions(), configuration: cfg)
                    .toyValues(points: grid.indices)
            }
            let table = try XCTUnwrap(values[.table]), gsl = try XCTUnwrap(values[.gsl])
            var z2 = 0.0, zs: [Double] = [], cuts: [[Double]] = [[], []]
            for j in grid.indices {
                let range = (j * toys)..<((j + 1) * toys)
                let t = table.array(range)
                let cutGSL = try FeldmanCousinsToys.acceptanceCut(toyValues: gsl.array(range), cl: cl, kappa: grid[j],
                                                                  maxFailureFraction: 0).value
                let cutTable = try FeldmanCousinsToys.acceptanceCut(toyValues: t, cl: cl, kappa: grid[j],
                                                                    maxFailureFraction: 0).value
                cuts[0].append((cutTable * 1000).rounded() / 1000)
                cuts[1].append((cutGSL * 1000).rounded() / 1000)
                let fraction = Double(t.filter { $0 <= cutGSL }.count) / Double(toys)
                let z = (fraction - cl) / (2 * cl * (1 - cl) / Double(toys)).squareRoot()
                zs.append((z * 100).rounded() / 100)
                z2 += z * z
                XCTAssertLessThan(abs(z), 4, "\(statistic) κ = \(grid[j])")
            }
            let p = Distributions.chiSquareQ(z2, dof: Double(grid.count))
            print("table vs gsl belt (\(statistic)): t_c table \(cuts[0]) gsl \(cuts[1]); z \(zs), p = \(p)")
            XCTAssertGreaterThan(p, 1e-3, "\(statistic): belts differ beyond Monte Carlo error")
        }
    }

    /// Table-sampler belts do not depend on the thread count, on the scheduling (whole grid
    /// points per worker or single blocks) or on slicing the grid.
    func testTableBeltSlicesAndThreads() throws {
        let input = try TestSpectra.small(kappa: 0.3, poissonSeed: 21)
        let grid = KappaGrid(min: 0, max: 3, points: 10).values
        for statistic in ToyStatistic.allCases {
            func cfg(_ threads: Int) -> ToyConfiguration {
                ToyConfiguration(kappaGrid: grid, toysPerPoint: 120, seed: 42, statistic: statistic, threads: threads,
                                 toysPerBlock: 50)
            }
            let whole = try FeldmanCousinsToys(input: input, options: FitOptions(), configuration: cfg(1)).belt()
            XCTAssertEqual(try FeldmanCousinsToys(input: input, options: FitOptions(), configuration: cfg(2)).belt(), whole)
            XCTAssertEqual(try FeldmanCousinsToys(input: input, options: FitOptions(), configuration: cfg(3)).belt(), whole)
            var parts: [(points: Range<Int>, belt: ToyBelt)] = []
            for r in [0..<1, 1..<4, 4..<10] {
                parts.append((r, try FeldmanCousinsToys(input: input, options: FitOptions(), configuration: cfg(2)).belt(points: r)))
            }
            XCTAssertEqual(whole.sampler, .table)
            let joined = try ToyBelt.joining(parts)
            XCTAssertEqual(joined.criticalValues, whole.criticalValues)
            XCTAssertEqual(joined.interval, whole.interval)
        }
    }
}
