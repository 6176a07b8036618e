import NMMCore
/// Settings of a toy Monte Carlo Neyman construction.
public struct ToyConfiguration: Sendable, Equatable {
    public var confidenceLevel: Double
    /// κ_j ≥ 0, strictly increasing.
    public var kappaGrid: [Double]
    public var toysPerPoint: Int
    /// Master seed: task (grid point j, block k) uses deriveSeed(seed, [j, k]).
    public var seed: UInt64
    public var statistic: ToyStatistic
    /// Worker threads; nil = all cores. Results do not depend on it.
    public var threads: Int?
    /// Toys per task. Part of the definition of the random streams (with the seed).
    public var toysPerBlock: Int
    /// Failed toy fits tolerated per grid point, as a fraction of the toys.
    public var maxFailureFraction: Double
    /// How the toys' Poisson counts are drawn (part of the definition of the random streams).
    public var sampler: ToySampler
    /// Each toy and pseudo-experiment draws the global observables of the constrained
    /// nuisances around their conditional fit (statistics.md §2; `ModelToys`). false holds them
    /// at their observed values (the legacy convention, too narrow a t distribution when a
    /// constraint matters; kept for comparison). `FeldmanCousinsToys` never resamples.
    public var resampleGlobalObservables: Bool

    public init(kappaGrid: [Double], confidenceLevel: Double = 0.9, toysPerPoint: Int = 1000, seed: UInt64 = 1,
                statistic: ToyStatistic = .chi2, threads: Int? = nil, toysPerBlock: Int = 100,
                maxFailureFraction: Double = 0.01, sampler: ToySampler = .table, resampleGlobalObservables: Bool = true) {
        self.resampleGlobalObservables = resampleGlobalObservables
        self.kappaGrid = kappaGrid
        self.confidenceLevel = confidenceLevel
        self.toysPerPoint = toysPerPoint
        self.seed = seed
        self.statistic = statistic
        self.threads = threads
        self.toysPerBlock = toysPerBlock
        self.maxFailureFraction = maxFailureFraction
        self.sampler = sampler
    }

    /// Toy results are kept in memory (one Double each): at most this many per belt.
    static let maxToys = 100_000_000

    func validate() throws {
        guard confidenceLevel > 0, confidenceLevel < 1 else {
            throw StatisticsError.invalidOptions("confidence level \(confidenceLevel) must be in (0, 1)")
        }
        guard kappaGrid.count >= 2, kappaGrid.allSatisfy({ $0.isFinite && $0 >= 0 }),
              zip(kappaGrid, kappaGrid.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw StatisticsError.invalidOptions("κ grid must have ≥ 2 increasing points, all ≥ 0")
        }
        guard toysPerPoint >= 10 else { throw StatisticsError.invalidOptions("need ≥ 10 toys per grid point (got \(toysPerPoint))") }
        let (total, overflow) = kappaGrid.count.multipliedReportingOverflow(by: toysPerPoint)
        guard !overflow, total <= Self.maxToys else {
            throw StatisticsError.invalidOptions("\(kappaGrid.count) grid points × \(toysPerPoint) toys is more than \(Self.maxToys) toys in one belt")
        }
        guard toysPerBlock >= 1 else { throw StatisticsError.invalidOptions("toys per block must be ≥ 1") }
        if let t = threads, t < 1 { throw StatisticsError.invalidOptions("thread count must be ≥ 1 (got \(t))") }
        guard maxFailureFraction >= 0, maxFailureFraction < 1 else {
            throw StatisticsError.invalidOptions("failure fraction \(maxFailureFraction) must be in [0, 1)")
        }
    }
}

/// The result of a toy Neyman construction (a value; nothing hidden).
public struct ToyBelt: Sendable, Equatable {
    public var statistic: ToyStatistic
    public var confidenceLevel: Double
    public var seed: UInt64
    public var toysPerBlock: Int
    public var kappaGrid: [Double]
    /// t_c(κ_j): the CL quantile of the toy t(κ_j) (smallest t with ≥ CL of the toys at or below).
    public var criticalValues: [Double]
    /// t_obs(κ_j) of the observed data.
    public var observedValues: [Double]
    public var toysPerPoint: Int
    public var failuresPerPoint: [Int]
    /// {κ_j : t_obs ≤ t_c}, edges interpolated; nil if no grid point is accepted.
    public var interval: KappaInterval?
    /// Unconstrained best fit of the observed data (κ̂ may be < 0) and its curvature error.
    public var observedKappa: Double
    public var observedKappaError: Double
    /// The Poisson sampler of the toys (not stored in shard files; `.table` when read back).
    public var sampler: ToySampler = .table
    /// The toys drew the global observables of the constrained nuisances around their
    /// conditional fits (statistics.md §2). true also when nothing was constrained (nothing to
    /// resample); false when constraints were held at their observed values.
    public var resampleGlobalObservables: Bool = true
    /// σ(t_c(κ_j)), the Monte Carlo error of each critical value (`CriticalValueError`; NaN
    /// outside a shard's slice); nil when unknown (a belt made without it).
    public var criticalValueErrors: [Double]?
    /// Toys drawn at each grid point: `toysPerPoint` (the first pass), more where adaptive toys
    /// were added (`AdaptiveToys`), 0 outside a shard's slice.
    public var toysAtPoint: [Int]
    /// The adaptive toys' target and outcome; nil for a fixed `toysPerPoint` everywhere.
    public var adaptive: AdaptiveToyOutcome? = nil

    public init(statistic: ToyStatistic, confidenceLevel: Double, seed: UInt64, toysPerBlock: Int, kappaGrid: [Double],
                criticalValues: [Double], observedValues: [Double], toysPerPoint: Int, failuresPerPoint: [Int],
                interval: KappaInterval?, observedKappa: Double, observedKappaError: Double, sampler: ToySampler = .table,
                resampleGlobalObservables: Bool = true, criticalValueErrors: [Double]? = nil, toysAtPoint: [Int]? = nil) {
        self.criticalValueErrors = criticalValueErrors
        self.toysAtPoint = toysAtPoint ?? [Int](repeating: toysPerPoint, count: kappaGrid.count)
        self.resampleGlobalObservables = resampleGlobalObservables
        self.statistic = statistic
        self.confidenceLevel = confidenceLevel
        self.seed = seed
        self.toysPerBlock = toysPerBlock
        self.kappaGrid = kappaGrid
        self.criticalValues = criticalValues
        self.observedValues = observedValues
        self.toysPerPoint = toysPerPoint
        self.failuresPerPoint = failuresPerPoint
        self.interval = interval
        self.observedKappa = observedKappa
        self.observedKappaError = observedKappaError
        self.sampler = sampler
    }

    /// Toys drawn over the whole belt.
    public var totalToys: Int { toysAtPoint.reduce(0, +) }
}

/// Expected upper limits from background-only pseudo-experiments evaluated against a belt.
public struct ToySensitivity: Sendable, Equatable {
    public var bands: LimitBands
    public var pseudoExperiments: Int
    public var failed: Int
    /// Pseudo-experiments whose upper limit reached the grid end (counted at the grid end).
    public var atGridEnd: Int
    public var seed: UInt64
}

/// How toy counts are drawn. Both are exact Poisson samplers; they give different (equally
/// valid) random streams for the same seed.
public enum ToySampler: String, Sendable, Equatable, CaseIterable {
    /// Walker alias tables over the Poisson pmf, one per (bin, ON/OFF) and grid point, driven
    /// by xoshiro256** seeded per task from deriveSeed(seed, [j, block]) (`PoissonTables`,
    /// `Xoshiro256StarStar`): one 64-bit word, a multiply and a load per draw (≈ 2 ns).
    /// Per task: bin by bin, the block's ON counts, then its OFF counts.
    case table
    /// gsl_ran_poisson on GSL's mt19937 seeded per task the same way (the original sampler,
    /// ≈ 25 ns per draw). Per task: toy by toy, ON counts of every bin, then OFF counts.
    case gsl
}

extension ToyConfiguration {
    /// The grid indices a belt computes: `points` (a shard's slice) or the whole grid.
    func gridSlice(_ points: Range<Int>?) throws -> Range<Int> {
        let g = kappaGrid.count, slice = points ?? 0..<g
        guard slice.lowerBound >= 0, slice.upperBound <= g else {
            throw StatisticsError.invalidOptions("grid slice \(slice) outside the \(g) grid points")
        }
        return slice
    }
}
