import NMMCore
import Foundation

/// Exact table-driven Poisson sampling for many draws from a few fixed means (the toy Monte
/// Carlo: every bin's ON and OFF mean is fixed within one κ grid point).
///
/// For each mean μ a Walker alias table (A. J. Walker, ACM TOMS 3 (1977) 253; built with
/// M. D. Vose's O(K) method, IEEE TSE 17 (1991) 972) over the counts k = k_lo … k_hi:
///  • Probabilities: p_k from the recursion p_{k±1} = p_k·μ/(k+1) resp. p_k·k/μ outward
///    from the mode, normalised by their sum (relative error ≲ 1e-13 per probability).
///  • Truncation: the table stops on each side where a geometric bound on the Poisson tail
///    beyond it falls below 2⁻⁵⁶ ≈ 1.4e-17, so at most 2.8e-17 of probability is omitted
///    (redistributed proportionally); ≈ ±9σ around the mean, e.g. 249 entries for μ = 200.
///    In a belt of 10⁸ draws the expected number of draws affected is ≈ 3e-9.
///  • One draw = one 64-bit uniform word r: r·K = i·2⁶⁴ + f (a 64×64→128 multiply) gives the
///    column i (non-uniformity ≤ K/2⁶⁴) and an independent fraction f; the column keeps i
///    when f < T_i·2¹⁶ (T_i: the keep probability rounded to 48 bits, error ≤ 2⁻⁴⁹), else
///    returns its alias. Each entry packs T_i (high 48 bits) and the alias (low 16 bits), so
///    a draw costs one generator step, one multiply, one load and a compare — no branch on
///    data, no loop. The sampled distribution is the truncated pmf to ≲ 1e-16 absolute.
///  • Means above `maxTableMean` (table longer than ~6000 entries) use Hörmann's PTRS
///    transformed rejection (W. Hörmann, Insurance: Math. Econ. 12 (1993) 39; the
///    algorithm of NumPy's `Generator.poisson` for μ ≥ 10), exact. μ = 0 always gives 0.
///
/// Uniforms come from `Xoshiro256StarStar`. A set is rebuilt in place for new means
/// (`build`), reusing its storage; drawing never allocates.
public final class PoissonTables {
    /// Means above this use PTRS instead of a table (the table would exceed ~6000 entries).
    public static let maxTableMean = 1.0e5
    /// Omitted Poisson tail probability per side of a table (bound).
    public static let tailBound = 0x1p-56

    /// One distribution of the set, for the hot loop (valid until the next `build`).
    @frozen
    public struct Table {
        public let entries: UnsafePointer<UInt64>
        /// Number of entries K (0: PTRS).
        public let size: UInt64
        /// k_lo as a Double.
        public let base: Double
        public let mean: Double

        /// One Poisson deviate (as a Double).
        @inlinable @inline(__always)
        public func draw(_ rng: inout Xoshiro256StarStar) -> Double {
            guard size > 0 else { return PoissonTables.ptrs(mean: mean, rng: &rng) }
            let (hi, lo) = size.multipliedFullWidth(by: rng.next())
            let e = entries[Int(truncatingIfNeeded: hi)]
            let k = lo < (e & ~0xFFFF) ? hi : (e & 0xFFFF)
            return base + Double(Int(truncatingIfNeeded: k))
        }

        /// `count` deviates into out[0], out[stride], …
        @inlinable
        public func fill(_ out: UnsafeMutablePointer<Double>, count: Int, stride: Int = 1,
                         rng: inout Xoshiro256StarStar) {
            var g = rng
            var q = out
            if size > 0 {
                let n = size, t = entries, b = base
                for _ in 0..<count {
                    let (hi, lo) = n.multipliedFullWidth(by: g.next())
                    let e = t[Int(truncatingIfNeeded: hi)]
                    let k = lo < (e & ~0xFFFF) ? hi : (e & 0xFFFF)
                    q.pointee = b + Double(Int(truncatingIfNeeded: k))
                    q += stride
                }
            } else {
                for _ in 0..<count {
                    q.pointee = PoissonTables.ptrs(mean: mean, rng: &g)
                    q += stride
                }
            }
            rng = g
        }
    }

    public private(set) var count = 0
    private var storage: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private var tables: [Table] = []
    // Build scratch (grown as needed, reused across builds).
    private var scratchCapacity = 0
    private var weights: UnsafeMutablePointer<Double>
    private var lower: UnsafeMutablePointer<Double>
    private var small: UnsafeMutablePointer<Int32>
    private var large: UnsafeMutablePointer<Int32>

    public init() {
        capacity = 1024
        storage = .allocate(capacity: capacity)
        weights = .allocate(capacity: 1)
        lower = .allocate(capacity: 1)
        small = .allocate(capacity: 1)
        large = .allocate(capacity: 1)
    }

    deinit {
        storage.deallocate()
        weights.deallocate()
        lower.deallocate()
        small.deallocate()
        large.deallocate()
    }

    /// Total table entries in use (memory: 8 bytes each).
    public var entryCount: Int { tables.reduce(0) { $0 + Int($1.size) } }

    /// Rebuild the set for these means (each finite and ≥ 0).
    public func build(means: [Double]) {
        var offsets = [Int](), sizes = [UInt64](), bases = [Double]()
        offsets.reserveCapacity(means.count)
        sizes.reserveCapacity(means.count)
        bases.reserveCapacity(means.count)
        var used = 0
        for mu in means {
            precondition(mu >= 0 && mu.isFinite, "Poisson mean must be finite and ≥ 0, got \(mu)")
            offsets.append(used)
            guard mu <= Self.maxTableMean else {
                sizes.append(0)
                bases.append(0)
                continue
            }
            let (kLow, k) = probabilities(mu)           // → weights[0..<k] (normalised)
            reserve(used + k)
            encodeAlias(k, into: storage + used)
            sizes.append(UInt64(k))
            bases.append(Double(kLow))
            used += k
        }
        var tbl = tables
        tables = []
        tbl.removeAll(keepingCapacity: true)
        for (d, mu) in means.enumerated() {
            tbl.append(Table(entries: UnsafePointer(storage + offsets[d]), size: sizes[d], base: bases[d], mean: mu))
        }
        count = means.count
        tables = tbl
    }

    /// Distribution `d` of the last build.
    @inline(__always)
    public func table(_ d: Int) -> Table { tables[d] }

    /// The probabilities the table of distribution `d` samples (k_lo and p over k_lo…k_hi),
    /// decoded from the alias entries; for tests. Empty for PTRS.
    public func sampledDistribution(_ d: Int) -> (kLow: Int, p: [Double]) {
        let t = tables[d], n = Int(t.size)
        guard n > 0 else { return (0, []) }
        var p = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let e = t.entries[i], thr = Double(e >> 16) * 0x1p-48, alias = Int(e & 0xFFFF)
            if alias == i { p[i] += 1 / Double(n); continue }
            p[i] += thr / Double(n)
            p[alias] += (1 - thr) / Double(n)
        }
        return (Int(t.base), p)
    }

    private func reserve(_ n: Int) {
        guard n > capacity else { return }
        var c = capacity
        while c < n { c *= 2 }
        let s = UnsafeMutablePointer<UInt64>.allocate(capacity: c)
        s.update(from: storage, count: capacity)
        storage.deallocate()
        storage = s
        capacity = c
    }

    private func reserveScratch(_ n: Int) {
        guard n > scratchCapacity else { return }
        let c = max(n, 2 * scratchCapacity, 1024)
        weights.deallocate(); lower.deallocate(); small.deallocate(); large.deallocate()
        weights = .allocate(capacity: c)
        lower = .allocate(capacity: c)
        small = .allocate(capacity: c)
        large = .allocate(capacity: c)
        scratchCapacity = c
    }

    /// Fills weights[0..<K] with the normalised pmf over k_lo…k_hi (see the type's doc);
    /// returns (k_lo, K).
    private func probabilities(_ mu: Double) -> (kLow: Int, size: Int) {
        let mode = mu.rounded(.down)
        // Table length bound: ±(9σ + 40) around the mode covers every tail above 2⁻⁵⁶.
        reserveScratch(2 * Int(9 * mu.squareRoot() + 64))
        // p at the mode, for the stopping rule only (the table is normalised by its sum).
        let pMode = mu == 0 ? 1 : exp(-mu + mode * log(mu) - lgamma(mode + 1))
        let eps = Self.tailBound
        // Downwards: p_{k−1} = p_k·k/μ; tail below k ≤ p_k·q/(1 − q), q = k/μ (ratios shrink).
        var k = mode, w = 1.0, nLower = 0
        while k > 0 {
            let q = k / mu
            if q < 1, pMode * w * q < eps * (1 - q) { break }
            w *= q
            k -= 1
            lower[nLower] = w
            nLower += 1
        }
        let kLow = Int(k)
        for i in 0..<nLower { weights[i] = lower[nLower - 1 - i] }
        weights[nLower] = 1
        var size = nLower + 1
        // Upwards: p_{k+1} = p_k·μ/(k+1); tail above k ≤ p_k·r/(1 − r), r = μ/(k+2).
        k = mode
        w = 1
        while true {
            let r = mu / (k + 1)
            if r < 1, pMode * w * r < eps * (1 - r) { break }
            w *= r
            k += 1
            if size == scratchCapacity { growScratchKeeping(size) }
            weights[size] = w
            size += 1
        }
        // Normalise; sum from the smaller end of each tail inwards for accuracy.
        var total = 0.0
        for i in 0..<nLower { total += weights[i] }
        for i in stride(from: size - 1, through: nLower, by: -1) { total += weights[i] }
        let inv = 1 / total
        for i in 0..<size { weights[i] *= inv }
        return (kLow, size)
    }

    private func growScratchKeeping(_ n: Int) {
        let old = UnsafeMutablePointer<Double>.allocate(capacity: n)
        old.update(from: weights, count: n)
        reserveScratch(2 * n)
        weights.update(from: old, count: n)
        old.deallocate()
    }

    /// Vose's alias construction on weights[0..<n] → packed entries at `out`.
    private func encodeAlias(_ n: Int, into out: UnsafeMutablePointer<UInt64>) {
        precondition(n <= 1 << 16, "alias table too long")
        let dn = Double(n)
        let q = lower          // reuse as the scaled probabilities
        var ns = 0, nl = 0
        for i in 0..<n {
            let x = weights[i] * dn
            q[i] = x
            if x < 1 { small[ns] = Int32(i); ns += 1 } else { large[nl] = Int32(i); nl += 1 }
            out[i] = UInt64(i)                        // default: keep with probability 1 (alias = self)
        }
        while ns > 0 && nl > 0 {
            ns -= 1
            let li = Int(small[ns]), gi = Int(large[nl - 1])
            let keep = q[li]
            let t = max(keep * 0x1p48 + 0.5, 0)          // keep ∈ [0, 1): round to 48 bits
            out[li] = t >= 0x1p48 ? UInt64(li) : (UInt64(t) << 16) | UInt64(gi)
            q[gi] -= 1 - keep
            if q[gi] < 1 {
                nl -= 1
                small[ns] = Int32(gi)
                ns += 1
            }
        }
        // Leftovers (rounding) keep with probability 1: already alias = self.
    }

    // MARK: PTRS

    /// Hörmann's PTRS transformed rejection for μ ≥ 10; inversion by multiplication below
    /// (never used by the tables, which cover every μ ≤ `maxTableMean`; kept exact for any μ).
    @usableFromInline
    static func ptrs(mean mu: Double, rng: inout Xoshiro256StarStar) -> Double {
        if mu <= 0 { return 0 }
        if mu < 10 {
            // Knuth's multiplication method.
            let enlam = exp(-mu)
            var x = 0.0, prod = 1.0
            while true {
                prod *= rng.uniform()
                if prod > enlam { x += 1 } else { return x }
            }
        }
        let slam = mu.squareRoot(), loglam = log(mu)
        let b = 0.931 + 2.53 * slam
        let a = -0.059 + 0.02483 * b
        let invalpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = rng.uniform() - 0.5
            let v = rng.uniform()
            let us = 0.5 - abs(u)
            guard us > 0 else { continue }
            let k = ((2 * a / us + b) * u + mu + 0.43).rounded(.down)
            if us >= 0.07 && v <= vr { return k }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(invalpha) - log(a / (us * us) + b) <= -mu + k * loglam - lgamma(k + 1) { return k }
        }
    }
}
