import NMMCore

/// t(κ) of a block of toys when κ is the only fitted parameter, by the block kernels:
/// closed-form χ² (`KappaOnlyChiSquare`) or the Poisson statistic's Halley iteration
/// (`KappaOnlyPoisson`; the block's first toy supplies D‴(κ_j) for the Halley steps of all its
/// toys; a toy it cannot settle is refitted by the `GeneralToyPath`). Reads
/// the toys from a `ToyCountGenerator` whose rows are `paddedBins` long.
///
/// χ² sums run over chunks of `chi2ChunkBins` bins, in the same order on every path (a toy's
/// t is the same whether its block was drawn whole or chunk by chunk). With table draws the
/// χ² path draws and sums several blocks chunk by chunk (`runChunked`), so a bin's tables
/// are read once per `chi2GroupToys` toys and a chunk's counts stay in L2. Scratch is
/// allocated on first use (grown to the group size); evaluating a block never allocates.
final class KappaOnlyToyPath {
    enum Kernel {
        case chi2(KappaOnlyChiSquare)
        case poisson(KappaOnlyPoisson)
    }

    let kernel: Kernel
    let binCount: Int
    /// Row length of the count buffers (bins padded for the kernels' SIMD).
    let paddedBins: Int

    /// Bins per chunk of the χ² path (a multiple of 8): a group's counts of one chunk
    /// (≤ `chi2GroupToys` × chunk × 16 bytes = 512 KB) stay in L2 while drawn and summed.
    static let chi2ChunkBins = 32
    /// Toys drawn together per bin visit on the χ² path (whole blocks, each with its own
    /// stream): a bin's alias tables are then read once per this many toys.
    static let chi2GroupToys = 1000

    /// t(κ_j) of one toy over a grid (χ² `scanGrid`).
    private var tGrid: [Double]
    // Chunked χ² scratch (grown to the group size on first use): one chunk's counts of every
    // toy of the group (rows of `chi2ChunkBins`), and each toy's running S1, S2.
    private var scratchToys = 0
    private var chunkOn = PaddedRows.allocate(1)
    private var chunkOff = PaddedRows.allocate(1)
    private var sum1 = PaddedRows.allocate(1)
    private var sum2 = PaddedRows.allocate(1)

    /// Nil unless κ is the only fitted parameter.
    init?(model: FitModel, statistic: ToyStatistic, gridPoints: Int) {
        switch statistic {
        case .chi2:
            guard let k = KappaOnlyChiSquare(model: model) else { return nil }
            kernel = .chi2(k)
            paddedBins = k.paddedBins
        case .poisson:
            guard let k = KappaOnlyPoisson(model: model) else { return nil }
            kernel = .poisson(k)
            paddedBins = k.paddedBins
        }
        binCount = model.binCount
        tGrid = [Double](repeating: 0, count: gridPoints)
    }

    deinit {
        for p in [chunkOn, chunkOff, sum1, sum2] { PaddedRows.deallocate(p) }
    }

    /// The χ² kernel (nil on the Poisson path).
    var chiSquare: KappaOnlyChiSquare? {
        if case .chi2(let k) = kernel { k } else { nil }
    }

    /// t(κ) of the first `count` toys of the block into out[0..<count] (NaN: failed fit).
    func tValues(atKappa kappa: Double, count: Int, counts: ToyCountGenerator, general: GeneralToyPath,
                 into out: UnsafeMutablePointer<Double>) {
        let n = counts.onCounts, m = counts.offCounts, st = counts.stride
        switch kernel {
        case .chi2(let k):
            for t in 0..<count {
                let s = chunkedSums(k, n + t * st, m + t * st)
                out[t] = KappaOnlyChiSquare.tValue(kappa: kappa, s1: s.s1, s2: s.s2)
            }
        case .poisson(let k):
            let positive = counts.countsPositive
            // The block's first toy computes D‴(κ_j) for the Halley steps of all its toys.
            var stepThird: Double? = nil
            for t in 0..<count {
                out[t] = k.tValue(kappa: kappa, n + t * st, m + t * st, countsPositive: positive, stepThird: &stepThird)
                    ?? general.tValue(toy: t, kappa: kappa, counts: counts)
            }
        }
    }

    /// S1, S2 of one toy summed chunk by chunk as in `runChunked` (identical rounding on
    /// every path).
    private func chunkedSums(_ k: KappaOnlyChiSquare, _ n: UnsafePointer<Double>,
                             _ m: UnsafePointer<Double>) -> (s1: Double, s2: Double) {
        var s1 = 0.0, s2 = 0.0, lo = 0
        let nb = binCount
        while lo < nb {
            let hi = min(lo + Self.chi2ChunkBins, nb)
            let s = k.sums(n, m, bins: lo..<(hi == nb ? k.paddedBins : hi))
            s1 += s.s1
            s2 += s.s2
            lo = hi
        }
        return (s1, s2)
    }

    /// χ² t(κ_j) over `grid` for each toy of the block in turn: calls `body(t, values)`, or
    /// `body(t, nil)` when the fit is singular.
    func scanGrid(_ k: KappaOnlyChiSquare, _ grid: [Double], count: Int, counts: ToyCountGenerator,
                  body: (Int, [Double]?) -> Void) {
        let n = counts.onCounts, m = counts.offCounts, st = counts.stride
        for t in 0..<count {
            let s = chunkedSums(k, n + t * st, m + t * st)
            var ok = true
            for (j, kappa) in grid.enumerated() {
                let v = KappaOnlyChiSquare.tValue(kappa: kappa, s1: s.s1, s2: s.s2)
                if v.isNaN { ok = false; break }
                tGrid[j] = v
            }
            body(t, ok ? tGrid : nil)
        }
    }

    /// χ² with table draws: blocks `seeds[b]` of `counts[b]` toys of grid point `point`, drawn
    /// (`ToyCountGenerator.drawChunk`) and summed chunk by chunk, t(κ) into `outs[b]`. Each
    /// block's draws are those of `ToyCountGenerator.generate` with its seed, and each toy's t
    /// that of `tValues`.
    func runChunked(_ k: KappaOnlyChiSquare, point: Int, seeds: [UInt64], counts: [Int], blockSize bs: Int,
                    kappa: Double, outs: [UnsafeMutablePointer<Double>], generator: ToyCountGenerator) {
        generator.seedStreams(seeds, point: point)
        let nb = binCount, cw = Self.chi2ChunkBins
        let toys = seeds.count * bs
        ensureScratch(toys: toys)
        sum1.update(repeating: 0, count: toys)
        sum2.update(repeating: 0, count: toys)
        var lo = 0
        while lo < nb {
            let hi = min(lo + cw, nb), end = hi == nb ? k.paddedBins : hi
            // Padding columns of the last chunk: counts 1 (they add nothing).
            for r in 0..<toys { for c in (hi - lo)..<(end - lo) { chunkOn[r * cw + c] = 1; chunkOff[r * cw + c] = 1 } }
            generator.drawChunk(lo..<hi, counts: counts, on: chunkOn, off: chunkOff, columns: cw, blockRows: bs)
            for b in seeds.indices {
                for t in 0..<counts[b] {
                    let r = (b * bs + t) * cw - lo      // so that index i addresses column i − lo
                    let s = k.sums(chunkOn + r, chunkOff + r, bins: lo..<end)
                    sum1[b * bs + t] += s.s1
                    sum2[b * bs + t] += s.s2
                }
            }
            lo = hi
        }
        for b in seeds.indices {
            for t in 0..<counts[b] {
                outs[b][t] = KappaOnlyChiSquare.tValue(kappa: kappa, s1: sum1[b * bs + t], s2: sum2[b * bs + t])
            }
        }
    }

    private func ensureScratch(toys: Int) {
        guard toys > scratchToys else { return }
        for p in [chunkOn, chunkOff, sum1, sum2] { PaddedRows.deallocate(p) }
        chunkOn = PaddedRows.allocate(toys * Self.chi2ChunkBins)
        chunkOff = PaddedRows.allocate(toys * Self.chi2ChunkBins)
        sum1 = PaddedRows.allocate(toys)
        sum2 = PaddedRows.allocate(toys)
        scratchToys = toys
    }
}
