import Foundation

/// Toy statistics for the common model where only κ is fitted (normalisations held, no χ²
/// background terms: every shipped config), toy by toy with SIMD over bins. Counts are
/// toy-major, each toy's row padded to a multiple of 4 bins (`paddedBins`); padding bins have
/// d = 0 and counts 1 and add nothing. All buffers belong to one worker; nothing allocates.
///
/// Signal s_i(κ) = s0_i + κ·d_i with s0_i = f·a·SM_i and d_i = f·MM_i (f, a held).
///
/// χ² (closed form, as `ChiSquareProfiler` for a linear one-parameter model):
///     S2 = Σ w_i d_i²,  S1 = Σ w_i d_i (y_i − s0_i),  κ̂ = S1/S2,
///     t(κ_j) = S2·(κ_j − κ̂)² − [κ̂ < 0]·S2·κ̂²   (min over κ ≥ 0 at max(κ̂, 0)),
/// with y_i = n/α − m/β and w_i = 1/σ_i² of the configured residual-error rule.
///
/// Poisson (as `PoissonProfiler`: per-bin backgrounds profiled in closed form, `OnOffProfile`):
/// t(κ_j) = D(κ_j) − min_{κ ≥ 0} D(κ). Per bin, with u = b̂ + s, P = m·u² + n·b̂², the
/// profiled deviance has dD/ds = 2(α − n/u), d²D/ds² = 2nm/P and
/// d³D/ds³ = 4nm(n²b̂³ − m²u³)/P³ (implicit differentiation of the profile equation
/// n/u + m/b̂ = α + β); one square root and one division per bin and point.
///  1. Evaluate at κ_j (its profiled means are needed for D(κ_j) anyway).
///  2. Halley steps (Newton when the cubic term would not help) on [0, ∞), safeguarded by a
///     bracket from the sign of D′ (a step leaving it bisects); κ = 0 with D′(0) ≥ 0 is the
///     boundary minimum. Stop at the first point κ_k with Newton decrement D′²/D″ < 1e-6
///     (|κ_k − κ̂| ≲ 7e-4σ) and take min D = D(κ_k) + D′δ + D″δ²/2 + D‴δ³/6 at the Halley
///     step δ (clamped to κ_k + δ ≥ 0): truncation ~ D⁗δ⁴/24 ≲ 1e-13. From the start at κ_j
///     about 95% of toys stop after one step on TEXONO-like data.
///  3. D(κ_j) − D(κ_k) = Σ 2[α(u_j − u_k) + β(b_j − b_k)] + 2n ln(u_k/u_j) + 2m ln(b_k/b_j)
///     (saturated terms cancel); ln(x/y) = 2 atanh((x − y)/(x + y)) by its series (9 terms,
///     for |z| ≤ 0.1: truncation < 1e-19 relative; `log` beyond).
/// Bins outside the common case (s < 0, n = 0, m = 0, or the other root branch) use
/// `OnOffProfile` and contribute no third derivative (the step is then Newton-like; the
/// stopping test uses the exact D′, D″). A toy whose iteration does not settle in 100 steps
/// (never seen on real spectra) is refitted with the general `PoissonProfiler`.
final class KappaOnlyKernels {
    typealias V = SIMD4<Double>
    let nb: Int
    /// Bins rounded up to a multiple of 4 (row length of the count buffers).
    let paddedBins: Int
    let rule: ResidualErrorRule
    // Per bin constants (owned, 64-byte aligned, padded).
    let alpha, beta, sumScale, halfInvSum, invAlpha, invBeta, alphaBeta, s0, d: UnsafeMutablePointer<Double>
    // Per-toy scratch: profiled means at κ_j and at the current κ.
    let uJ, bJ, uK, bK: UnsafeMutablePointer<Double>

    static let decrementTolerance = 1e-6
    static let maxIterations = 100

    /// Nil unless κ is the only fitted parameter.
    init?(model: FitModel) {
        guard model.layout(fittingKappa: true).parameters == [.kappa] else { return nil }
        nb = model.binCount
        let np = (model.binCount + 3) / 4 * 4
        paddedBins = np
        rule = model.options.residualErrors
        func buffer(pad: Double, _ f: (Int) -> Double) -> UnsafeMutablePointer<Double> {
            let p = Self.allocate(np)
            for i in 0..<np { p[i] = i < model.binCount ? f(i) : pad }
            return p
        }
        var p0 = model.base
        p0.kappa = 0
        var p1 = p0
        p1.kappa = 1
        alpha = buffer(pad: 1) { model.onScale[$0] }
        beta = buffer(pad: 1) { model.offScale[$0] }
        sumScale = buffer(pad: 2) { model.onScale[$0] + model.offScale[$0] }
        halfInvSum = buffer(pad: 0.25) { 1 / (2 * (model.onScale[$0] + model.offScale[$0])) }
        invAlpha = buffer(pad: 1) { 1 / model.onScale[$0] }
        invBeta = buffer(pad: 1) { 1 / model.offScale[$0] }
        alphaBeta = buffer(pad: 1) { model.onScale[$0] * model.offScale[$0] }
        s0 = buffer(pad: 0) { model.residualModel($0, p0) }
        d = buffer(pad: 0) { model.residualModel($0, p1) - model.residualModel($0, p0) }
        uJ = Self.allocate(np); bJ = Self.allocate(np); uK = Self.allocate(np); bK = Self.allocate(np)
    }

    deinit {
        for p in [alpha, beta, sumScale, halfInvSum, invAlpha, invBeta, alphaBeta, s0, d, uJ, bJ, uK, bK] {
            UnsafeMutableRawPointer(p).deallocate()
        }
    }

    /// 64-byte aligned doubles, zeroed (free with UnsafeMutableRawPointer.deallocate).
    static func allocate(_ n: Int) -> UnsafeMutablePointer<Double> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(n, 1) * 8, alignment: 64)
        let p = raw.bindMemory(to: Double.self, capacity: max(n, 1))
        p.initialize(repeating: 0, count: max(n, 1))
        return p
    }

    /// Count buffer of `toys` rows of `paddedBins`, padding bins set to 1 count.
    func makeCountBuffer(toys: Int) -> UnsafeMutablePointer<Double> {
        let p = Self.allocate(toys * paddedBins)
        for t in 0..<toys { for i in nb..<paddedBins { p[t * paddedBins + i] = 1 } }
        return p
    }

    @inline(__always) private static func load(_ p: UnsafePointer<Double>, _ i: Int) -> V {
        UnsafeRawPointer(p + i).load(as: V.self)
    }

    @inline(__always) private static func store(_ v: V, _ p: UnsafeMutablePointer<Double>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: V.self)
    }

    // MARK: χ²

    /// S1, S2 of one toy (row `n`, `m`).
    @inline(__always)
    func chi2Sums(_ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>) -> (s1: Double, s2: Double) {
        var a1 = V(repeating: 0), a2 = V(repeating: 0)
        var i = 0
        switch rule {
        case .pooled:
            while i < paddedBins {
                let nv = Self.load(n, i), mv = Self.load(m, i), dv = Self.load(d, i)
                let w = Self.load(alphaBeta, i) / pointwiseMax(nv + mv, V(repeating: 1))
                a1 += w * dv * (nv * Self.load(invAlpha, i) - mv * Self.load(invBeta, i) - Self.load(s0, i))
                a2 += w * dv * dv
                i += 4
            }
        case .observedCounts:
            while i < paddedBins {
                let nv = Self.load(n, i), mv = Self.load(m, i), dv = Self.load(d, i)
                let ia = Self.load(invAlpha, i), ib = Self.load(invBeta, i)
                let one = V(repeating: 1)
                let w = 1 / (pointwiseMax(nv, one) * ia * ia + pointwiseMax(mv, one) * ib * ib)
                a1 += w * dv * (nv * ia - mv * ib - Self.load(s0, i))
                a2 += w * dv * dv
                i += 4
            }
        }
        return (a1.sum(), a2.sum())
    }

    /// χ² t(κ) from the sums (NaN if the fit is singular).
    @inline(__always)
    static func chi2T(kappa: Double, s1: Double, s2: Double) -> Double {
        guard s2 > 0, s2.isFinite, s1.isFinite else { return .nan }
        let kh = s1 / s2, dk = kappa - kh
        let t = s2 * dk * dk - (kh < 0 ? s2 * kh * kh : 0)
        return max(t, 0)
    }

    // MARK: Poisson

    /// One pass at κ over the toy's bins: profiled u, b into `uOut`, `bOut`; returns D′, D″, D‴ in κ.
    @inline(__always)
    private func pass(_ kappa: Double, _ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>,
                      _ uOut: UnsafeMutablePointer<Double>, _ bOut: UnsafeMutablePointer<Double>)
        -> (g: Double, h: Double, j: Double) {
        var g = V(repeating: 0), h = V(repeating: 0), j = V(repeating: 0)
        let kv = V(repeating: kappa), zero = V(repeating: 0)
        var i = 0
        while i < paddedBins {
            let nv = Self.load(n, i), mv = Self.load(m, i), dv = Self.load(d, i)
            let s = Self.load(s0, i) + kv * dv
            let a = Self.load(sumScale, i)
            let bq = a * s - nv - mv
            let common = (s .>= zero) .& (nv .> zero) .& (mv .> zero) .& (bq .<= zero)
            if all(common) {
                let disc = (bq * bq + 4 * a * mv * s).squareRoot()
                let b = (disc - bq) * Self.load(halfInvSum, i)
                let u = b + s
                let p = mv * u * u + nv * b * b
                let r = 1 / (u * p)
                let ur = u * r
                Self.store(u, uOut, i)
                Self.store(b, bOut, i)
                let nm = nv * mv
                g += 2 * (Self.load(alpha, i) - nv * p * r) * dv
                h += 2 * nm * ur * dv * dv
                let b3: V = b * b * b, u3: V = u * u * u, ur3: V = ur * ur * ur, d3: V = dv * dv * dv
                let cubic: V = nv * nv * b3 - mv * mv * u3
                j += 4 * nm * cubic * ur3 * d3
            } else {
                var gs = V(repeating: 0), hs = V(repeating: 0)
                for l in 0..<4 {
                    let pr = OnOffProfile.profile(on: nv[l], off: mv[l], onScale: alpha[i + l], offScale: beta[i + l],
                                                  signal: s[l])
                    uOut[i + l] = pr.onRate
                    bOut[i + l] = pr.background
                    gs[l] = pr.slope * dv[l]
                    hs[l] = pr.curvature * dv[l] * dv[l]
                }
                g += gs
                h += hs
            }
            i += 4
        }
        return (g.sum(), h.sum(), j.sum())
    }

    /// Halley step from (g, h, j) (Newton when the cubic term does not lengthen it sensibly).
    @inline(__always)
    private static func step(_ g: Double, _ h: Double, _ j: Double) -> Double {
        let den = 2 * h * h - g * j
        return den > h * h ? -2 * g * h / den : -g / h
    }

    /// Poisson t(κ_j) of one toy; nil when the iteration does not settle (refit generically).
    func poissonT(kappa kj: Double, _ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>) -> Double? {
        var (g, h, j) = pass(kj, n, m, uJ, bJ)
        var k = kj, atJ = true, correction = 0.0
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
            (g, h, j) = pass(k, n, m, uK, bK)
            atJ = false
        }
        guard settled else { return nil }
        guard !atJ else { return max(-correction, 0) }
        // D(κ_j) − D(κ_k).
        var acc = V(repeating: 0)
        var i = 0
        let limit = V(repeating: 0.1), zero = V(repeating: 0)
        while i < paddedBins {
            let nv = Self.load(n, i), mv = Self.load(m, i)
            let uj = Self.load(uJ, i), bj = Self.load(bJ, i), uk = Self.load(uK, i), bk = Self.load(bK, i)
            let su = uk + uj, sb = bk + bj
            let r = 1 / (su * sb)
            let zu = (uk - uj) * sb * r, zb = (bk - bj) * su * r
            var lu = Self.atanhSeries(zu), lb = Self.atanhSeries(zb)     // ln(uk/uj), ln(bk/bj)
            if any(pointwiseMax(zu, -zu) .> limit) || any(pointwiseMax(zb, -zb) .> limit) || any(.!(r .> zero)) || !all(r .< .infinity) {
                for l in 0..<4 {
                    lu[l] = nv[l] > 0 ? log(uk[l] / uj[l]) : 0
                    lb[l] = mv[l] > 0 ? log(bk[l] / bj[l]) : 0
                }
            }
            let linear: V = Self.load(alpha, i) * (uj - uk) + Self.load(beta, i) * (bj - bk)
            let logs: V = nv * lu + mv * lb
            acc += 2 * (linear + logs)
            i += 4
        }
        let t = acc.sum() - correction
        return t.isNaN ? nil : max(t, 0)
    }

    /// 2·atanh(z) = ln((1 + z)/(1 − z)) by its Taylor series, for |z| ≤ 0.1.
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
        return 2 * z * p
    }
}
