import NMMCore

/// Lane-wise logarithms for the nuisance kernels' deviance differences (SIMD8 over bins).
enum NuisanceVectorMath {
    typealias V = PaddedRows.V

    /// ln(x₁/y₁), ln(x₂/y₂) lane-wise (`log`).
    @inline(never)
    static func logRatios(_ x1: V, _ y1: V, _ x2: V, _ y2: V) -> (V, V) {
        (log(x1 / y1), log(x2 / y2))
    }

    /// Σ a_i b_i over the padded values start..<end (multiples of the vector width: a row's
    /// non-zero blocks, `NuisanceBlockModel.templateRange`), two accumulators.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, from start: Int, to end: Int) -> Double {
        var s0 = V(repeating: 0), s1 = V(repeating: 0)
        var i = start
        while i + 2 * V.scalarCount <= end {
            s0 += PaddedRows.load(a, i) * PaddedRows.load(b, i)
            s1 += PaddedRows.load(a, i + V.scalarCount) * PaddedRows.load(b, i + V.scalarCount)
            i += 2 * V.scalarCount
        }
        if i < end { s0 += PaddedRows.load(a, i) * PaddedRows.load(b, i) }
        return laneSum(s0 + s1)
    }

    /// Σ of the eight lanes by a fixed tree, ((l₀+l₄)+(l₂+l₆)) + ((l₁+l₅)+(l₃+l₇)): three
    /// dependent additions instead of `sum()`'s seven, and the order the C loops mirror.
    @inline(__always)
    static func laneSum(_ v: V) -> Double {
        let a = v.lowHalf + v.highHalf, b = a.lowHalf + a.highHalf
        return b[0] + b[1]
    }

    /// ln x lane-wise for finite normal x > 0: x = 2^k·m with m ∈ [√½, √2), ln m = 2 atanh z,
    /// z = (m − 1)/(m + 1), |z| ≤ 0.1716, by its series to z²¹ (truncation < 1e-19 relative), and
    /// k·ln 2 with ln 2 split in two (its high part exact for |k| < 2¹⁰). Within a few ulp of `log`.
    @inline(__always)
    static func log(_ x: V) -> V {
        typealias I = SIMD8<Int64>
        let bits = unsafeBitCast(x, to: I.self)
        var k = ((bits &>> 52) & 0x7ff) &- 1023
        var m = unsafeBitCast((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000, to: V.self)
        let big = m .> V(repeating: 0x1.6a09e667f3bcdp0)          // √2
        m = m.replacing(with: m * 0.5, where: big)
        k = k.replacing(with: k &+ 1, where: big)
        let z = (m - 1) / (m + 1), z2 = z * z
        var p = V(repeating: 1.0 / 21)
        for d in stride(from: 19.0, through: 1.0, by: -2.0) { p = p * z2 + 1 / d }
        let kd = V(k)
        // ln 2 = 0x1.62e42fee00000p-1 (exact in 32 bits) + 1.9082149292705877e-10 (fdlibm's ln2_hi, ln2_lo).
        return kd * 0x1.62e42fee00000p-1 + (2 * z * p + kd * 1.9082149292705877e-10)
    }

    /// 2·atanh(z) = ln((1 + z)/(1 − z)), |z| ≤ 0.1, by the κ-only kernel's series (doubling is exact).
    @inline(__always)
    static func atanhSeries(_ z: V) -> V { 2 * KappaOnlyPoisson.atanhSeries(z) }

    /// The same for |z| ≤ 0.02 by the κ-only kernel's five-term series (truncation < 1e-18 relative).
    @inline(__always)
    static func atanhSeriesShort(_ z: V) -> V { 2 * KappaOnlyPoisson.atanhSeriesShort(z) }
}

/// Newton steps on the few fitted parameters, on caller-owned pointers (as
/// `ModelMinimizer.newtonStep`: Cholesky, Levenberg damping when H is not positive definite).
enum NuisanceNewton {
    /// step = −H⁻¹g, damped until H + λ(diag H + 1) is positive definite; `factor` (nf × nf) is
    /// scratch. False if no damping succeeds.
    static func step(gradient g: UnsafePointer<Double>, hessian h: UnsafePointer<Double>, _ nf: Int,
                     factor: UnsafeMutablePointer<Double>, step: UnsafeMutablePointer<Double>,
                     allowDamping: Bool = true) -> Bool {
        var damping = 0.0
        for _ in 0..<30 {
            for k in 0..<(nf * nf) { factor[k] = h[k] }
            if damping > 0 { for k in 0..<nf { factor[k * nf + k] += damping * max(h[k * nf + k], 1e-12) + damping } }
            for k in 0..<nf { step[k] = -g[k] }
            if choleskySolve(factor, nf, step) { return true }
            guard allowDamping else { return false }
            damping = damping == 0 ? 1e-8 : damping * 10
        }
        return false
    }

    /// The solution of A x = b in place of b for the symmetric n × n matrix in `a` (scratch);
    /// false if A is not positive definite. For the few parameters of most nuisance fits, fewer
    /// square roots and divisions than Cholesky, which sit on the Newton steps' critical path:
    /// n ≤ 2 (a normalisation with or without κ) by the explicit inverse, positive definite iff
    /// A₁₁ > 0 and det A > 0; n = 3, 4 (the nuisance fits of MUNU-like models) by LDLᵀ unrolled
    /// (positive definite iff every pivot d_j > 0; no square root, one division per pivot);
    /// larger n (rare: five or more fitted parameters) by `SmallLinearAlgebra`'s Cholesky.
    @inline(__always)
    static func choleskySolve(_ a: UnsafeMutablePointer<Double>, _ n: Int, _ b: UnsafeMutablePointer<Double>) -> Bool {
        if n == 1 {
            guard a[0] > 0, a[0].isFinite else { return false }
            b[0] /= a[0]
            return true
        }
        if n == 2 {
            let p = a[0], q = a[2], r = a[3], det = p * r - q * q
            guard p > 0, det > 0, det.isFinite else { return false }
            let inverse = 1 / det, b0 = b[0], b1 = b[1]
            b[0] = (r * b0 - q * b1) * inverse
            b[1] = (p * b1 - q * b0) * inverse
            return true
        }
        if n == 3 { return ldlSolve3(a, b) }
        if n == 4 { return ldlSolve4(a, b) }
        guard SmallLinearAlgebra.cholesky(a, n) else { return false }
        SmallLinearAlgebra.choleskySolve(UnsafePointer(a), n, b)
        return true
    }

    /// A = L·D·Lᵀ of a 3 × 3 symmetric A (lower triangle read), then x in place of b. With
    /// t_ij = d_j·l_ij: l_i0 = a_i0/d₀, t₂₁ = a₂₁ − l₂₀a₁₀, d₁ = a₁₁ − l₁₀a₁₀, d₂ = a₂₂ − l₂₀a₂₀ − l₂₁t₂₁.
    @inline(__always)
    private static func ldlSolve3(_ a: UnsafePointer<Double>, _ b: UnsafeMutablePointer<Double>) -> Bool {
        let d0 = a[0]
        guard d0 > 0, d0.isFinite else { return false }
        let r0 = 1 / d0, a10 = a[3], a20 = a[6], l10 = a10 * r0, l20 = a20 * r0
        let d1 = a[4] - l10 * a10
        guard d1 > 0, d1.isFinite else { return false }
        let r1 = 1 / d1, t21 = a[7] - l20 * a10, l21 = t21 * r1
        let d2 = a[8] - l20 * a20 - l21 * t21
        guard d2 > 0, d2.isFinite else { return false }
        let r2 = 1 / d2
        let y0 = b[0], y1 = b[1] - l10 * y0, y2 = b[2] - l20 * y0 - l21 * y1
        let x2 = y2 * r2, x1 = y1 * r1 - l21 * x2, x0 = y0 * r0 - l10 * x1 - l20 * x2
        b[0] = x0; b[1] = x1; b[2] = x2
        return true
    }

    /// `ldlSolve3` for 4 × 4: t₃₁ = a₃₁ − l₃₀a₁₀, t₃₂ = a₃₂ − l₃₀a₂₀ − l₃₁t₂₁,
    /// d₃ = a₃₃ − l₃₀a₃₀ − l₃₁t₃₁ − l₃₂t₃₂.
    @inline(__always)
    private static func ldlSolve4(_ a: UnsafePointer<Double>, _ b: UnsafeMutablePointer<Double>) -> Bool {
        let d0 = a[0]
        guard d0 > 0, d0.isFinite else { return false }
        let r0 = 1 / d0, a10 = a[4], a20 = a[8], a30 = a[12]
        let l10 = a10 * r0, l20 = a20 * r0, l30 = a30 * r0
        let d1 = a[5] - l10 * a10
        guard d1 > 0, d1.isFinite else { return false }
        let r1 = 1 / d1, t21 = a[9] - l20 * a10, t31 = a[13] - l30 * a10
        let l21 = t21 * r1, l31 = t31 * r1
        let d2 = a[10] - l20 * a20 - l21 * t21
        guard d2 > 0, d2.isFinite else { return false }
        let r2 = 1 / d2, t32 = a[14] - l30 * a20 - l31 * t21, l32 = t32 * r2
        let d3 = a[15] - l30 * a30 - l31 * t31 - l32 * t32
        guard d3 > 0, d3.isFinite else { return false }
        let r3 = 1 / d3
        let y0 = b[0], y1 = b[1] - l10 * y0, y2 = b[2] - l20 * y0 - l21 * y1
        let y3 = b[3] - l30 * y0 - l31 * y1 - l32 * y2
        let x3 = y3 * r3, x2 = y2 * r2 - l32 * x3
        let x1 = y1 * r1 - l21 * x2 - l31 * x3, x0 = y0 * r0 - l10 * x1 - l20 * x2 - l30 * x3
        b[0] = x0; b[1] = x1; b[2] = x2; b[3] = x3
        return true
    }
}
