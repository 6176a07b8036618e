internal import CGSL

/// A GSL Mersenne Twister (gsl_rng_mt19937) with a 64-bit seed.
///
/// GSL's mt19937 seeding uses only the low 32 bits of the (unsigned long) seed, and seed 0
/// means GSL's default 4357. We therefore fold a 64-bit seed to 32 bits as `lo ^ hi`, so
/// seeds below 2³² are passed through unchanged and all 64 bits still matter. Distinct
/// 64-bit seeds can collide after folding with probability 2⁻³² per pair.
///
/// Not thread-safe: give each task its own generator (see `SeedSequence`).
public final class RandomGenerator {
    private let rng: UnsafeMutablePointer<gsl_rng>
    public private(set) var seed: UInt64

    public init(seed: UInt64) throws {
        GSL.setUp()
        guard let r = gsl_rng_alloc(cgsl_rng_mt19937()) else {
            throw GSLError(routine: "gsl_rng_alloc", status: Int32(GSL_ENOMEM), context: "mt19937")
        }
        rng = r
        self.seed = seed
        reseed(seed)
    }

    deinit { gsl_rng_free(rng) }

    /// Restart the stream from `seed` (reuses the generator; no allocation).
    public func reseed(_ seed: UInt64) {
        self.seed = seed
        gsl_rng_set(rng, UInt(Self.folded(seed)))   // C unsigned long == Swift UInt on LP64
    }

    /// The 32-bit value GSL's mt19937 actually sees.
    public static func folded(_ seed: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: seed ^ (seed >> 32))
    }

    /// Uniform on [0, 1).
    public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// Uniform on (0, 1).
    public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

    /// Gaussian with mean 0 and standard deviation `sigma` (gsl_ran_gaussian, Box–Muller polar).
    public func gaussian(sigma: Double = 1) -> Double { gsl_ran_gaussian(rng, sigma) }

    /// Poisson deviate with the given mean (≥ 0; mean 0 gives 0).
    public func poisson(mean: Double) -> UInt32 {
        precondition(mean >= 0 && mean.isFinite, "Poisson mean must be finite and ≥ 0, got \(mean)")
        return mean == 0 ? 0 : gsl_ran_poisson(rng, mean)
    }
}

/// Deterministic derivation of independent per-task seeds from a master seed, so parallel
/// work is defined only by (master seed, task indices) and not by thread count or order.
/// Uses the SplitMix64 finaliser (Steele, Lea & Flood, OOPSLA 2014) as a mixing function.
public enum SeedSequence {
    private static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// SplitMix64 output function: a bijective avalanche mix of a 64-bit word.
    public static func mix(_ z0: UInt64) -> UInt64 {
        var z = z0
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One SplitMix64 step: advance the state by the golden gamma and mix.
    public static func next(_ state: inout UInt64) -> UInt64 {
        state &+= gamma
        return mix(state)
    }

    /// Seed for the task at `indices` (e.g. [grid point, toy block]) under `master`.
    /// Each index is absorbed with its position, so [1, 2] and [2, 1] differ, and the
    /// result depends on nothing else.
    public static func deriveSeed(master: UInt64, indices: [UInt64]) -> UInt64 {
        var h = mix(master &+ gamma)
        for (position, index) in indices.enumerated() {
            h = mix(h ^ mix(index &+ gamma &* UInt64(position + 2)))
        }
        return h
    }
}
