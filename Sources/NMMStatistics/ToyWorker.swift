import NMMCore

/// Per-worker state of the toy construction, allocated once per worker: the generators, the
/// Poisson tables of the grid point in hand, count buffers for one block of toys (toy-major
/// rows of `stride` ≥ bins doubles: bin i of toy t at t·stride + i; separate ON and OFF
/// arrays), the κ-only kernels and a general profiler.
/// Generating and evaluating a block never allocates (building a grid point's tables reuses
/// the storage of the previous point's).
final class ToyWorker {
    let statistic: ToyStatistic
    let sampler: ToySampler
    let blockSize: Int
    let binCount: Int
    /// General profiler (any fit options; fallback for toys the block kernels cannot settle).
    let profiler: any ProfileStatistic
    /// Block kernels when only κ is fitted; nil otherwise.
    let kernels: KappaOnlyKernels?
    /// Row length of the count buffers (bins padded for the kernels' SIMD).
    let stride: Int
    let onCounts: UnsafeMutablePointer<Double>
    let offCounts: UnsafeMutablePointer<Double>
    /// One toy's counts for the general profiler.
    private var on: [Double]
    private var off: [Double]
    var tGrid: [Double]

    private let tables = PoissonTables()
    private var tablesKey: Int?
    // χ² path scratch (grown to the group size on first use).
    private var chi2ScratchToys = 0
    private var chunkOn = KappaOnlyKernels.allocate(1)
    private var chunkOff = KappaOnlyKernels.allocate(1)
    private var sum1 = KappaOnlyKernels.allocate(1)
    private var sum2 = KappaOnlyKernels.allocate(1)
    private var rngs: [Xoshiro256StarStar] = []
    /// The current tables cannot draw a zero count (every table starts at k ≥ 1).
    private var tablesPositive = false
    private var meanScratch: [Double] = []
    private let gsl: RandomGenerator
    /// This worker's own copies of the generation means (flattened bins × points).
    private var onMeans: [Double] = []
    private var offMeans: [Double] = []

    init(model: FitModel, statistic: ToyStatistic, sampler: ToySampler, blockSize: Int, gridPoints: Int = 0) throws {
        let own = model.isolatedCopy()
        self.statistic = statistic
        self.sampler = sampler
        self.blockSize = blockSize
        binCount = own.binCount
        profiler = statistic.makeProfiler(own)
        let k = KappaOnlyKernels(model: own)
        kernels = k
        if let k {
            stride = k.paddedBins
            onCounts = k.makeCountBuffer(toys: blockSize)
            offCounts = k.makeCountBuffer(toys: blockSize)
        } else {
            stride = own.binCount
            onCounts = KappaOnlyKernels.allocate(own.binCount * blockSize)
            offCounts = KappaOnlyKernels.allocate(own.binCount * blockSize)
        }
        on = [Double](repeating: 0, count: own.binCount)
        off = on
        tGrid = [Double](repeating: 0, count: gridPoints)
        gsl = try RandomGenerator(seed: 0)
    }

    deinit {
        UnsafeMutableRawPointer(onCounts).deallocate()
        UnsafeMutableRawPointer(offCounts).deallocate()
        for p in [chunkOn, chunkOff, sum1, sum2] { UnsafeMutableRawPointer(p).deallocate() }
    }

    /// Keep private copies of the generation means (first call only).
    func setMeans(on: [Double], off: [Double]) {
        guard onMeans.isEmpty else { return }
        onMeans = on.map { $0 }
        offMeans = off.map { $0 }
    }

    /// Draws `count` toys from the means of point `point` (index into the flattened means)
    /// into the block buffers, from the task's stream `seed`.
    func generate(point: Int, seed: UInt64, count: Int) {
        let nb = binCount, st = stride, base = point * nb
        switch sampler {
        case .table:
            prepareTables(point: point)
            var rng = Xoshiro256StarStar(seed: seed)
            drawTableBins(0..<nb, count: count, rng: &rng)
        case .gsl:
            gsl.reseed(seed)
            for t in 0..<count {
                for i in 0..<nb { onCounts[t * st + i] = Double(gsl.poisson(mean: onMeans[base + i])) }
                for i in 0..<nb { offCounts[t * st + i] = Double(gsl.poisson(mean: offMeans[base + i])) }
            }
        }
    }

    /// Builds the tables of grid point `point` unless they are the current ones.
    private func prepareTables(point: Int) {
        guard tablesKey != point else { return }
        let nb = binCount, base = point * nb
        meanScratch.removeAll(keepingCapacity: true)
        for i in 0..<nb { meanScratch.append(onMeans[base + i]) }
        for i in 0..<nb { meanScratch.append(offMeans[base + i]) }
        tables.build(means: meanScratch)
        tablesKey = point
        tablesPositive = (0..<(2 * nb)).allSatisfy { tables.table($0).size > 0 && tables.table($0).base >= 1 }
    }

    /// Table draws of `bins` for `count` toys: bin by bin, ON then OFF (the stream order).
    private func drawTableBins(_ bins: Range<Int>, count: Int, rng: inout Xoshiro256StarStar) {
        let nb = binCount, st = stride
        var touch: UInt64 = 0
        for i in bins {
            // Read one word per cache line of the next bin's tables first, so they arrive
            // while this bin is drawn (many bins: the tables do not fit in L2).
            if i + 1 < bins.upperBound {
                touch &+= Self.touch(tables.table(i + 1)) &+ Self.touch(tables.table(nb + i + 1))
            }
            tables.table(i).fill(onCounts + i, count: count, stride: st, rng: &rng)
            tables.table(nb + i).fill(offCounts + i, count: count, stride: st, rng: &rng)
        }
        touchSink = touch
    }

    private var touchSink: UInt64 = 0

    @inline(__always)
    private static func touch(_ t: PoissonTables.Table) -> UInt64 {
        var x: UInt64 = 0, i = 0
        let n = Int(t.size)
        while i < n { x &+= t.entries[i]; i += 8 }
        return x
    }

    /// Bins per chunk of the χ² path (a multiple of 8): a group's counts of one chunk
    /// (≤ `chi2GroupToys` × chunk × 16 bytes = 512 KB) stay in L2 while drawn and summed.
    static let chi2ChunkBins = 32
    /// Toys drawn together per bin visit on the χ² path (whole blocks, each with its own
    /// stream): a bin's alias tables are then read once per this many toys.
    static let chi2GroupToys = 1000

    /// Blocks a worker should process together on the χ² path (1 elsewhere).
    var groupBlocks: Int { kernels != nil && statistic == .chi2 && sampler == .table ? max(1, Self.chi2GroupToys / blockSize) : 1 }

    /// One task: generates block(s) and evaluates t(κ): `seeds[b]`, `counts[b]`, `outs[b]`
    /// per block of grid point `point` (several blocks only on the χ² path). Each block's
    /// draws are those of `generate` with its seed, and each toy's t the same whatever the
    /// grouping: the χ² path draws bin chunks of all the group's blocks (per block: bin by
    /// bin, ON then OFF, as `generate`) and sums each toy chunk by chunk.
    func run(point: Int, seeds: [UInt64], counts: [Int], kappa: Double, outs: [UnsafeMutablePointer<Double>]) {
        guard let k = kernels, statistic == .chi2, sampler == .table else {
            for b in seeds.indices {
                generate(point: point, seed: seeds[b], count: counts[b])
                tValues(atKappa: kappa, count: counts[b], into: outs[b])
            }
            return
        }
        prepareTables(point: point)
        let nb = binCount, cw = Self.chi2ChunkBins, bs = blockSize
        let toys = seeds.count * bs
        ensureChi2Scratch(toys: toys)
        for b in seeds.indices { rngs[b] = Xoshiro256StarStar(seed: seeds[b]) }
        sum1.update(repeating: 0, count: toys)
        sum2.update(repeating: 0, count: toys)
        var lo = 0
        while lo < nb {
            let hi = min(lo + cw, nb), end = hi == nb ? k.paddedBins : hi
            // Padding columns of the last chunk: counts 1 (they add nothing).
            for r in 0..<toys { for c in (hi - lo)..<(end - lo) { chunkOn[r * cw + c] = 1; chunkOff[r * cw + c] = 1 } }
            for i in lo..<hi {
                let on = tables.table(i), off = tables.table(nb + i)
                for b in seeds.indices {
                    let row = b * bs * cw + (i - lo)
                    on.fill(chunkOn + row, count: counts[b], stride: cw, rng: &rngs[b])
                    off.fill(chunkOff + row, count: counts[b], stride: cw, rng: &rngs[b])
                }
            }
            for b in seeds.indices {
                for t in 0..<counts[b] {
                    let r = (b * bs + t) * cw - lo      // so that index i addresses column i − lo
                    let s = k.chi2Sums(chunkOn + r, chunkOff + r, bins: lo..<end)
                    sum1[b * bs + t] += s.s1
                    sum2[b * bs + t] += s.s2
                }
            }
            lo = hi
        }
        for b in seeds.indices {
            for t in 0..<counts[b] {
                outs[b][t] = KappaOnlyKernels.chi2T(kappa: kappa, s1: sum1[b * bs + t], s2: sum2[b * bs + t])
            }
        }
    }

    private func ensureChi2Scratch(toys: Int) {
        guard toys > chi2ScratchToys else { return }
        for p in [chunkOn, chunkOff, sum1, sum2] { UnsafeMutableRawPointer(p).deallocate() }
        chunkOn = KappaOnlyKernels.allocate(toys * Self.chi2ChunkBins)
        chunkOff = KappaOnlyKernels.allocate(toys * Self.chi2ChunkBins)
        sum1 = KappaOnlyKernels.allocate(toys)
        sum2 = KappaOnlyKernels.allocate(toys)
        rngs = [Xoshiro256StarStar](repeating: Xoshiro256StarStar(seed: 0), count: (toys + blockSize - 1) / blockSize)
        chi2ScratchToys = toys
    }

    /// t(κ) of the first `count` toys of the block into out[0..<count] (NaN: failed fit).
    func tValues(atKappa kappa: Double, count: Int, into out: UnsafeMutablePointer<Double>) {
        let st = stride
        if let k = kernels {
            switch statistic {
            case .chi2:
                for t in 0..<count {
                    let s = chunkedChi2Sums(k, t)
                    out[t] = KappaOnlyKernels.chi2T(kappa: kappa, s1: s.s1, s2: s.s2)
                }
            case .poisson:
                for t in 0..<count {
                    out[t] = k.poissonT(kappa: kappa, onCounts + t * st, offCounts + t * st,
                                        countsPositive: sampler == .table && tablesPositive) ?? generalT(toy: t, kappa: kappa)
                }
            }
            return
        }
        for t in 0..<count { out[t] = generalT(toy: t, kappa: kappa) }
    }

    /// S1, S2 of toy t summed chunk by chunk as in `run` (identical rounding on every path).
    private func chunkedChi2Sums(_ k: KappaOnlyKernels, _ t: Int) -> (s1: Double, s2: Double) {
        var s1 = 0.0, s2 = 0.0, lo = 0
        let nb = binCount
        while lo < nb {
            let hi = min(lo + Self.chi2ChunkBins, nb)
            let s = k.chi2Sums(onCounts + t * stride, offCounts + t * stride, bins: lo..<(hi == nb ? k.paddedBins : hi))
            s1 += s.s1
            s2 += s.s2
            lo = hi
        }
        return (s1, s2)
    }

    /// Loads toy `t` of the block into the general profiler.
    func loadToy(_ t: Int) {
        let row = t * stride
        for i in 0..<binCount {
            on[i] = onCounts[row + i]
            off[i] = offCounts[row + i]
        }
        profiler.load(on: on, off: off)
    }

    private func generalT(toy t: Int, kappa: Double) -> Double {
        loadToy(t)
        return profiler.tValue(atKappa: kappa) ?? .nan
    }

    /// t(κ_j) over `grid` for each toy of the block in turn: calls `body(t, tGrid)` with the
    /// toy's values, or `body(t, nil)` when its fit fails.
    func scanGrid(_ grid: [Double], count: Int, body: (Int, [Double]?) -> Void) {
        if let k = kernels, statistic == .chi2 {
            for t in 0..<count {
                let s = chunkedChi2Sums(k, t)
                var ok = true
                for (j, kappa) in grid.enumerated() {
                    let v = KappaOnlyKernels.chi2T(kappa: kappa, s1: s.s1, s2: s.s2)
                    if v.isNaN { ok = false; break }
                    tGrid[j] = v
                }
                body(t, ok ? tGrid : nil)
            }
            return
        }
        for t in 0..<count {
            loadToy(t)
            body(t, profiler.tValues(grid, into: &tGrid) ? tGrid : nil)
        }
    }
}
