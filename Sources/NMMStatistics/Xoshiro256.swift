import NMMCore
/// xoshiro256** 1.0 (D. Blackman & S. Vigna, "Scrambled linear pseudorandom number
/// generators", ACM TOMS 47 (2021) 36; reference C code at prng.di.unimi.it): a 256-bit
/// state, period 2²⁵⁶ − 1, passes BigCrush and PractRand; about 1 ns per 64-bit output.
///
/// The toy Monte Carlo's uniform source: each task (grid point j, block k) seeds its own
/// generator from `SeedSequence.deriveSeed(master, [j, k])`, and the 256-bit state is
/// expanded from that 64-bit seed with SplitMix64, as the authors recommend. A value type:
/// copy it into a local variable in a hot loop so the state stays in registers.
public struct Xoshiro256StarStar: Sendable, Equatable {
    public var s0: UInt64
    public var s1: UInt64
    public var s2: UInt64
    public var s3: UInt64

    /// Generator name recorded with toy results.
    public static let name = "xoshiro256** (SplitMix64-seeded)"

    @inlinable
    public init(seed: UInt64) {
        var sm = seed
        s0 = SeedSequence.next(&sm)
        s1 = SeedSequence.next(&sm)
        s2 = SeedSequence.next(&sm)
        s3 = SeedSequence.next(&sm)
        // SplitMix64 is a bijection of its counter, so four consecutive outputs are never all
        // zero; keep the guard for clarity (the all-zero state is the one fixed point).
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// Uniform on [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    @inlinable @inline(__always)
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
