import NMMCore

/// The toy model when κ is the only fitted parameter (normalisations held, no χ² background
/// terms: every shipped config), per bin as the block kernels read it: the signal is linear
/// in κ,
///     s_i(κ) = s0_i + κ·d_i  with  s0_i = f·a·SM_i,  d_i = f·MM_i  (f, a held),
/// and the ON/OFF scales α_i, β_i (`FitModel.onScale`, `offScale`) are fixed. Rows are
/// padded to `paddedBins` (`PaddedRows`); padding bins have d = 0 and, in the toys' count
/// buffers, counts 1, so they add nothing to either statistic. Shared by the block kernels
/// (`KappaOnlyChiSquare`, `KappaOnlyPoisson`), which add their own per-bin constants by `row`.
final class KappaOnlyModel {
    let binCount: Int
    /// Bins rounded up to a multiple of the SIMD width (row length of the count buffers).
    let paddedBins: Int
    /// s0_i and d_i (owned, padded with 0).
    let s0, d: UnsafeMutablePointer<Double>
    /// s0 ≥ 0 and d ≥ 0 in every bin (then s ≥ 0 for every κ ≥ 0).
    let signalNonNegative: Bool

    /// Nil unless κ is the only fitted parameter.
    init?(model: FitModel) {
        guard model.layout(fittingKappa: true).parameters == [.kappa] else { return nil }
        let nb = model.binCount, np = PaddedRows.padded(nb)
        binCount = nb
        paddedBins = np
        var p0 = model.base
        p0.kappa = 0
        var p1 = p0
        p1.kappa = 1
        let signal0 = Self.row(bins: nb, padded: np, pad: 0) { model.residualModel($0, p0) }
        let slope = Self.row(bins: nb, padded: np, pad: 0) { model.residualModel($0, p1) - model.residualModel($0, p0) }
        s0 = signal0
        d = slope
        signalNonNegative = (0..<np).allSatisfy { signal0[$0] >= 0 && slope[$0] >= 0 }
    }

    deinit {
        PaddedRows.deallocate(s0)
        PaddedRows.deallocate(d)
    }

    /// A padded row of per-bin constants: f(i) for the bins, `pad` beyond (the caller owns it).
    func row(pad: Double, _ f: (Int) -> Double) -> UnsafeMutablePointer<Double> {
        Self.row(bins: binCount, padded: paddedBins, pad: pad, f)
    }

    private static func row(bins: Int, padded: Int, pad: Double, _ f: (Int) -> Double) -> UnsafeMutablePointer<Double> {
        let p = PaddedRows.allocate(padded)
        for i in 0..<padded { p[i] = i < bins ? f(i) : pad }
        return p
    }
}
