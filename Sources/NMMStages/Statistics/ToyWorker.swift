import NMMCore

/// Per-worker state of the toy construction, allocated once per worker: the generators, the
/// Poisson tables of the grid point in hand, structure-of-arrays count buffers for one block
/// of toys (bin-major: bin i of toy t at i·B + t), the block kernels and a general profiler.
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
    private let poissonScratch: KappaOnlyKernels.PoissonScratch?
    let onCounts: UnsafeMutablePointer<Double>
    let offCounts: UnsafeMutablePointer<Double>
    private let sum1: UnsafeMutablePointer<Double>
    private let sum2: UnsafeMutablePointer<Double>
    /// One toy's counts for the general profiler.
    private var on: [Double]
    private var off: [Double]
    var tGrid: [Double]

    private let tables = PoissonTables()
    private var tablesKey: Int?
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
        kernels = KappaOnlyKernels(model: own)
        poissonScratch = kernels != nil && statistic == .poisson
            ? KappaOnlyKernels.PoissonScratch(bins: own.binCount, toys: blockSize) : nil
        let size = max(own.binCount * blockSize, 1)
        onCounts = .allocate(capacity: size)
        onCounts.initialize(repeating: 0, count: size)
        offCounts = .allocate(capacity: size)
        offCounts.initialize(repeating: 0, count: size)
        sum1 = .allocate(capacity: max(blockSize, 1))
        sum1.initialize(repeating: 0, count: max(blockSize, 1))
        sum2 = .allocate(capacity: max(blockSize, 1))
        sum2.initialize(repeating: 0, count: max(blockSize, 1))
        on = [Double](repeating: 0, count: own.binCount)
        off = on
        tGrid = [Double](repeating: 0, count: gridPoints)
        gsl = try RandomGenerator(seed: 0)
    }

    deinit {
        onCounts.deallocate()
        offCounts.deallocate()
        sum1.deallocate()
        sum2.deallocate()
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
        let nb = binCount, bs = blockSize, base = point * nb
        switch sampler {
        case .table:
            if tablesKey != point {
                meanScratch.removeAll(keepingCapacity: true)
                for i in 0..<nb { meanScratch.append(onMeans[base + i]) }
                for i in 0..<nb { meanScratch.append(offMeans[base + i]) }
                tables.build(means: meanScratch)
                tablesKey = point
            }
            var rng = Xoshiro256StarStar(seed: seed)
            for i in 0..<nb {
                tables.table(i).fill(onCounts + i * bs, count: count, rng: &rng)
                tables.table(nb + i).fill(offCounts + i * bs, count: count, rng: &rng)
            }
        case .gsl:
            gsl.reseed(seed)
            for t in 0..<count {
                for i in 0..<nb { onCounts[i * bs + t] = Double(gsl.poisson(mean: onMeans[base + i])) }
                for i in 0..<nb { offCounts[i * bs + t] = Double(gsl.poisson(mean: offMeans[base + i])) }
            }
        }
    }

    /// t(κ) of the first `count` toys of the block into out[0..<count] (NaN: failed fit).
    func tValues(atKappa kappa: Double, count: Int, into out: UnsafeMutablePointer<Double>) {
        if let k = kernels {
            switch statistic {
            case .chi2:
                k.chi2Sums(on: onCounts, off: offCounts, stride: blockSize, count: count, s1: sum1, s2: sum2)
                for t in 0..<count { out[t] = KappaOnlyKernels.chi2T(kappa: kappa, s1: sum1[t], s2: sum2[t]) }
                return
            case .poisson:
                if let sc = poissonScratch,
                   k.poissonT(kappa: kappa, on: onCounts, off: offCounts, stride: blockSize, count: count,
                              scratch: sc, out: out) == 0 {
                    return
                }
                for t in 0..<count where out[t].isNaN { out[t] = generalT(toy: t, kappa: kappa) }
                return
            }
        }
        for t in 0..<count { out[t] = generalT(toy: t, kappa: kappa) }
    }

    /// Loads toy `t` of the block into the general profiler.
    func loadToy(_ t: Int) {
        let bs = blockSize
        for i in 0..<binCount {
            on[i] = onCounts[i * bs + t]
            off[i] = offCounts[i * bs + t]
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
            k.chi2Sums(on: onCounts, off: offCounts, stride: blockSize, count: count, s1: sum1, s2: sum2)
            for t in 0..<count {
                var ok = true
                for (j, kappa) in grid.enumerated() {
                    let v = KappaOnlyKernels.chi2T(kappa: kappa, s1: sum1[t], s2: sum2[t])
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
