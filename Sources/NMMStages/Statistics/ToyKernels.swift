import Foundation

/// Toy statistics for a block of toys at once, for the common model where only κ is fitted
/// (normalisations held, no χ² background terms: every shipped config). The counts of a
/// block are structure-of-arrays, bin-major: n[i·B + t] is bin i of toy t. All buffers
/// belong to one worker and are allocated once; nothing here allocates.
///
/// Signal s_i(κ) = s0_i + κ·d_i with s0_i = f·a·SM_i and d_i = f·MM_i (f, a held).
///
/// χ² (closed form, as `ChiSquareProfiler` for a linear one-parameter model):
///     S2 = Σ w_i d_i²,  S1 = Σ w_i d_i (y_i − s0_i),  κ̂ = S1/S2,
///     t(κ_j) = S2·(κ_j − κ̂)² − [κ̂ < 0]·S2·κ̂²   (min over κ ≥ 0 at max(κ̂, 0)),
/// with y_i = n/α − m/β and w_i = 1/σ_i² of the configured residual-error rule.
///
/// Poisson (as `PoissonProfiler`, per-bin backgrounds profiled in closed form by
/// `OnOffProfile`): min over κ ≥ 0 of the profiled deviance D(κ) by a safeguarded Newton
/// iteration on [0, ∞) started at the pooled-χ² estimate max(κ̂_χ², 0): bracket kept from the
/// sign of D′, a step leaving it bisects, κ = 0 with D′(0) ≥ 0 is the boundary minimum;
/// stop when the Newton decrement D′²/D″ < 1e-9 and take min D = D(κ_k) − D′²/(2D″)
/// (error ≲ 1e-13). Then t = D(κ_j) − min D from the profiled means at κ_j and at κ_k:
///     Σ 2[α(u_j − u_k) + β(b_j − b_k)] + 2n ln(u_k/u_j) + 2m ln(b_k/b_j)
/// (the saturated terms cancel). A toy whose iteration does not converge (never seen on
/// real spectra) is refitted with the general `PoissonProfiler`.
final class KappaOnlyKernels {
    let nb: Int
    let rule: ResidualErrorRule
    // Per bin constants (owned copies, so workers never share storage).
    let alpha: UnsafeMutablePointer<Double>
    let beta: UnsafeMutablePointer<Double>
    let sumScale: UnsafeMutablePointer<Double>      // α + β
    let halfInvSum: UnsafeMutablePointer<Double>    // 1/(2(α + β))
    let invAlpha: UnsafeMutablePointer<Double>
    let invBeta: UnsafeMutablePointer<Double>
    let alphaBeta: UnsafeMutablePointer<Double>     // αβ: pooled weight = αβ / max(n + m, 1)
    let s0: UnsafeMutablePointer<Double>
    let d: UnsafeMutablePointer<Double>

    static let newtonTolerance = 1e-9
    static let maxIterations = 100

    /// Nil unless κ is the only fitted parameter.
    init?(model: FitModel) {
        guard model.layout(fittingKappa: true).parameters == [.kappa] else { return nil }
        nb = model.binCount
        rule = model.options.residualErrors
        func buffer(_ f: (Int) -> Double) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(model.binCount, 1))
            for i in 0..<model.binCount { p[i] = f(i) }
            return p
        }
        var p0 = model.base
        p0.kappa = 0
        var p1 = p0
        p1.kappa = 1
        alpha = buffer { model.onScale[$0] }
        beta = buffer { model.offScale[$0] }
        sumScale = buffer { model.onScale[$0] + model.offScale[$0] }
        halfInvSum = buffer { 1 / (2 * (model.onScale[$0] + model.offScale[$0])) }
        invAlpha = buffer { 1 / model.onScale[$0] }
        invBeta = buffer { 1 / model.offScale[$0] }
        alphaBeta = buffer { model.onScale[$0] * model.offScale[$0] }
        s0 = buffer { model.residualModel($0, p0) }
        d = buffer { model.residualModel($0, p1) - model.residualModel($0, p0) }
    }

    deinit {
        for p in [alpha, beta, sumScale, halfInvSum, invAlpha, invBeta, alphaBeta, s0, d] { p.deallocate() }
    }

    // MARK: χ²

    /// S1, S2 per toy (see the type's doc) into s1[0..<count], s2[0..<count].
    func chi2Sums(on: UnsafePointer<Double>, off: UnsafePointer<Double>, stride b: Int, count: Int,
                  s1: UnsafeMutablePointer<Double>, s2: UnsafeMutablePointer<Double>) {
        s1.update(repeating: 0, count: count)
        s2.update(repeating: 0, count: count)
        for i in 0..<nb {
            let n = on + i * b, m = off + i * b
            let ia = invAlpha[i], ib = invBeta[i], di = d[i], si = s0[i], dd = di * di
            switch rule {
            case .pooled:
                let ab = alphaBeta[i]
                for t in 0..<count {
                    let w = ab / max(n[t] + m[t], 1)
                    s1[t] += w * di * (n[t] * ia - m[t] * ib - si)
                    s2[t] += w * dd
                }
            case .observedCounts:
                let ia2 = ia * ia, ib2 = ib * ib
                for t in 0..<count {
                    let w = 1 / (max(n[t], 1) * ia2 + max(m[t], 1) * ib2)
                    s1[t] += w * di * (n[t] * ia - m[t] * ib - si)
                    s2[t] += w * dd
                }
            }
        }
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

    /// Profiled ON rate u, background b, dD/ds and d²D/ds² of one bin at signal s.
    @inline(__always)
    func profile(_ i: Int, n: Double, m: Double, s: Double) -> (u: Double, b: Double, slope: Double, curvature: Double) {
        if s >= 0 && n > 0 && m > 0 {
            let a = sumScale[i]
            let bq = a * s - n - m
            if bq <= 0 {
                // Interior b > 0 (see OnOffProfile); one division for n/u and the curvature.
                let disc = (bq * bq + 4 * a * m * s).squareRoot()
                let b = (disc - bq) * halfInvSum[i]
                let u = b + s
                let p = m * u * u + n * b * b
                let r = 1 / (u * p)
                return (u, b, 2 * (alpha[i] - n * p * r), 2 * n * m * u * r)
            }
        }
        let p = OnOffProfile.profile(on: n, off: m, onScale: alpha[i], offScale: beta[i], signal: s)
        return (p.onRate, p.background, p.slope, p.curvature)
    }

    /// Scratch for `poissonT`, one per worker.
    final class PoissonScratch {
        let kappa, g, h, lo, hi, correction, deviance: UnsafeMutablePointer<Double>
        let loConfirmed: UnsafeMutablePointer<Bool>
        let state: UnsafeMutablePointer<UInt8>    // 0 active, 1 done, 2 failed (refit generically)
        let active: UnsafeMutablePointer<Int32>
        let u, b: UnsafeMutablePointer<Double>    // profiled means at the current κ, bin-major like the counts

        init(bins: Int, toys: Int) {
            func a<T>(_ n: Int, _ v: T) -> UnsafeMutablePointer<T> {
                let p = UnsafeMutablePointer<T>.allocate(capacity: max(n, 1))
                p.initialize(repeating: v, count: max(n, 1))
                return p
            }
            kappa = a(toys, 0); g = a(toys, 0); h = a(toys, 0); lo = a(toys, 0); hi = a(toys, 0)
            correction = a(toys, 0); deviance = a(toys, 0)
            loConfirmed = a(toys, false); state = a(toys, 0); active = a(toys, 0)
            u = a(bins * toys, 0); b = a(bins * toys, 0)
        }

        deinit {
            for p in [kappa, g, h, lo, hi, correction, deviance, u, b] { p.deallocate() }
            loConfirmed.deallocate(); state.deallocate(); active.deallocate()
        }
    }

    /// Poisson t(κ_j) of `count` toys into out[0..<count]; toys the Newton iteration could not
    /// settle are marked in `failed` (state 2) for a generic refit. Returns how many failed.
    func poissonT(kappa kj: Double, on: UnsafePointer<Double>, off: UnsafePointer<Double>, stride bs: Int,
                  count: Int, scratch sc: PoissonScratch, out: UnsafeMutablePointer<Double>) -> Int {
        let kappa = sc.kappa, g = sc.g, h = sc.h
        // Start: pooled-χ² estimate (g, h as S1, S2 scratch).
        chi2SumsPooled(on: on, off: off, stride: bs, count: count, s1: g, s2: h)
        var nActive = 0
        for t in 0..<count {
            let k0 = h[t] > 0 ? g[t] / h[t] : 0
            kappa[t] = k0.isFinite ? max(k0, 0) : 0
            sc.lo[t] = 0
            sc.loConfirmed[t] = false
            sc.hi[t] = .infinity
            sc.state[t] = 0
            sc.correction[t] = 0
            sc.active[nActive] = Int32(t)
            nActive += 1
        }
        var iteration = 0
        while nActive > 0 {
            if iteration == Self.maxIterations {
                for a in 0..<nActive { sc.state[Int(sc.active[a])] = 2 }
                break
            }
            iteration += 1
            for a in 0..<nActive { let t = Int(sc.active[a]); g[t] = 0; h[t] = 0 }
            for i in 0..<nb {
                let n = on + i * bs, m = off + i * bs, ub = sc.u + i * bs, bb = sc.b + i * bs
                let di = d[i], si = s0[i], dd = di * di
                for a in 0..<nActive {
                    let t = Int(sc.active[a])
                    let p = profile(i, n: n[t], m: m[t], s: si + kappa[t] * di)
                    ub[t] = p.u
                    bb[t] = p.b
                    g[t] += p.slope * di
                    h[t] += p.curvature * dd
                }
            }
            var kept = 0
            for a in 0..<nActive {
                let t = Int(sc.active[a])
                let k = kappa[t], gt = g[t], ht = h[t]
                if !(gt.isFinite && ht.isFinite) { sc.state[t] = 2; continue }
                if k == 0 && gt >= 0 { sc.state[t] = 1; continue }              // boundary minimum
                if ht > 0 && gt * gt < Self.newtonTolerance * ht {
                    sc.correction[t] = gt * gt / (2 * ht)
                    sc.state[t] = 1
                    continue
                }
                if gt < 0 { sc.lo[t] = k; sc.loConfirmed[t] = true } else { sc.hi[t] = k }
                var next: Double
                if ht > 0 {
                    next = k - gt / ht
                    if next <= sc.lo[t] {
                        next = sc.loConfirmed[t] ? 0.5 * (sc.lo[t] + sc.hi[t]) : 0
                    } else if next >= sc.hi[t] {
                        next = 0.5 * (sc.lo[t] + sc.hi[t])
                    }
                } else if gt < 0 {
                    next = sc.hi[t].isFinite ? 0.5 * (k + sc.hi[t]) : 2 * k + 1
                } else {
                    next = 0.5 * (sc.lo[t] + k)
                }
                kappa[t] = next
                sc.active[kept] = Int32(t)
                kept += 1
            }
            nActive = kept
        }
        // t = D(κ_j) − D(κ_k) + correction.
        let dev = sc.deviance
        dev.update(repeating: 0, count: count)
        for i in 0..<nb {
            let n = on + i * bs, m = off + i * bs, ub = sc.u + i * bs, bb = sc.b + i * bs
            let s = s0[i] + kj * d[i], al = alpha[i], be = beta[i]
            for t in 0..<count where sc.state[t] == 1 {
                let nt = n[t], mt = m[t]
                let p = profile(i, n: nt, m: mt, s: s)
                let uk = ub[t], bk = bb[t]
                var x = 2 * (al * (p.u - uk) + be * (p.b - bk))
                if nt > 0 { x += 2 * nt * log(uk / p.u) }
                if mt > 0 { x += 2 * mt * log(bk / p.b) }
                dev[t] += x
            }
        }
        var failed = 0
        for t in 0..<count {
            if sc.state[t] == 1 {
                let v = dev[t] + sc.correction[t]
                out[t] = v.isNaN ? .nan : max(v, 0)
            } else {
                out[t] = .nan
                failed += 1
            }
        }
        return failed
    }

    /// S1, S2 with pooled weights (the Newton start, whatever the χ² rule).
    private func chi2SumsPooled(on: UnsafePointer<Double>, off: UnsafePointer<Double>, stride b: Int, count: Int,
                                s1: UnsafeMutablePointer<Double>, s2: UnsafeMutablePointer<Double>) {
        s1.update(repeating: 0, count: count)
        s2.update(repeating: 0, count: count)
        for i in 0..<nb {
            let n = on + i * b, m = off + i * b
            let ia = invAlpha[i], ib = invBeta[i], di = d[i], si = s0[i], dd = di * di, ab = alphaBeta[i]
            for t in 0..<count {
                let w = ab / max(n[t] + m[t], 1)
                s1[t] += w * di * (n[t] * ia - m[t] * ib - si)
                s2[t] += w * dd
            }
        }
    }
}
