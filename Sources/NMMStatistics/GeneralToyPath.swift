import NMMCore

/// t(κ) of toys by a full profile fit per toy (`ChiSquareProfiler` or `PoissonProfiler`): any
/// fit options (free or constrained normalisations, χ² background terms), and the refit of
/// a toy the κ-only kernels cannot settle. Reads the toys from a `ToyCountGenerator`'s block
/// buffers; the profiler and the one-toy buffers are allocated once per worker.
final class GeneralToyPath {
    let profiler: any ProfileStatistic
    let binCount: Int
    /// One toy's counts, as the profiler loads them.
    private var on: [Double]
    private var off: [Double]
    /// t(κ_j) of one toy over a grid (`scanGrid`).
    private var tGrid: [Double]

    init(model: FitModel, statistic: ToyStatistic, gridPoints: Int) {
        profiler = statistic.makeProfiler(model)
        binCount = model.binCount
        on = [Double](repeating: 0, count: model.binCount)
        off = on
        tGrid = [Double](repeating: 0, count: gridPoints)
    }

    /// Loads toy `t` of the block into the profiler.
    func load(toy t: Int, from counts: ToyCountGenerator) {
        let row = t * counts.stride, n = counts.onCounts, m = counts.offCounts
        for i in 0..<binCount {
            on[i] = n[row + i]
            off[i] = m[row + i]
        }
        profiler.load(on: on, off: off)
    }

    /// t(κ) of toy `t` of the block (NaN: failed fit).
    func tValue(toy t: Int, kappa: Double, counts: ToyCountGenerator) -> Double {
        load(toy: t, from: counts)
        return profiler.tValue(atKappa: kappa) ?? .nan
    }

    /// t(κ) of the first `count` toys of the block into out[0..<count] (NaN: failed fit).
    func tValues(atKappa kappa: Double, count: Int, counts: ToyCountGenerator, into out: UnsafeMutablePointer<Double>) {
        for t in 0..<count { out[t] = tValue(toy: t, kappa: kappa, counts: counts) }
    }

    /// t(κ_j) over `grid` for each toy of the block in turn: calls `body(t, values)`, or
    /// `body(t, nil)` when its fit fails.
    func scanGrid(_ grid: [Double], count: Int, counts: ToyCountGenerator, body: (Int, [Double]?) -> Void) {
        for t in 0..<count {
            load(toy: t, from: counts)
            body(t, profiler.tValues(grid, into: &tGrid) ? tGrid : nil)
        }
    }
}
