import NMMCore

/// One worker of the toy construction: draws a block of toys (`ToyCountGenerator`) and
/// evaluates their t(κ) on the path the model allows — the block kernels when κ is the only
/// fitted parameter (`KappaOnlyToyPath`), a profile fit per toy otherwise (`GeneralToyPath`).
/// Everything is allocated once per worker, from its own copy of the model; generating and
/// evaluating a block never allocates.
final class ToyWorker {
    let blockSize: Int
    let generator: ToyCountGenerator
    /// The block kernels when only κ is fitted; nil otherwise.
    let kappaOnly: KappaOnlyToyPath?
    /// Any fit options; also refits the toys the Poisson kernel cannot settle.
    let general: GeneralToyPath

    init(model: FitModel, statistic: ToyStatistic, sampler: ToySampler, blockSize: Int, gridPoints: Int = 0) throws {
        let own = model.isolatedCopy()
        self.blockSize = blockSize
        general = GeneralToyPath(model: own, statistic: statistic, gridPoints: gridPoints)
        kappaOnly = KappaOnlyToyPath(model: own, statistic: statistic, gridPoints: gridPoints)
        generator = try ToyCountGenerator(sampler: sampler, binCount: own.binCount,
                                          stride: kappaOnly?.paddedBins ?? own.binCount, blockSize: blockSize)
    }

    /// The χ² kernel when blocks are drawn chunk by chunk in groups (κ-only χ² with table
    /// draws); nil otherwise.
    private var chunkedChiSquare: KappaOnlyChiSquare? {
        generator.sampler == .table ? kappaOnly?.chiSquare : nil
    }

    /// Blocks a worker should process together (several only on the chunked χ² path).
    var groupBlocks: Int { chunkedChiSquare != nil ? max(1, KappaOnlyToyPath.chi2GroupToys / blockSize) : 1 }

    /// Keep private copies of the generation means (first call only).
    func setMeans(on: [Double], off: [Double]) {
        generator.setMeans(on: on, off: off)
    }

    /// Draws `count` toys of point `point` from stream `seed` into the block buffers.
    func generate(point: Int, seed: UInt64, count: Int) {
        generator.generate(point: point, seed: seed, count: count)
    }

    /// One task: generates block(s) and evaluates t(κ): `seeds[b]`, `counts[b]`, `outs[b]`
    /// per block of grid point `point` (several blocks only on the chunked χ² path). Each
    /// block's draws and each toy's t are the same whatever the grouping.
    func run(point: Int, seeds: [UInt64], counts: [Int], kappa: Double, outs: [UnsafeMutablePointer<Double>]) {
        if let k = chunkedChiSquare, let path = kappaOnly {
            path.runChunked(k, point: point, seeds: seeds, counts: counts, blockSize: blockSize, kappa: kappa,
                            outs: outs, generator: generator)
            return
        }
        for b in seeds.indices {
            generate(point: point, seed: seeds[b], count: counts[b])
            tValues(atKappa: kappa, count: counts[b], into: outs[b])
        }
    }

    /// t(κ) of the first `count` toys of the block into out[0..<count] (NaN: failed fit).
    func tValues(atKappa kappa: Double, count: Int, into out: UnsafeMutablePointer<Double>) {
        if let path = kappaOnly {
            path.tValues(atKappa: kappa, count: count, counts: generator, general: general, into: out)
        } else {
            general.tValues(atKappa: kappa, count: count, counts: generator, into: out)
        }
    }

    /// t(κ_j) over `grid` for each toy of the block in turn: calls `body(t, values)` with the
    /// toy's values, or `body(t, nil)` when its fit fails. The χ² kernel when it applies; the
    /// Poisson statistic is scanned by the general profiler.
    func scanGrid(_ grid: [Double], count: Int, body: (Int, [Double]?) -> Void) {
        if let path = kappaOnly, let k = path.chiSquare {
            path.scanGrid(k, grid, count: count, counts: generator, body: body)
        } else {
            general.scanGrid(grid, count: count, counts: generator, body: body)
        }
    }
}
