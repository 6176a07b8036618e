import NMMCore

/// χ² t(κ) of toys when only κ is fitted (`KappaOnlyModel`), toy by toy with SIMD over bins,
/// in closed form (as `ChiSquareProfiler` for a linear one-parameter model):
///     S2 = Σ w_i d_i²,  S1 = Σ w_i d_i (y_i − s0_i),  κ̂ = S1/S2,
///     t(κ_j) = S2·(κ_j − κ̂)² − [κ̂ < 0]·S2·κ̂²   (min over κ ≥ 0 at max(κ̂, 0)),
/// with y_i = n/α − m/β and w_i = 1/σ_i² of the configured residual-error rule. Counts are
/// read from padded toy rows; nothing allocates.
final class KappaOnlyChiSquare {
    typealias V = PaddedRows.V
    let kappaModel: KappaOnlyModel
    /// Row length of the count buffers.
    let paddedBins: Int
    let rule: ResidualErrorRule
    // Per bin constants (owned, except s0 and d, which belong to `kappaModel`).
    let invAlpha, invBeta, alphaBeta, s0, d: UnsafeMutablePointer<Double>
    /// α and 1/(α + β), for the `expected` rule.
    let alpha, invSum: UnsafeMutablePointer<Double>

    /// Nil unless κ is the only fitted parameter.
    init?(model: FitModel) {
        guard let linear = KappaOnlyModel(model: model) else { return nil }
        kappaModel = linear
        paddedBins = linear.paddedBins
        rule = model.options.residualErrors
        s0 = linear.s0
        d = linear.d
        invAlpha = linear.row(pad: 1) { 1 / model.onScale[$0] }
        invBeta = linear.row(pad: 1) { 1 / model.offScale[$0] }
        alphaBeta = linear.row(pad: 1) { model.onScale[$0] * model.offScale[$0] }
        alpha = linear.row(pad: 1) { model.onScale[$0] }
        invSum = linear.row(pad: 0.5) { 1 / (model.onScale[$0] + model.offScale[$0]) }
    }

    deinit {
        for p in [alphaBeta, invAlpha, invBeta, alpha, invSum] { PaddedRows.deallocate(p) }
    }

    /// max(x, 1) lane-wise (the generic `pointwiseMax` is not inlined).
    @inline(__always)
    private static func atLeastOne(_ x: V) -> V {
        let one = V(repeating: 1)
        return x.replacing(with: one, where: x .< one)
    }

    /// S1, S2 of one toy (rows `n`, `m`) over `bins` (bounds multiples of the SIMD width, or
    /// paddedBins).
    @inline(__always)
    func sums(_ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>, bins: Range<Int>) -> (s1: Double, s2: Double) {
        typealias R = PaddedRows
        var a1 = V(repeating: 0), a2 = V(repeating: 0)
        var i = bins.lowerBound
        let end = bins.upperBound
        switch rule {
        case .pooled:
            while i < end {
                let nv = R.load(n, i), mv = R.load(m, i), dv = R.load(d, i)
                let w = R.load(alphaBeta, i) / Self.atLeastOne(nv + mv)
                a1 += w * dv * (nv * R.load(invAlpha, i) - mv * R.load(invBeta, i) - R.load(s0, i))
                a2 += w * dv * dv
                i += V.scalarCount
            }
        case .expected:
            // s0 = f·a·SM (held): b̂ = max(n + m − α·s0, 1)/(α + β), σ² = (b̂ + s0)/α + b̂/β.
            while i < end {
                let nv = R.load(n, i), mv = R.load(m, i), dv = R.load(d, i)
                let sv = R.load(s0, i), known = sv.replacing(with: 0, where: sv .< 0)
                let ia = R.load(invAlpha, i), ib = R.load(invBeta, i)
                let b = Self.atLeastOne(nv + mv - R.load(alpha, i) * known) * R.load(invSum, i)
                let w = 1 / ((b + known) * ia + b * ib)
                a1 += w * dv * (nv * ia - mv * ib - sv)
                a2 += w * dv * dv
                i += V.scalarCount
            }
        case .observedCounts:
            while i < end {
                let nv = R.load(n, i), mv = R.load(m, i), dv = R.load(d, i)
                let ia = R.load(invAlpha, i), ib = R.load(invBeta, i)
                let w = 1 / (Self.atLeastOne(nv) * ia * ia + Self.atLeastOne(mv) * ib * ib)
                a1 += w * dv * (nv * ia - mv * ib - R.load(s0, i))
                a2 += w * dv * dv
                i += V.scalarCount
            }
        }
        return (a1.sum(), a2.sum())
    }

    /// t(κ) from the sums (NaN if the fit is singular).
    @inline(__always)
    static func tValue(kappa: Double, s1: Double, s2: Double) -> Double {
        guard s2 > 0, s2.isFinite, s1.isFinite else { return .nan }
        let kh = s1 / s2, dk = kappa - kh
        let t = s2 * dk * dk - (kh < 0 ? s2 * kh * kh : 0)
        return max(t, 0)
    }
}
