import NMMCore

/// Draws the toys' ON and OFF counts for one worker (`ToySampler`): its private copies of the
/// generation means, the Poisson tables of the grid point in hand, the generators, and the
/// count buffers of one block of toys (toy-major rows of `stride` ≥ bins doubles: bin i of
/// toy t at t·stride + i; separate ON and OFF arrays; padding bins hold count 1).
/// Drawing never allocates (building a grid point's tables reuses the storage of the
/// previous point's).
///
/// Stream order per task (the definition of the toys, with the seed): `.table` — bin by bin,
/// the block's ON counts, then its OFF counts, from xoshiro256** seeded with the task's seed;
/// `.gsl` — toy by toy, ON counts of every bin, then OFF counts, from mt19937.
final class ToyCountGenerator {
    let sampler: ToySampler
    let binCount: Int
    /// Row length of the count buffers.
    let stride: Int
    let onCounts: UnsafeMutablePointer<Double>
    let offCounts: UnsafeMutablePointer<Double>

    private let tables = PoissonTables()
    private var tablesKey: Int?
    /// The current tables cannot draw a zero count (every table starts at k ≥ 1).
    private var tablesPositive = false
    private var meanScratch: [Double] = []
    private let gsl: RandomGenerator
    /// This worker's own copies of the generation means (flattened bins × points).
    private var onMeans: [Double] = []
    private var offMeans: [Double] = []
    /// One stream per block of a chunked draw (`seedStreams`).
    private var streams: [Xoshiro256StarStar] = []
    private var touchSink: UInt64 = 0

    /// Buffers for `blockSize` toys of `binCount` bins in rows of `stride` (≥ binCount).
    init(sampler: ToySampler, binCount: Int, stride: Int, blockSize: Int) throws {
        self.sampler = sampler
        self.binCount = binCount
        self.stride = stride
        onCounts = Self.makeCountBuffer(toys: blockSize, bins: binCount, stride: stride)
        offCounts = Self.makeCountBuffer(toys: blockSize, bins: binCount, stride: stride)
        gsl = try RandomGenerator(seed: 0)
    }

    deinit {
        PaddedRows.deallocate(onCounts)
        PaddedRows.deallocate(offCounts)
    }

    /// `toys` rows of `stride`, padding bins set to 1 count.
    private static func makeCountBuffer(toys: Int, bins: Int, stride: Int) -> UnsafeMutablePointer<Double> {
        let p = PaddedRows.allocate(toys * stride)
        for t in 0..<toys { for i in bins..<stride { p[t * stride + i] = 1 } }
        return p
    }

    /// Keep private copies of the generation means (first call only).
    func setMeans(on: [Double], off: [Double]) {
        guard onMeans.isEmpty else { return }
        onMeans = on.map { $0 }
        offMeans = off.map { $0 }
    }

    /// Every count in the buffers is known to be > 0 (table draws from tables starting above 0).
    var countsPositive: Bool { sampler == .table && tablesPositive }

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
    func prepareTables(point: Int) {
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

    @inline(__always)
    private static func touch(_ t: PoissonTables.Table) -> UInt64 {
        var x: UInt64 = 0, i = 0
        let n = Int(t.size)
        while i < n { x &+= t.entries[i]; i += 8 }
        return x
    }

    // MARK: Chunked table draws (several blocks at once, a few bins at a time)

    /// Starts a chunked draw of blocks with streams `seeds` (one per block) from the tables
    /// of `point`. Each block's draws are then those of `generate` with its seed, whatever the
    /// chunking: its stream visits the bins in order, ON then OFF.
    func seedStreams(_ seeds: [UInt64], point: Int) {
        prepareTables(point: point)
        if streams.count < seeds.count {
            streams = [Xoshiro256StarStar](repeating: Xoshiro256StarStar(seed: 0), count: seeds.count)
        }
        for b in seeds.indices { streams[b] = Xoshiro256StarStar(seed: seeds[b]) }
    }

    /// Table draws of `bins` for blocks of `counts[b]` toys into `on`, `off` (not the block
    /// buffers): block b's toy t, bin i at (b·blockRows + t)·columns + (i − bins.lowerBound).
    /// Bin by bin; per bin, block by block, ON then OFF from the block's stream. (Not inlined:
    /// the table draws are then inlined here, as in `drawTableBins`.)
    @inline(never)
    func drawChunk(_ bins: Range<Int>, counts: [Int], on: UnsafeMutablePointer<Double>,
                   off: UnsafeMutablePointer<Double>, columns cw: Int, blockRows bs: Int) {
        let nb = binCount, lo = bins.lowerBound
        for i in bins {
            let onTable = tables.table(i), offTable = tables.table(nb + i)
            for b in counts.indices {
                let row = b * bs * cw + (i - lo)
                onTable.fill(on + row, count: counts[b], stride: cw, rng: &streams[b])
                offTable.fill(off + row, count: counts[b], stride: cw, rng: &streams[b])
            }
        }
    }
}
