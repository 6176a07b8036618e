import NMMCore
import NMMStatistics

/// limit.shard-i-of-N.fits (NMMTYPE LIMITSHARD): one slice of the toy-MC belt's κ grid,
/// written by `nmm limit --shard i/N`, joined by `nmm merge`. The grid, seed, toys and
/// observed statistic are the whole construction's; only the slice's critical values and
/// their Monte Carlo errors are filled (NaN elsewhere).
public struct LimitShard: StageProduct, Equatable {
    public static let kind = ProductKind.limitShard
    /// 2: T_CRIT_ERR (the merge needs each critical value's Monte Carlo error).
    public static let schemaVersion = 2

    public var index: Int
    public var count: Int
    public var belt: ToyBelt
    public var points: Range<Int>
    public var kappaHat: Double
    public var kappaSigma: Double
    /// With cls/clsb in limit.methods: the q̃ of the slice's s+b and background-only toys
    /// (tables CLS_OBS, CLS_SB, CLS_B), joined by the merge like the belt.
    public var clsScan: CLsToyScan? = nil

    public init(index: Int, count: Int, belt: ToyBelt, points: Range<Int>, kappaHat: Double, kappaSigma: Double) {
        self.index = index
        self.count = count
        self.belt = belt
        self.points = points
        self.kappaHat = kappaHat
        self.kappaSigma = kappaSigma
    }

    public init(document doc: FITSDocument) throws {
        index = try doc.int("SHARDIDX")
        count = try doc.int("SHARDCNT")
        let lo = try doc.int("PTLO"), hi = try doc.int("PTHI")
        guard lo >= 0, lo <= hi else {   // lo..<hi traps otherwise (found while writing the fuzz harness)
            throw InputError(file: doc.sourceFile, field: "PTLO/PTHI", "expected 0 ≤ PTLO ≤ PTHI, found \(lo) and \(hi)")
        }
        points = lo..<hi
        kappaHat = try doc.double("KAPHAT")
        kappaSigma = try doc.double("KAPSIG")
        let t = try doc.table("BELT")
        let statName = try doc.string("STATISTC")
        guard let statistic = ToyStatistic(rawValue: statName) else {
            throw InputError(file: doc.sourceFile, field: "STATISTC", "expected chi2 or poisson, found '\(statName)'")
        }
        let seedText = try doc.string("SEED")
        guard let seed = UInt64(seedText) else {
            throw InputError(file: doc.sourceFile, field: "SEED", "expected a non-negative integer seed, found '\(seedText)'")
        }
        belt = ToyBelt(statistic: statistic, confidenceLevel: try doc.double("CL"),
                       seed: seed, toysPerBlock: try doc.int("TOYBLOCK"),
                       kappaGrid: try t.doubles("KAPPA", unit: MagneticMomentUnits.kappaUnit),
                       criticalValues: try t.doubles("T_CRIT", unit: nil), observedValues: try t.doubles("T_OBS", unit: nil),
                       toysPerPoint: try doc.int("NTOYSPT"), failuresPerPoint: try t.integers("NFAIL").map { Int($0) },
                       interval: nil, observedKappa: kappaHat, observedKappaError: kappaSigma,
                       criticalValueErrors: try t.doubles("T_CRIT_ERR", unit: nil))
        guard index >= 1, index <= count, points.upperBound <= belt.kappaGrid.count else {
            throw InputError(file: doc.sourceFile, field: "SHARDIDX", "expected 1 ≤ SHARDIDX ≤ SHARDCNT and a slice inside the grid")
        }
        belt.toysAtPoint = ToyBelt.firstPassToys(belt.toysPerPoint, grid: belt.kappaGrid.count, slice: points)
        clsScan = try Self.readCLsScan(doc, belt: belt, points: points)
    }

    public func document() -> FITSDocument {
        FITSDocument(primaryKeywords: [
            FITSKeyword("SHARDIDX", .int(index), "this shard (1-based)"),
            FITSKeyword("SHARDCNT", .int(count), "shards in the construction"),
            FITSKeyword("PTLO", .int(points.lowerBound), "first grid index computed (0-based)"),
            FITSKeyword("PTHI", .int(points.upperBound), "one past the last grid index computed"),
            FITSKeyword("STATISTC", .string(belt.statistic.rawValue), "test statistic"),
            FITSKeyword("CL", .double(belt.confidenceLevel), "confidence level"),
            FITSKeyword("SEED", .string(String(belt.seed)), "master seed"),
            FITSKeyword("TOYBLOCK", .int(belt.toysPerBlock), "toys per random stream"),
            FITSKeyword("NTOYSPT", .int(belt.toysPerPoint), "toys per grid point"),
            FITSKeyword("KAPHAT", .double(kappaHat), "[1e-20 mu_B^2] fitted kappa"),
            FITSKeyword("KAPSIG", .double(kappaSigma), "[1e-20 mu_B^2] its error"),
        ], tables: [FITSTable(name: "BELT", columns: [
            FITSColumn("KAPPA", unit: MagneticMomentUnits.kappaUnit, .double(belt.kappaGrid)),
            FITSColumn("T_CRIT", unit: "", .double(belt.criticalValues)),
            FITSColumn("T_OBS", unit: "", .double(belt.observedValues)),
            FITSColumn("NFAIL", unit: "", .int64(belt.failuresPerPoint.map(Int64.init))),
            FITSColumn("T_CRIT_ERR", unit: "", .double(belt.criticalValueErrors
                                                       ?? [Double](repeating: .nan, count: belt.kappaGrid.count))),
        ])] + clsTables())
    }

    /// The slice's toys only: CLS_SB holds (PTHI − PTLO) × NTOYSPT values point by point,
    /// CLS_B (PTHI − PTLO) × NBKGTOY; CLS_OBS the observed q̃ on the whole grid.
    func clsTables() -> [FITSTable] {
        guard let c = clsScan else { return [] }
        let n = c.toysPerPoint, m = c.backgroundToys
        return [
            FITSTable(name: "CLS_OBS", keywords: [FITSKeyword("KAPHATUC", .double(c.observedKappa), "[1e-20 mu_B^2] unconstrained best fit")],
                      columns: [FITSColumn("KAPPA", unit: MagneticMomentUnits.kappaUnit, .double(c.kappaGrid)),
                                FITSColumn("Q_OBS", unit: "", .double(c.observed))]),
            FITSTable(name: "CLS_SB", keywords: [FITSKeyword("NTOYSPT", .int(n), "s+b toys per grid point")],
                      columns: [FITSColumn("QTILDE", unit: "", .double(Array(c.signalPlusBackground[(points.lowerBound * n)..<(points.upperBound * n)])))]),
            FITSTable(name: "CLS_B", keywords: [FITSKeyword("NBKGTOY", .int(m), "background-only toys")],
                      columns: [FITSColumn("QTILDE", unit: "", .double(Array(c.backgroundOnly[(points.lowerBound * m)..<(points.upperBound * m)])))]),
        ]
    }

    static func readCLsScan(_ doc: FITSDocument, belt: ToyBelt, points: Range<Int>) throws -> CLsToyScan? {
        guard doc.hasTable("CLS_SB") else { return nil }
        let obs = try doc.table("CLS_OBS"), sbTable = try doc.table("CLS_SB"), bTable = try doc.table("CLS_B")
        let n = try sbTable.int("NTOYSPT"), m = try bTable.int("NBKGTOY"), g = belt.kappaGrid.count
        let sb = try sbTable.doubles("QTILDE", unit: nil), b = try bTable.doubles("QTILDE", unit: nil)
        let observed = try obs.doubles("Q_OBS", unit: nil)
        guard n >= 1, m >= 1, sb.count == points.count * n, b.count == points.count * m, observed.count == g,
              try obs.doubles("KAPPA", unit: MagneticMomentUnits.kappaUnit) == belt.kappaGrid else {
            throw InputError(file: doc.sourceFile, field: "CLS_SB/CLS_B",
                             "expected \(points.count) × NTOYSPT and × NBKGTOY q̃ values and the belt's grid in CLS_OBS")
        }
        var all = [Double](repeating: .nan, count: g * n), allB = [Double](repeating: .nan, count: g * m)
        all.replaceSubrange((points.lowerBound * n)..<(points.upperBound * n), with: sb)
        allB.replaceSubrange((points.lowerBound * m)..<(points.upperBound * m), with: b)
        return CLsToyScan(confidenceLevel: belt.confidenceLevel, seed: belt.seed, kappaGrid: belt.kappaGrid, observed: observed,
                          observedKappa: try obs.double("KAPHATUC"), toysPerPoint: n, backgroundToys: m,
                          signalPlusBackground: all, backgroundOnly: allB, computed: belt.kappaGrid.indices.map { points.contains($0) })
    }
}
