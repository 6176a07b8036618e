import NMMCore
import Foundation
internal import CToyKernels

/// Poisson t(κ_j) = D(κ_j) − min_{κ ≥ 0} D(κ) of toys when only κ is fitted
/// (`KappaOnlyModel`), toy by toy with SIMD over bins, as `PoissonProfiler` (per-bin
/// backgrounds profiled in closed form, `OnOffProfile`). Per bin, with u = b̂ + s,
/// P = m·u² + n·b̂², the profiled deviance has dD/ds = 2(α − n/u), d²D/ds² = 2nm/P and
/// d³D/ds³ = 4nm(n²b̂³ − m²u³)/P³ (implicit differentiation of the profile equation
/// n/u + m/b̂ = α + β); one square root and one division per bin and point (the square
/// root as SSE2 `sqrtpd`, `ToyKernelsSIMD`). With AVX2 (`ToyKernelsDispatch`) the common-case
/// blocks of bins run in the C loop of `CToyKernels` (256-bit `vsqrtpd`, `vdivpd`: the same IEEE
/// operations in the same order, so the same t bit for bit); other blocks and all sums stay here.
///  1. Evaluate at κ_j (its profiled means are needed for D(κ_j) anyway).
///  2. Halley steps (Newton when the cubic term would not help) on [0, ∞), safeguarded by a
///     bracket from the sign of D′ (a step leaving it bisects); κ = 0 with D′(0) ≥ 0 is the
///     boundary minimum; D‴ is the first toy's of the block at κ_j (`tValue`), for every step.
///     Stop at the first point κ_k with Newton decrement D′²/D″ < 1e-5 (|κ_k − κ̂| ≲ 2e-3σ) and take
///     min D = D(κ_k) + D′δ + D″δ²/2 + D‴δ³/6 at the Halley step δ (clamped to κ_k + δ ≥ 0):
///     the t agree with `PoissonProfiler`'s to < 1e-8 (`decrementTolerance`). From the start at
///     κ_j, 9% of toys stop there, 85% after one step and 6% after two (kernel harness: 6
///     grid points of the default fixture).
///  3. D(κ_j) − D(κ_k) = Σ 2[α(u_j − u_k) + β(b_j − b_k)] + 2n ln(u_k/u_j) + 2m ln(b_k/b_j)
///     (saturated terms cancel); ln(x/y) = 2 atanh((x − y)/(x + y)) by its series (5 terms
///     for |z| ≤ 0.02, 9 for |z| ≤ 0.1: truncation < 1e-18 relative; `log` beyond), once, at
///     the final point.
/// Bins outside the common case (s < 0, n = 0, m = 0, or the other root branch) use
/// `OnOffProfile` and contribute no third derivative (the step is then Newton-like; the
/// stopping test uses the exact D′, D″). A toy whose iteration does not settle in 100 steps
/// (never seen on real spectra) gets nil, to be refitted with the general `PoissonProfiler`.
/// All buffers belong to one worker; nothing allocates.
final class KappaOnlyPoisson {
    typealias V = PaddedRows.V
    private typealias R = PaddedRows
    let kappaModel: KappaOnlyModel
    /// Row length of the count buffers.
    let paddedBins: Int
    // Per bin constants (owned, except s0 and d, which belong to `kappaModel`).
    let alpha, beta, sumScale, halfInvSum, s0, d: UnsafeMutablePointer<Double>
    // Derived: 4(α + β), α·d, d², d³.
    let fourSum, alphaD, d2, d3: UnsafeMutablePointer<Double>
    /// s0 ≥ 0 and d ≥ 0 in every bin (then s ≥ 0 for every κ ≥ 0).
    let signalNonNegative: Bool
    // Per-toy scratch: profiled means at κ_j and at the current κ.
    let uJ, bJ, uK, bK: UnsafeMutablePointer<Double>
    /// Per-bin terms of a pass's sums, summed after its loop in the order of eight-lane
    /// accumulators (as running accumulators would, bit for bit): twelve accumulator
    /// registers in the loop made the compiler spill (measured 3–4% slower).
    let gTerms, hTerms, jTerms, devTerms: UnsafeMutablePointer<Double>
    /// The instructions of the common-case loop (`ToyKernelsDispatch`).
    let simd: ToyKernelsDispatch.Level
    /// The rows above for the AVX2 loop.
    private let cRows: UnsafeMutablePointer<NMMPoissonRows>

    /// Newton decrement D′²/D″ at which the iteration stops: with the cubic correction the
    /// t differ from a stop at 1e-6 with each toy's own D‴ by ≤ 2.4e-11 (kernel harness,
    /// 30000 toys at 6 grid points of the default fixture; the general profiler's own stop is
    /// ≤ 5e-11), and 4.5% fewer kernel cycles.
    static let decrementTolerance = 1e-5
    static let maxIterations = 100

    /// Nil unless κ is the only fitted parameter. `simd`: the instructions of the common-case
    /// loop (AVX2 falls back to SSE2 on a CPU without it).
    init?(model: FitModel, simd: ToyKernelsDispatch.Level = ToyKernelsDispatch.current) {
        guard let linear = KappaOnlyModel(model: model) else { return nil }
        kappaModel = linear
        let np = linear.paddedBins
        paddedBins = np
        alpha = linear.row(pad: 1) { model.onScale[$0] }
        beta = linear.row(pad: 1) { model.offScale[$0] }
        sumScale = linear.row(pad: 2) { model.onScale[$0] + model.offScale[$0] }
        halfInvSum = linear.row(pad: 0.25) { 1 / (2 * (model.onScale[$0] + model.offScale[$0])) }
        let slope = linear.d
        s0 = linear.s0
        d = slope
        fourSum = linear.row(pad: 8) { 4 * (model.onScale[$0] + model.offScale[$0]) }
        alphaD = linear.row(pad: 0) { model.onScale[$0] * slope[$0] }
        d2 = linear.row(pad: 0) { slope[$0] * slope[$0] }
        d3 = linear.row(pad: 0) { slope[$0] * slope[$0] * slope[$0] }
        signalNonNegative = linear.signalNonNegative
        uJ = PaddedRows.allocate(np); bJ = PaddedRows.allocate(np); uK = PaddedRows.allocate(np); bK = PaddedRows.allocate(np)
        gTerms = PaddedRows.allocate(np); hTerms = PaddedRows.allocate(np)
        jTerms = PaddedRows.allocate(np); devTerms = PaddedRows.allocate(np)
        self.simd = simd == .avx2 && ToyKernelsDispatch.avx2Available ? .avx2 : .sse2
        cRows = .allocate(capacity: 1)
        cRows.initialize(to: NMMPoissonRows(s0: s0, d: d, sumScale: sumScale, fourSum: fourSum, halfInvSum: halfInvSum,
                                            alphaD: alphaD, d2: d2, d3: d3, gTerms: gTerms, hTerms: hTerms, jTerms: jTerms,
                                            alpha: alpha, beta: beta, uJ: uJ, bJ: bJ, uK: uK, bK: bK, devTerms: devTerms))
    }

    deinit {
        for p in [alpha, beta, sumScale, halfInvSum, fourSum, alphaD, d2, d3, uJ, bJ, uK, bK, gTerms, hTerms, jTerms, devTerms] {
            PaddedRows.deallocate(p)
        }
        cRows.deallocate()
    }

    /// One pass at κ over the toy's bins: profiled u, b into `uOut`, `bOut`; returns D′, D″ and
    /// (if `third`) D‴ in κ. `safe`: the toy's counts are all > 0 and s ≥ 0 (so only the root
    /// branch is checked per bin).
    @inline(__always)
    private func pass(_ kappa: Double, _ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>,
                      _ uOut: UnsafeMutablePointer<Double>, _ bOut: UnsafeMutablePointer<Double>,
                      third: Bool, safe: Bool, avx2: Bool) -> (g: Double, h: Double, j: Double) {
        let kv = V(repeating: kappa), zero = V(repeating: 0)
        var i = 0
        if avx2 {
            // Common-case blocks in C; each block it stops at is not common: the fallback.
            while true {
                i = nmm_poisson_pass_common_avx2(cRows, kappa, n, m, uOut, bOut, i, paddedBins, third ? 1 : 0, safe ? 1 : 0)
                if i >= paddedBins { break }
                let nv = R.load(n, i), mv = R.load(m, i), dv = R.load(d, i)
                let s = R.load(s0, i) + kv * dv
                let r = fallback(i, nv, mv, s, dv, uOut, bOut)
                R.store(r.g, gTerms, i)
                R.store(r.h, hTerms, i)
                if third { R.store(zero, jTerms, i) }
                i += V.scalarCount
            }
        }
        while i < paddedBins {
            let nv = R.load(n, i), mv = R.load(m, i), dv = R.load(d, i)
            let s = R.load(s0, i) + kv * dv
            let bq = R.load(sumScale, i) * s - (nv + mv)
            let common = safe ? bq .<= zero : (s .>= zero) .& (nv .> zero) .& (mv .> zero) .& (bq .<= zero)
            if all(common) {
                // Terms of Σ (α − n/u)·d, Σ (nm/P)·d², Σ (nm(n²b³ − m²u³)/P³)·d³; the
                // constant factors 2, 2, 4 are applied to the sums.
                let q = bq * bq + R.load(fourSum, i) * (mv * s)
                let disc = ToyKernelsSIMD.squareRoot(q)
                let b = (disc - bq) * R.load(halfInvSum, i)
                let u = b + s
                let nb2 = nv * (b * b)
                let p = mv * (u * u) + nb2
                let r = 1 / (u * p)
                let ur = u * r
                R.store(u, uOut, i)
                R.store(b, bOut, i)
                let npr = nv * p * r
                R.store(R.load(alphaD, i) - npr * dv, gTerms, i)
                let w = (nv * mv) * ur
                R.store(w * R.load(d2, i), hTerms, i)
                if third {
                    let u3: V = u * u * u
                    let c1: V = nb2 * nv * b
                    let c2: V = (mv * mv) * u3
                    let ur2: V = ur * ur
                    R.store(w * ur2 * (c1 - c2) * R.load(d3, i), jTerms, i)
                }
            } else {
                let r = fallback(i, nv, mv, s, dv, uOut, bOut)
                R.store(r.g, gTerms, i)
                R.store(r.h, hTerms, i)
                if third { R.store(zero, jTerms, i) }
            }
            i += V.scalarCount
        }
        return (2 * Self.sum(gTerms, paddedBins), 2 * Self.sum(hTerms, paddedBins),
                third ? 4 * Self.sum(jTerms, paddedBins) : 0)
    }

    /// Σ x[0..<count] as an eight-lane accumulator would sum it (count a multiple of 8).
    @inline(__always)
    private static func sum(_ x: UnsafePointer<Double>, _ count: Int) -> Double {
        var acc = V(repeating: 0), i = 0
        while i < count {
            acc += R.load(x, i)
            i += V.scalarCount
        }
        return acc.sum()
    }

    /// Bins i…i+7 outside the common case, by `OnOffProfile` (half slopes and curvatures, as
    /// the sums in `pass`; no third derivative).
    @inline(never)
    private func fallback(_ i: Int, _ nv: V, _ mv: V, _ s: V, _ dv: V, _ uOut: UnsafeMutablePointer<Double>,
                          _ bOut: UnsafeMutablePointer<Double>) -> (g: V, h: V) {
        var gs = V(repeating: 0), hs = V(repeating: 0)
        for l in 0..<V.scalarCount {
            let pr = OnOffProfile.profile(on: nv[l], off: mv[l], onScale: alpha[i + l], offScale: beta[i + l], signal: s[l])
            uOut[i + l] = pr.onRate
            bOut[i + l] = pr.background
            gs[l] = 0.5 * pr.slope * dv[l]
            hs[l] = 0.5 * pr.curvature * dv[l] * dv[l]
        }
        return (gs, hs)
    }

    // Specialised copies of `pass` (constant flags: fewer live registers in each loop).
    @inline(never)
    private func passThird(_ kappa: Double, _ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>,
                           _ uOut: UnsafeMutablePointer<Double>, _ bOut: UnsafeMutablePointer<Double>,
                           safe: Bool) -> (g: Double, h: Double, j: Double) {
        let r = simd == .avx2
            ? (safe ? pass(kappa, n, m, uOut, bOut, third: true, safe: true, avx2: true)
                    : pass(kappa, n, m, uOut, bOut, third: true, safe: false, avx2: true))
            : (safe ? pass(kappa, n, m, uOut, bOut, third: true, safe: true, avx2: false)
                    : pass(kappa, n, m, uOut, bOut, third: true, safe: false, avx2: false))
        return (r.g, r.h, r.j)
    }

    @inline(never)
    private func passPlain(_ kappa: Double, _ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>,
                           _ uOut: UnsafeMutablePointer<Double>, _ bOut: UnsafeMutablePointer<Double>,
                           safe: Bool) -> (g: Double, h: Double) {
        let r = simd == .avx2
            ? (safe ? pass(kappa, n, m, uOut, bOut, third: false, safe: true, avx2: true)
                    : pass(kappa, n, m, uOut, bOut, third: false, safe: false, avx2: true))
            : (safe ? pass(kappa, n, m, uOut, bOut, third: false, safe: true, avx2: false)
                    : pass(kappa, n, m, uOut, bOut, third: false, safe: false, avx2: false))
        return (r.g, r.h)
    }

    /// D(κ_j) − D(κ) from the profiled means at κ_j (`uJ`, `bJ`) and at κ (`uK`, `bK`).
    @inline(never)
    private func devianceDifference(_ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>) -> Double {
        var i = 0
        if simd == .avx2 {
            // Blocks within the atanh series in C; each block it stops at needs the logarithm.
            while true {
                i = nmm_poisson_half_log_terms_avx2(cRows, n, m, i, paddedBins)
                if i >= paddedBins { break }
                R.store(halfLogTerms(i, R.load(n, i), R.load(m, i)), devTerms, i)
                i += V.scalarCount
            }
        }
        while i < paddedBins {
            R.store(halfLogTerms(i, R.load(n, i), R.load(m, i)), devTerms, i)
            i += V.scalarCount
        }
        return 2 * Self.sum(devTerms, paddedBins)
    }

    /// Half the deviance difference of bins i…i+7: α(u_j − u) + β(b_j − b) + n ln(u/u_j) + m ln(b/b_j),
    /// with the ln = 2 atanh(z) and the factors 2 applied as doublings (exact).
    @inline(__always)
    private func halfLogTerms(_ i: Int, _ nv: V, _ mv: V) -> V {
        let uj = R.load(uJ, i), bj = R.load(bJ, i), uk = R.load(uK, i), bk = R.load(bK, i)
        let su = uk + uj, sb = bk + bj
        let r = 1 / (su * sb)
        let zu = (uk - uj) * sb * r, zb = (bk - bj) * su * r
        let near = V(repeating: NMM_ATANH_SHORT_LIMIT), far = V(repeating: NMM_ATANH_LONG_LIMIT)
        var lu: V, lb: V                                          // ½ln(uk/uj), ½ln(bk/bj)
        if all((zu .<= near) .& (zu .>= -near) .& (zb .<= near) .& (zb .>= -near)) {
            (lu, lb) = (Self.atanhSeriesShort(zu), Self.atanhSeriesShort(zb))
        } else {
            (lu, lb) = (Self.atanhSeries(zu), Self.atanhSeries(zb))
            // Outside the series' range, or a zero mean (then n = 0 or m = 0): the logarithm.
            if any((zu .> far) .| (zu .< -far) .| (zb .> far) .| (zb .< -far) .| .!(r .< .infinity)) {
                (lu, lb) = Self.logRatios(nv, mv, uk, uj, bk, bj)
            }
        }
        let linear: V = R.load(alpha, i) * (uj - uk) + R.load(beta, i) * (bj - bk)
        let halfLogs: V = nv * lu + mv * lb
        return linear + (halfLogs + halfLogs)
    }


    /// All counts of the toy > 0.
    @inline(__always)
    private func positive(_ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>) -> Bool {
        let zero = V(repeating: 0)
        var i = 0
        while i < paddedBins {
            if any((R.load(n, i) .<= zero) .| (R.load(m, i) .<= zero)) { return false }
            i += V.scalarCount
        }
        return true
    }

    /// Halley step from (g, h, j) (Newton when the cubic term does not lengthen it sensibly).
    @inline(__always)
    private static func step(_ g: Double, _ h: Double, _ j: Double) -> Double {
        let den = 2 * h * h - g * j
        return den > h * h ? -2 * g * h / den : -g / h
    }

    /// Poisson t(κ_j) of one toy; nil when the iteration does not settle (refit generically).
    /// `countsPositive`: every count is known to be > 0 (the sampler's tables start above 0).
    /// `stepThird`: D‴(κ_j) for the Halley steps; nil (or not finite): this toy's own, computed
    /// at κ_j and stored there, so that the other toys of a block take the first toy's (D‴
    /// only shapes the steps and the cubic term of the final correction: the stopping test and
    /// t use the toy's exact D′, D″ and means; measured |Δt| ≤ 6e-13 against each toy's own
    /// D‴, and 5% fewer kernel cycles).
    func tValue(kappa kj: Double, _ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>,
                countsPositive: Bool = false, stepThird: inout Double?) -> Double? {
        let safe = signalNonNegative && (countsPositive || positive(n, m))
        var g: Double, h: Double, j: Double
        if let shared = stepThird, shared.isFinite {
            (g, h) = passPlain(kj, n, m, uJ, bJ, safe: safe)
            j = shared
        } else {
            (g, h, j) = passThird(kj, n, m, uJ, bJ, safe: safe)
            stepThird = j
        }
        var k = kj, passes = 1, correction = 0.0
        var lo = 0.0, loConfirmed = false, hi = Double.infinity
        var settled = false
        for _ in 0..<Self.maxIterations {
            guard g.isFinite, h.isFinite, j.isFinite else { return nil }
            if k == 0 && g >= 0 { settled = true; break }                      // boundary minimum
            if h > 0 && g * g < Self.decrementTolerance * h {
                var delta = Self.step(g, h, j)
                if k + delta < 0 { delta = -k }
                correction = delta * (g + delta * (0.5 * h + delta * j / 6))
                settled = true
                break
            }
            if g < 0 { lo = k; loConfirmed = true } else { hi = k }
            var next: Double
            if h > 0 {
                next = k + Self.step(g, h, j)
                if next <= lo {
                    next = loConfirmed ? 0.5 * (lo + hi) : 0
                } else if next >= hi {
                    next = 0.5 * (lo + hi)
                }
            } else if g < 0 {
                next = hi.isFinite ? 0.5 * (k + hi) : 2 * k + 1
            } else {
                next = 0.5 * (lo + k)
            }
            k = next
            // Later points keep D‴(κ_j): it only refines steps already within ~1e-3σ (20% of
            // the toys take a third point; their own D‴ there was measured 2.5% slower).
            (g, h) = passPlain(k, n, m, uK, bK, safe: safe)
            passes += 1
        }
        guard settled else { return nil }
        guard passes > 1 else { return max(-correction, 0) }
        // D(κ_j) − D(κ_k) at the final point, in its own loop (fused into the second pass it
        // was measured 2% slower: more live registers, and wasted when a third pass follows).
        let t = devianceDifference(n, m) - correction
        return t.isNaN ? nil : max(t, 0)
    }

    /// As `tValue(kappa:_:_:countsPositive:stepThird:)` with the toy's own D‴ throughout.
    func tValue(kappa kj: Double, _ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>,
                countsPositive: Bool = false) -> Double? {
        var own: Double? = nil
        return tValue(kappa: kj, n, m, countsPositive: countsPositive, stepThird: &own)
    }

    /// ½ln(uk/uj), ½ln(bk/bj) lane by lane by `log` (0 where the count is 0).
    @inline(never)
    private static func logRatios(_ nv: V, _ mv: V, _ uk: V, _ uj: V, _ bk: V, _ bj: V) -> (V, V) {
        var lu = V(repeating: 0), lb = V(repeating: 0)
        for l in 0..<V.scalarCount {
            lu[l] = nv[l] > 0 ? 0.5 * log(uk[l] / uj[l]) : 0
            lb[l] = mv[l] > 0 ? 0.5 * log(bk[l] / bj[l]) : 0
        }
        return (lu, lb)
    }

    /// atanh(z) = ½ln((1 + z)/(1 − z)) for |z| ≤ 0.02 (5 terms: truncation < 1e-18 relative).
    @inline(__always)
    static func atanhSeriesShort(_ z: V) -> V {
        let z2 = z * z
        var p = V(repeating: 1.0 / 9)
        p = p * z2 + 1.0 / 7
        p = p * z2 + 1.0 / 5
        p = p * z2 + 1.0 / 3
        p = p * z2 + 1
        return z * p
    }

    /// atanh(z) = ½ln((1 + z)/(1 − z)) by its Taylor series, for |z| ≤ 0.1.
    @inline(__always)
    static func atanhSeries(_ z: V) -> V {
        let z2 = z * z
        var p = V(repeating: 1.0 / 17)
        p = p * z2 + 1.0 / 15
        p = p * z2 + 1.0 / 13
        p = p * z2 + 1.0 / 11
        p = p * z2 + 1.0 / 9
        p = p * z2 + 1.0 / 7
        p = p * z2 + 1.0 / 5
        p = p * z2 + 1.0 / 3
        p = p * z2 + 1
        return z * p
    }
}
