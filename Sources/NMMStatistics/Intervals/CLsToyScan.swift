import NMMCore

/// The toys of a CLs/CLs+b construction (`CLsToys`), as a value: q̃ of the observed data and of
/// every toy on the κ grid. A shard computes a slice of the grid (`computed`); slices join into
/// the whole scan (`joining`) bit-identically to a single run.
public struct CLsToyScan: Sendable, Equatable {
    public var confidenceLevel: Double
    public var seed: UInt64
    public var kappaGrid: [Double]
    /// q̃_obs(κ_j) of the observed data (all grid points, whatever the slice).
    public var observed: [Double]
    /// Unconstrained best fit κ̂ of the observed data (may be < 0).
    public var observedKappa: Double
    /// s+b toys per grid point (drawn at κ_j) and background-only toys (drawn once at κ = 0).
    public var toysPerPoint: Int
    public var backgroundToys: Int
    /// q̃(κ_j) of the s+b toys of point j at j·toysPerPoint ..< (j+1)·toysPerPoint.
    public var signalPlusBackground: [Double]
    /// q̃(κ_j) of the background-only toys at j·backgroundToys ..< (j+1)·backgroundToys.
    public var backgroundOnly: [Double]
    /// Grid points whose toys are in this scan.
    public var computed: [Bool]

    public init(confidenceLevel: Double, seed: UInt64, kappaGrid: [Double], observed: [Double], observedKappa: Double,
                toysPerPoint: Int, backgroundToys: Int, signalPlusBackground: [Double], backgroundOnly: [Double], computed: [Bool]) {
        self.confidenceLevel = confidenceLevel
        self.seed = seed
        self.kappaGrid = kappaGrid
        self.observed = observed
        self.observedKappa = observedKappa
        self.toysPerPoint = toysPerPoint
        self.backgroundToys = backgroundToys
        self.signalPlusBackground = signalPlusBackground
        self.backgroundOnly = backgroundOnly
        self.computed = computed
    }

    /// Pseudo-data sets drawn: the s+b toys of the computed points and the background-only toys
    /// (counted once; each is fitted at every computed point).
    public var toys: Int {
        let points = computed.filter { $0 }.count
        return points * toysPerPoint + (points > 0 ? backgroundToys : 0)
    }

    func signalPlusBackground(at j: Int) -> ArraySlice<Double> {
        signalPlusBackground[(j * toysPerPoint)..<((j + 1) * toysPerPoint)]
    }

    func backgroundOnly(at j: Int) -> ArraySlice<Double> {
        backgroundOnly[(j * backgroundToys)..<((j + 1) * backgroundToys)]
    }

    /// The scan of the whole grid from slices of it (each point computed by exactly one part).
    public static func joining(_ parts: [CLsToyScan]) throws -> CLsToyScan {
        guard var out = parts.first else { throw StatisticsError.invalidOptions("no CLs toy scans to join") }
        for p in parts.dropFirst() {
            guard p.kappaGrid == out.kappaGrid, p.seed == out.seed, p.toysPerPoint == out.toysPerPoint,
                  p.backgroundToys == out.backgroundToys, p.confidenceLevel == out.confidenceLevel, p.observed == out.observed else {
                throw StatisticsError.invalidOptions("CLs toy scans made with other settings (grid, seed, toys, CL) or data cannot be joined")
            }
            for j in p.kappaGrid.indices where p.computed[j] {
                guard !out.computed[j] else { throw StatisticsError.invalidOptions("grid point \(j) is in two CLs toy scans") }
                out.computed[j] = true
                let n = out.toysPerPoint, m = out.backgroundToys
                out.signalPlusBackground.replaceSubrange((j * n)..<((j + 1) * n), with: p.signalPlusBackground(at: j))
                out.backgroundOnly.replaceSubrange((j * m)..<((j + 1) * m), with: p.backgroundOnly(at: j))
            }
        }
        return out
    }
}

/// Per grid point, the p-values of a toy scan and their binomial errors.
struct CLsToyCurves {
    var clsb: [Double]
    var clb: [Double]
    var cls: [Double]
    /// Binomial errors √(p(1−p)/N) of CL_{s+b}, and of CLs with those of CL_{s+b} and CL_b.
    var clsbErrors: [Double]
    var clsErrors: [Double]
    /// Expected CLs at the background-only quantiles Φ(−2), Φ(−1), ½, Φ(1), Φ(2) (rows: curves
    /// for the −2σ … +2σ expected limits).
    var expected: [[Double]]

    /// A toy's q̃ counts as ≥ q̃_obs within this tolerance: the fits give −2 ln L to ≈ 1e-10
    /// relative (`ModelMinimizer`), so q̃ = 0 (κ̂ ≥ κ, or κ = 0) comes out as 0 … 1e-8 and the
    /// point mass at 0 must not be split by rounding.
    static let tieTolerance = 1e-7

    /// Fraction of `sorted` at or above `q` (within the tie tolerance).
    static func tail(_ sorted: [Double], atOrAbove q: Double) -> Double {
        let x = q - tieTolerance
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return Double(sorted.count - lo) / Double(sorted.count)
    }

    /// CL_{s+b} = P(q̃ ≥ q̃_obs | s+b), CL_b = P(q̃ ≥ q̃_obs | b) (pyhf's `ToyCalculator.pvalues`:
    /// `EmpiricalDistribution.pvalue`, samples ≥ value), CLs = CL_{s+b}/CL_b; when CL_b = 0 (the
    /// observation beyond every background toy) CLs is taken as 0 if CL_{s+b} is 0 too.
    /// Expected CLs as pyhf's `ToyCalculator.expected_pvalues`: CLs of each background-only toy's
    /// own q̃ as if observed, and its percentiles at the normal quantiles (linear interpolation,
    /// numpy's default). Throws when a point has more failed toy fits than `maxFailureFraction`.
    init(_ scan: CLsToyScan, maxFailureFraction: Double) throws {
        let g = scan.kappaGrid.count
        clsb = []; clb = []; cls = []; clsbErrors = []; clsErrors = []
        expected = [[Double]](repeating: [], count: LimitBands.quantiles.count)
        for j in 0..<g {
            guard scan.computed[j] else { throw StatisticsError.invalidOptions("grid point \(j) has no CLs toys (a missing shard)") }
            let sb = try Self.valid(scan.signalPlusBackground(at: j), kappa: scan.kappaGrid[j], maxFailureFraction: maxFailureFraction)
            let b = try Self.valid(scan.backgroundOnly(at: j), kappa: scan.kappaGrid[j], maxFailureFraction: maxFailureFraction)
            let pSB = Self.tail(sb, atOrAbove: scan.observed[j]), pB = Self.tail(b, atOrAbove: scan.observed[j])
            clsb.append(pSB)
            clb.append(pB)
            cls.append(Self.ratio(pSB, pB))
            let relSB = pSB > 0 ? (1 - pSB) / (pSB * Double(sb.count)) : 0, relB = pB > 0 ? (1 - pB) / (pB * Double(b.count)) : 0
            clsbErrors.append((pSB * (1 - pSB) / Double(sb.count)).squareRoot())
            clsErrors.append(Self.ratio(pSB, pB) * (relSB + relB).squareRoot())
            let bandCLs = b.map { Self.ratio(Self.tail(sb, atOrAbove: $0), Self.tail(b, atOrAbove: $0)) }.sorted()
            for (k, p) in LimitBands.quantiles.enumerated() {
                expected[k].append(FeldmanCousinsToys.quantile(sorted: bandCLs, p))
            }
        }
    }

    static func ratio(_ clsb: Double, _ clb: Double) -> Double { clb > 0 ? clsb / clb : 0 }

    /// The finite values, sorted; throws when too many fits failed.
    static func valid(_ values: ArraySlice<Double>, kappa: Double, maxFailureFraction: Double) throws -> [Double] {
        let ok = values.filter { $0.isFinite }
        let failed = values.count - ok.count
        guard !ok.isEmpty, Double(failed) <= maxFailureFraction * Double(values.count) else {
            throw StatisticsError.tooManyFailedToys(kappa: kappa, failed: failed, toys: values.count, allowedFraction: maxFailureFraction)
        }
        return ok.sorted()
    }
}
