import Foundation
import NMMCore
internal import CToyKernels

/// Poisson t(κ) of model toys with nuisance parameters (issue 17): Newton in (κ, θ) where each
/// iteration is one SIMD pass over the bins and the rest is template and parameter space
/// (`NuisanceBlockModel`). A pass at p: S_i = Σ_c C_c T_ci, the per-bin background profiled in
/// closed form (`OnOffProfile`'s roots, vectorised where n, m > 0: D′ = 2(α − n/u),
/// D″ = 2nm/(m u² + n b²); bins with an empty count go through `OnOffProfile`), then the
/// template-space sums
///     e_c = Σ_i D′_i T_ci,   h_cd = Σ_i D″_i T_ci T_di
/// and the chain rule to the parameters. No function value is needed until the end:
///  • stop at the first point p_k with Newton decrement δ = gᵀH⁻¹g < 1e-5 (H positive definite,
///    undamped; 1e-8 if a bin had no third derivative) and take the value at p_k + Δ by the
///    cubic Taylor sum along the exact change of S (`taylorStep`): within ~1e-11 of the minimum
///    (the general minimizer takes one more step below δ = 1e-10: the same minimum);
///  • t = D(p_cond) − D(p_min) + the two steps' changes, the deviance difference from the
///    profiled means at the two points: Σ 2[α(u₁ − u₂) + β(b₁ − b₂)] + 2n ln(u₂/u₁) + 2m ln(b₂/b₁),
///    the logarithms by the atanh series where the means are close (5 terms for |z| ≤ 0.02, 9 for |z| ≤ 0.1), else by
///    `NuisanceVectorMath.log` — no logarithm of a count, and the saturated terms cancel.
/// The best fit and the conditional fit at the generation point's κ share the first pass (both
/// start at the generation point). Steps as `ModelMinimizer`'s: Levenberg damping where H is
/// not positive definite, the domain kept (signal and log-normal normalisations > 0), Armijo
/// backtracking on the value difference to the current point (the same log-ratio sum) — except
/// that an undamped step with δ ≤ 0.5 (≤ 4 where no bin is empty) is taken unchecked (the
/// quadratic model holds there: most toys from their first step). A toy whose fit finds no acceptable step or needs more
/// than 100 iterations returns nil and is refitted by `ModelProfiler`.
/// With AVX2 (`ToyKernelsDispatch`) the common-case blocks of the passes and of the deviance
/// difference, the Taylor sum's terms and the template dot products run in the C loops
/// of `CToyKernels` (the same IEEE operations in the same order: the same t bit for bit,
/// `ToyKernelsDispatchTests`); other blocks and the other horizontal sums stay here (the dot
/// products' sums by one fixed tree in both, `NuisanceVectorMath.laneSum`).
/// Buffers are owned; nothing allocates per toy.
final class NuisancePoissonKernel {
    typealias V = PaddedRows.V
    private typealias R = PaddedRows
    let model: NuisanceBlockModel
    private let nb, np, nt, npar: Int
    /// Profiled ON rate u and background b of the two fits being compared (best/physical: 0,
    /// conditional: 1) and of a trial point (2), and the per-bin half slopes α − n/u and half
    /// curvatures nm/P of the last pass.
    /// (Owned pointers, not arrays in `var`s: no exclusivity checks in the loops.)
    private struct RowSet { var u, b, d1, d2, d3: UnsafeMutablePointer<Double> }
    private let sets: UnsafeMutablePointer<RowSet>
    /// The row set's pass had no bin outside the vectorised case (its d3 row is complete).
    private let smooth: UnsafeMutablePointer<Bool>
    // Template space: e, h (full nt × nt), first-pass copies, coefficients.
    private let e, ht, e0, ht0, coef, coefStep: UnsafeMutablePointer<Double>
    // Parameter space.
    private let grad, hess, factor, stepBuf, jac: UnsafeMutablePointer<Double>
    private let jacIndex: UnsafeMutablePointer<Int>
    private let minPoint, condPoint, trial: UnsafeMutablePointer<Double>
    /// The instructions of the common-case loops (`ToyKernelsDispatch`).
    let simd: ToyKernelsDispatch.Level
    /// The model's rows for the AVX2 loops.
    private let cRows: UnsafeMutablePointer<NMMNuisanceRows>
    /// AVX2 scratch: per-bin terms of a sum (summed here in eight-lane order), and the template
    /// dot products (one per template or template pair).
    private let terms, lanes: UnsafeMutablePointer<Double>

    static let decrementTolerance = 1e-8
    /// With the cubic term (`taylorStep`) the minimum is within ~δ²/24 + the next decrement
    /// (~1e-2 δ²: quadratic convergence) ≲ 1e-11 of the value below this decrement.
    static let cubicTolerance = 1e-5
    /// Below this Newton decrement a full undamped step is taken without checking its value.
    static let trustedDecrement = 0.5
    /// The same where every bin of the current point has n, m > 0 (the profiled background is
    /// then smooth in S and the deviance near-quadratic out to a few σ): fewer line-search
    /// deviance passes on the first step from the generation point (a toy's fluctuation is
    /// ~1σ: δ ≈ 1). Toys with empty bins keep 0.5 (unchecked larger steps cycled on them).
    static let trustedDecrementSmooth = 4.0
    static let maxIterations = 100
    static let maxHalvings = 40

    /// Why fits left the safeguards, for tests and tuning: [iteration cap, no positive-definite
    /// step, no acceptable step, non-finite].
    private(set) var failures = [0, 0, 0, 0]

    /// `simd`: the instructions of the common-case loops (AVX2 falls back to SSE2 on a CPU
    /// without it).
    init(_ model: NuisanceBlockModel, simd: ToyKernelsDispatch.Level = ToyKernelsDispatch.current) {
        self.model = model
        nb = model.binCount; np = model.paddedBins; nt = model.templateCount; npar = model.parameterCount
        let padded = model.paddedBins
        sets = .allocate(capacity: 3)
        for k in 0..<3 {
            (sets + k).initialize(to: RowSet(u: R.allocate(padded), b: R.allocate(padded), d1: R.allocate(padded),
                                             d2: R.allocate(padded), d3: R.allocate(padded)))
        }
        smooth = .allocate(capacity: 3)
        smooth.initialize(repeating: true, count: 3)
        func doubles(_ n: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        e = doubles(nt); ht = doubles(nt * nt); e0 = doubles(nt); ht0 = doubles(nt * nt); coef = doubles(nt)
        coefStep = doubles(nt)
        let nf = npar
        grad = doubles(nf); hess = doubles(nf * nf); factor = doubles(nf * nf); stepBuf = doubles(nf)
        jac = doubles(nt * nf); jacIndex = .allocate(capacity: max(2 * nt * nf, 1))
        minPoint = doubles(npar); condPoint = doubles(npar); trial = doubles(npar)
        self.simd = simd == .avx2 && ToyKernelsDispatch.avx2Available ? .avx2 : .sse2
        cRows = .allocate(capacity: 1)
        cRows.initialize(to: NMMNuisanceRows(templates: model.templates, alpha: model.alpha, beta: model.beta,
                                             halfInvSum: model.halfInverseScaleSum, templateCount: nt, paddedBins: np))
        terms = R.allocate(padded)
        lanes = R.allocate(V.scalarCount * max(nt, model.pairCount))
    }

    deinit {
        for k in 0..<3 { for p in [sets[k].u, sets[k].b, sets[k].d1, sets[k].d2, sets[k].d3] { R.deallocate(p) } }
        sets.deallocate()
        smooth.deallocate()
        for p in [e, ht, e0, ht0, coef, coefStep, grad, hess, factor, stepBuf, jac, minPoint, condPoint, trial] { p.deallocate() }
        jacIndex.deallocate()
        cRows.deallocate()
        R.deallocate(terms); R.deallocate(lanes)
    }

    // MARK: The pass over the bins

    /// One pass at p: profiled u, b and the half derivatives D′/2, D″/2, D‴/2 into row set
    /// `slot`, then e and h (template space). `within`: a fit's later pass, over the blocks and
    /// template sums of that layout only (`NuisanceLayout.blockStart`): the other blocks' signal
    /// does not move in that fit, so their rows stay as the fit's first pass left them.
    private func pass(_ p: UnsafePointer<Double>, _ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>, slot: Int,
                      within layout: NuisanceLayout? = nil) {
        model.coefficients(p, into: coef)
        let rs = sets[slot]
        let lo = layout?.blockStart ?? 0, hi = layout?.blockEnd ?? np
        let tr = layout?.templateRange ?? model.templateRange, pr = layout?.pairRange ?? model.pairRange
        if simd == .avx2 {
            smooth[slot] = binsAVX2(n, m, rs, lo, hi)
            templateSumsAVX2(rs.d1, rs.d2, tr, pr)
        } else {
            smooth[slot] = bins(n, m, rs, lo, hi)
            templateSums(rs.d1, rs.d2, tr, pr)
        }
    }

    /// The bins of a pass (coefficients in `coef`) into `rs`; false if a block went to the fallback.
    private func bins(_ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>, _ rs: RowSet, _ lo: Int, _ hi: Int) -> Bool {
        let zero = V(repeating: 0)
        var smooth = true, i = lo
        while i < hi {
            let nv = R.load(n, i), mv = R.load(m, i)
            let s = model.signal(coef, i)
            if all((nv .> zero) .& (mv .> zero)) {
                commonBlock(i, nv, mv, s, rs)
            } else {
                fallback(i, nv, mv, s, rs.u, rs.b, rs.d1, rs.d2, rs.d3)
                smooth = false
            }
            i += V.scalarCount
        }
        return smooth
    }

    /// `bins` with the common-case blocks in C; each block it stops at is not common: the fallback.
    private func binsAVX2(_ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>, _ rs: RowSet, _ lo: Int, _ hi: Int) -> Bool {
        var out = NMMNuisanceBins(u: rs.u, b: rs.b, d1: rs.d1, d2: rs.d2, d3: rs.d3)
        var smooth = true, i = lo
        while true {
            i = nmm_nuisance_pass_common_avx2(cRows, coef, n, m, &out, i, hi)
            if i >= hi { return smooth }
            fallback(i, R.load(n, i), R.load(m, i), model.signal(coef, i), rs.u, rs.b, rs.d1, rs.d2, rs.d3)
            smooth = false
            i += V.scalarCount
        }
    }

    /// Bins i…i+7 with n, m > 0: the interior root (b̂ > 0, u > 0) in the root form
    /// `OnOffProfile` uses for the sign of s, and u, b, D′/2, D″/2, D‴/2 into `rs`.
    @inline(__always)
    private func commonBlock(_ i: Int, _ nv: V, _ mv: V, _ s: V, _ rs: RowSet) {
        let a = R.load(model.alpha, i), be = R.load(model.beta, i)
        let sum = a + be, half = R.load(model.halfInverseScaleSum, i), positive = s .>= V(repeating: 0)
        var bv: V, uv: V
        if all(positive) {
            (bv, uv) = Self.rootFromBackground(nv, mv, s, sum, half)
        } else if !any(positive) {
            (bv, uv) = Self.rootFromOnRate(nv, mv, s, sum, half)
        } else {
            let r1 = Self.rootFromBackground(nv, mv, s, sum, half), r2 = Self.rootFromOnRate(nv, mv, s, sum, half)
            bv = r2.b.replacing(with: r1.b, where: positive)
            uv = r2.u.replacing(with: r1.u, where: positive)
        }
        let p = mv * (uv * uv) + nv * (bv * bv)
        let r = 1 / (uv * p)
        R.store(uv, rs.u, i)
        R.store(bv, rs.b, i)
        R.store(a - nv * p * r, rs.d1, i)
        let nm = nv * mv, ur = uv * r
        R.store(nm * ur, rs.d2, i)
        // D‴ = 4nm(n²b³ − m²u³)/P³ (implicit differentiation of n/u + m/b = α + β).
        R.store(2 * nm * (nv * nv * (bv * bv * bv) - mv * mv * (uv * uv * uv)) * (ur * ur * ur), rs.d3, i)
    }

    /// e and h from the half slopes `d1` and curvatures `d2`, each row over its range in `tr`, `pr`.
    private func templateSums(_ d1: UnsafePointer<Double>, _ d2: UnsafePointer<Double>, _ tr: UnsafePointer<Int>,
                              _ pr: UnsafePointer<Int>) {
        for c in 0..<nt { e[c] = 2 * dot(d1, model.templates + c * np, tr + 2 * c) }
        for c in 0..<nt {
            for d in c..<nt {
                let h = 2 * dot(d2, model.templateProducts + model.pair(c, d) * np, pr + 2 * model.pair(c, d))
                ht[c * nt + d] = h
                ht[d * nt + c] = h
            }
        }
    }

    /// `templateSums` by the AVX2 dot products (the same sums, bit for bit).
    private func templateSumsAVX2(_ d1: UnsafePointer<Double>, _ d2: UnsafePointer<Double>, _ tr: UnsafePointer<Int>,
                                  _ pr: UnsafePointer<Int>) {
        nmm_dot_sums_avx2(d1, model.templates, tr, nt, np, lanes)
        for c in 0..<nt { e[c] = 2 * lanes[c] }
        nmm_dot_sums_avx2(d2, model.templateProducts, pr, model.pairCount, np, lanes)
        for c in 0..<nt {
            for d in c..<nt {
                let h = 2 * lanes[model.pair(c, d)]
                ht[c * nt + d] = h
                ht[d * nt + c] = h
            }
        }
    }

    /// s ≥ 0: the larger root of (α+β)b² + [(α+β)s − n − m]b − m s = 0 without cancellation.
    @inline(__always)
    private static func rootFromBackground(_ n: V, _ m: V, _ s: V, _ sum: V, _ half: V) -> (b: V, u: V) {
        let bq = sum * s - (n + m)
        let disc = (bq * bq + 4 * sum * (m * s)).squareRoot()
        var b = (disc - bq) * half
        if any(bq .> V(repeating: 0)) { b = b.replacing(with: (2 * m * s) / (bq + disc), where: bq .> V(repeating: 0)) }
        return (b, b + s)
    }

    /// s < 0: the root in u = b + s, (α+β)u² − [(α+β)s + n + m]u + n s = 0 (b = u − s > 0: no cancellation).
    @inline(__always)
    private static func rootFromOnRate(_ n: V, _ m: V, _ s: V, _ sum: V, _ half: V) -> (b: V, u: V) {
        let bq = -(sum * s + n + m)
        let disc = (bq * bq - 4 * sum * (n * s)).squareRoot()
        var u = (disc - bq) * half
        if any(bq .> V(repeating: 0)) { u = u.replacing(with: (-2 * n * s) / (bq + disc), where: bq .> V(repeating: 0)) }
        return (u - s, u)
    }

    /// Lanes i…i+7 outside the common case, by `OnOffProfile` (half slope and curvature).
    @inline(never)
    private func fallback(_ i: Int, _ nv: V, _ mv: V, _ s: V, _ u: UnsafeMutablePointer<Double>,
                          _ b: UnsafeMutablePointer<Double>, _ d1: UnsafeMutablePointer<Double>,
                          _ d2: UnsafeMutablePointer<Double>, _ d3: UnsafeMutablePointer<Double>) {
        for l in 0..<V.scalarCount {
            let pr = OnOffProfile.profile(on: nv[l], off: mv[l], onScale: model.alpha[i + l], offScale: model.beta[i + l],
                                          signal: s[l])
            u[i + l] = pr.onRate
            b[i + l] = pr.background
            d1[i + l] = 0.5 * pr.slope
            d2[i + l] = 0.5 * pr.curvature
            d3[i + l] = 0
        }
    }

    @inline(__always)
    private func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ range: UnsafePointer<Int>) -> Double {
        NuisanceVectorMath.dot(a, b, from: range[0], to: range[1])
    }

    /// D(row set `a`) − D(row set `b`) over the bins lo..<hi from the profiled means (blocks
    /// outside, where the two row sets agree, add exactly 0).
    private func devianceDifference(_ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>, _ a: Int, _ b: Int,
                                    from lo: Int = 0, to end: Int? = nil) -> Double {
        let uB = sets[b].u, bB = sets[b].b, uA = sets[a].u, bA = sets[a].b, hi = end ?? np
        var i = lo
        if simd == .avx2 {
            // Blocks within the atanh series in C; each block it stops at needs the logarithm.
            while true {
                i = nmm_nuisance_deviance_terms_avx2(cRows, n, m, uA, bA, uB, bB, terms, i, hi)
                if i >= hi { break }
                R.store(devianceTerms(i, n, m, uA, bA, uB, bB), terms, i)
                i += V.scalarCount
            }
            return sumTerms(lo, hi)
        }
        var acc = V(repeating: 0)
        while i < hi {
            acc += devianceTerms(i, n, m, uA, bA, uB, bB)
            i += V.scalarCount
        }
        return acc.sum()
    }

    /// 2[α(u_a − u_b) + β(b_a − b_b)] + 2n ln(u_b/u_a) + 2m ln(b_b/b_a) of bins i…i+7.
    @inline(__always)
    private func devianceTerms(_ i: Int, _ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>,
                               _ uA: UnsafePointer<Double>, _ bA: UnsafePointer<Double>,
                               _ uB: UnsafePointer<Double>, _ bB: UnsafePointer<Double>) -> V {
        let zero = V(repeating: 0), one = V(repeating: 1), limit = V(repeating: NMM_ATANH_LONG_LIMIT), near = V(repeating: NMM_ATANH_SHORT_LIMIT)
        let nv = R.load(n, i), mv = R.load(m, i)
        let ua = R.load(uA, i), ub = R.load(uB, i), ba = R.load(bA, i), bb = R.load(bB, i)
        let linear = R.load(model.alpha, i) * (ua - ub) + R.load(model.beta, i) * (ba - bb)
        // ln(u_b/u_a), ln(b_b/b_a) where the count is > 0 (0·ln = 0 elsewhere: ratio set to 1).
        let nz = nv .== zero, mz = mv .== zero
        let x1 = ub.replacing(with: one, where: nz), y1 = ua.replacing(with: one, where: nz)
        let x2 = bb.replacing(with: one, where: mz), y2 = ba.replacing(with: one, where: mz)
        let s1 = x1 + y1, s2 = x2 + y2, r = 1 / (s1 * s2)
        let z1 = (x1 - y1) * s2 * r, z2 = (x2 - y2) * s1 * r
        let az1 = z1.replacing(with: -z1, where: z1 .< zero), az2 = z2.replacing(with: -z2, where: z2 .< zero)
        var l1: V, l2: V
        if all((az1 .<= near) .& (az2 .<= near)) {
            l1 = NuisanceVectorMath.atanhSeriesShort(z1)
            l2 = NuisanceVectorMath.atanhSeriesShort(z2)
        } else if all((az1 .<= limit) .& (az2 .<= limit)) {
            l1 = NuisanceVectorMath.atanhSeries(z1)
            l2 = NuisanceVectorMath.atanhSeries(z2)
        } else {
            (l1, l2) = NuisanceVectorMath.logRatios(x1, y1, x2, y2)
        }
        return 2 * (linear + nv * l1 + mv * l2)
    }

    /// Σ of the `terms` row over lo..<hi as an eight-lane accumulator would sum it (bit for bit).
    @inline(__always)
    private func sumTerms(_ lo: Int, _ hi: Int) -> Double {
        var acc = V(repeating: 0), i = lo
        while i < hi {
            acc += R.load(terms, i)
            i += V.scalarCount
        }
        return acc.sum()
    }

    // MARK: Newton

    private func swapRows(_ a: Int, _ b: Int) {
        let r = sets[a], f = smooth[a]
        sets[a] = sets[b]; smooth[a] = smooth[b]
        sets[b] = r; smooth[b] = f
    }

    private func copyRows(from a: Int, to b: Int) {
        copyRows(from: a, to: b, 0..<np)
        smooth[b] = smooth[a]
    }

    /// Bins `range` of row set `a` into row set `b`.
    private func copyRows(from a: Int, to b: Int, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let from = sets[a], to = sets[b], lo = range.lowerBound
        for (x, y) in [(from.u, to.u), (from.b, to.b), (from.d1, to.d1), (from.d2, to.d2), (from.d3, to.d3)] {
            (y + lo).update(from: x + lo, count: range.count)
        }
    }

    /// The change of −2 ln L from the final point x to x + Δ (the Newton step in `stepBuf`):
    /// per bin the exact change ΔS_i of the signal and D′ΔS + D″ΔS²/2 + D‴ΔS³/6 (truncation
    /// ~ D⁗ΔS⁴/24: ≲ δ²/24), plus the exact change of the constraint terms. Nil if x + Δ leaves
    /// the domain.
    private func taylorStep(_ x: UnsafePointer<Double>, _ layout: NuisanceLayout, globals: UnsafePointer<Double>,
                            slot: Int) -> Double? {
        for q in 0..<npar { trial[q] = x[q] }
        for k in 0..<layout.count { trial[layout.free[k]] += stepBuf[k] }
        guard model.inDomain(trial) else { return nil }
        model.coefficients(x, into: coef)
        model.coefficients(trial, into: coefStep)
        for c in 0..<nt { coefStep[c] -= coef[c] }
        let lo = layout.blockStart, hi = layout.blockEnd
        let sum = simd == .avx2 ? taylorSumAVX2(slot, lo, hi) : taylorSum(slot, lo, hi)
        return 2 * sum + model.penalty(trial, layout, globals: globals) - model.penalty(x, layout, globals: globals)
    }

    /// Σ_i ΔS(D′/2 + ΔS(½D″/2 + ΔS·⅙D‴/2)) of row set `slot` over bins lo..<hi (ΔS = 0
    /// outside a layout's blocks), ΔS from `coefStep`.
    private func taylorSum(_ slot: Int, _ lo: Int, _ hi: Int) -> Double {
        let d1 = sets[slot].d1, d2 = sets[slot].d2, d3 = sets[slot].d3
        let half = V(repeating: 0.5), sixth = V(repeating: 1.0 / 6)
        var acc = V(repeating: 0)
        var i = lo
        while i < hi {
            let ds = model.signal(coefStep, i)
            acc += ds * (R.load(d1, i) + ds * (half * R.load(d2, i) + ds * (sixth * R.load(d3, i))))
            i += V.scalarCount
        }
        return acc.sum()
    }

    /// `taylorSum` with the per-bin terms from C.
    private func taylorSumAVX2(_ slot: Int, _ lo: Int, _ hi: Int) -> Double {
        let rs = sets[slot]
        var at = NMMNuisanceBins(u: rs.u, b: rs.b, d1: rs.d1, d2: rs.d2, d3: rs.d3)
        nmm_nuisance_taylor_terms_avx2(cRows, coefStep, &at, terms, lo, hi)
        return sumTerms(lo, hi)
    }

    /// Newton from `x` (in place) over the free slots of `layout`, its first pass already done
    /// (e, h and row set `slot` at x), as `ModelMinimizer` (Levenberg damping when H is not
    /// positive definite, Armijo backtracking on the value difference to the current point) except
    /// that a step with decrement ≤ `trustedDecrement` is taken without its value (the quadratic
    /// model holds there). Stops at the first undamped point with δ < 1e-8, or δ < 1e-5 when
    /// every bin had its third derivative; returns (the change to the minimum by `taylorStep`,
    /// the constraint terms at the final point), or nil.
    private func newton(_ x: UnsafeMutablePointer<Double>, _ layout: NuisanceLayout, _ n: UnsafePointer<Double>,
                        _ m: UnsafePointer<Double>, globals: UnsafePointer<Double>, slot: Int) -> (change: Double, penalty: Double)? {
        let nf = layout.count, scratch = 2, lo = layout.blockStart, hi = layout.blockEnd
        for q in 0..<npar { trial[q] = x[q] }
        // The later passes cover the layout's blocks only: the scratch rows take the others.
        copyRows(from: slot, to: scratch, 0..<lo)
        copyRows(from: slot, to: scratch, hi..<np)
        for _ in 0..<Self.maxIterations {
            let pen = model.derivatives(x, layout, globals: globals, e: e, ht: ht, gradient: grad, hessian: hess,
                                        jacValue: jac, jacIndex: jacIndex)
            let undamped = NuisanceNewton.step(gradient: grad, hessian: hess, nf, factor: factor, step: stepBuf,
                                               allowDamping: false)
            if !undamped {
                guard NuisanceNewton.step(gradient: grad, hessian: hess, nf, factor: factor, step: stepBuf) else {
                    failures[1] += 1
                    return nil
                }
            }
            var decrement = 0.0
            for k in 0..<nf { decrement -= grad[k] * stepBuf[k] }
            guard decrement.isFinite, pen.isFinite else { failures[3] += 1; return nil }
            if undamped && (decrement < Self.decrementTolerance || (decrement < Self.cubicTolerance && smooth[slot])),
               let change = taylorStep(x, layout, globals: globals, slot: slot) {
                return (change, pen)
            }
            var scale = 1.0, accepted = false
            let trusted = smooth[slot] ? Self.trustedDecrementSmooth : Self.trustedDecrement
            for _ in 0..<Self.maxHalvings {
                for k in 0..<nf { trial[layout.free[k]] = x[layout.free[k]] + scale * stepBuf[k] }
                if model.inDomain(trial) {
                    pass(trial, n, m, slot: scratch, within: layout)
                    smooth[scratch] = smooth[scratch] && smooth[slot]   // bins outside: the same counts
                    if undamped && decrement <= trusted { accepted = true; break }
                    let change = devianceDifference(n, m, scratch, slot, from: lo, to: hi)
                        + model.penalty(trial, layout, globals: globals) - pen
                    if change <= -1e-4 * scale * decrement { accepted = true; break }
                }
                scale *= 0.5
            }
            guard accepted else { failures[2] += 1; return nil }
            for k in 0..<nf { x[layout.free[k]] = trial[layout.free[k]] }
            swapRows(slot, scratch)
        }
        failures[0] += 1
        return nil
    }

    /// κ̂ of the best fit (κ free, either sign) of the last `tValue`/`tValues`.
    private(set) var kappaHat = Double.nan

    /// Best fit from `start` (first pass into slot 0, copied to slot 1 and kept when the
    /// conditional fit starts at the same point), then the physical minimum (κ = 0 fit when
    /// κ̂ < 0). Returns (δ, constraint terms) of the physical minimum, whose means stay in slot 0;
    /// the best fit's point is left in `condPoint`. `share`: the first pass is kept in e0/ht0
    /// and slot 1.
    private func physicalMinimum(_ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>, globals: UnsafePointer<Double>,
                                 start: UnsafePointer<Double>, share: Bool) -> (change: Double, penalty: Double)? {
        for q in 0..<npar { minPoint[q] = start[q] }
        guard model.inDomain(minPoint) else { return nil }
        pass(minPoint, n, m, slot: 0)
        if share {
            for c in 0..<nt { e0[c] = e[c] }
            for k in 0..<(nt * nt) { ht0[k] = ht[k] }
            copyRows(from: 0, to: 1)
        }
        kappaHat = .nan
        guard let best = newton(minPoint, model.freeLayout, n, m, globals: globals, slot: 0) else { return nil }
        for q in 0..<npar { condPoint[q] = minPoint[q] }
        // κ̂ = κ_k + Δκ (the Newton step from the final point; κ is slot 0 of the free layout).
        kappaHat = minPoint[0] + stepBuf[0]
        guard kappaHat < 0 else { return best }
        minPoint[0] = 0
        pass(minPoint, n, m, slot: 0)
        return newton(minPoint, model.fixedLayout, n, m, globals: globals, slot: 0)
    }

    /// The physical minimum of the toy of the last `tValue` (its rows in slot 0), for `sameToy`.
    private var toyMinimum: (change: Double, penalty: Double)?

    /// t(κ) of one toy generated at `start` (κ = start[0] shares the first pass); nil when the
    /// iteration leaves its safeguards. `sameToy`: the toy of the previous call, whose physical
    /// minimum (slot 0) is reused; the conditional fit then takes its own first pass (the same
    /// numbers as the shared one), so t is what a fresh call gives, bit for bit.
    func tValue(kappa: Double, on n: UnsafePointer<Double>, off m: UnsafePointer<Double>, globals: UnsafePointer<Double>,
                start: UnsafePointer<Double>, sameToy: Bool = false) -> Double? {
        let share = !sameToy && start[0] == kappa
        let low: (change: Double, penalty: Double)
        if sameToy {
            guard let cached = toyMinimum else { return nil }
            low = cached
        } else {
            toyMinimum = nil
            guard let fresh = physicalMinimum(n, m, globals: globals, start: start, share: share) else { return nil }
            toyMinimum = fresh
            low = fresh
        }
        for q in 0..<npar { condPoint[q] = start[q] }
        condPoint[0] = kappa
        if share {
            for c in 0..<nt { e[c] = e0[c] }
            for k in 0..<(nt * nt) { ht[k] = ht0[k] }
        } else {
            pass(condPoint, n, m, slot: 1)
        }
        guard let cond = newton(condPoint, model.fixedLayout, n, m, globals: globals, slot: 1) else { return nil }
        let t = devianceDifference(n, m, 1, 0) + cond.penalty - low.penalty + cond.change - low.change
        return t.isNaN ? nil : max(t, 0)
    }

    /// t(κ_j) over `grid` into `out` (as `ModelProfiler.tValues`: the first conditional fit
    /// starts at the best fit, each next one at the previous point's); false when a fit leaves
    /// the safeguards.
    func tValues(_ grid: [Double], on n: UnsafePointer<Double>, off m: UnsafePointer<Double>, globals: UnsafePointer<Double>,
                 start: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) -> Bool {
        guard let low = physicalMinimum(n, m, globals: globals, start: start, share: false) else { return false }
        for (j, k) in grid.enumerated() {
            condPoint[0] = k
            pass(condPoint, n, m, slot: 1)
            guard let cond = newton(condPoint, model.fixedLayout, n, m, globals: globals, slot: 1) else { return false }
            let t = devianceDifference(n, m, 1, 0) + cond.penalty - low.penalty + cond.change - low.change
            guard !t.isNaN else { return false }
            out[j] = max(t, 0)
        }
        return true
    }
}

extension NuisancePoissonKernel {
    /// For tests of the dispatch levels: passes at p (row set 0) and at q (row set 2), then
    /// the bits t is made of: both row sets, e and h at q, D(q) − D(p) and the Taylor sum from
    /// p along C(q) − C(p).
    func componentsForTesting(_ p: UnsafePointer<Double>, _ q: UnsafePointer<Double>, _ n: UnsafePointer<Double>,
                              _ m: UnsafePointer<Double>) -> [Double] {
        pass(p, n, m, slot: 0)
        pass(q, n, m, slot: 2)
        var out: [Double] = []
        for k in [0, 2] {
            for row in [sets[k].u, sets[k].b, sets[k].d1, sets[k].d2, sets[k].d3] { out += (0..<np).map { row[$0] } }
        }
        out += (0..<nt).map { e[$0] } + (0..<(nt * nt)).map { ht[$0] }
        out.append(devianceDifference(n, m, 2, 0))
        model.coefficients(p, into: coef)
        model.coefficients(q, into: coefStep)
        for c in 0..<nt { coefStep[c] -= coef[c] }
        out.append(simd == .avx2 ? taylorSumAVX2(0, 0, np) : taylorSum(0, 0, np))
        return out
    }
}
