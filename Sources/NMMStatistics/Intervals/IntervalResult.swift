import NMMCore

/// One named curve of an interval construction on its κ scan (CLs, CLs+b, CLb, the
/// posterior's cumulative, …), for the product and the report's figure.
public struct IntervalCurve: Sendable, Equatable {
    public var name: String
    public var values: [Double]
    /// TUNIT of the values ("" for probabilities; a posterior density is per unit of its prior's variable).
    public var unit: String
    public init(name: String, values: [Double], unit: String = "") {
        self.name = name
        self.values = values
        self.unit = unit
    }
}

/// What every interval construction returns: an upper limit on κ (and a lower edge where the
/// method gives one), its Monte Carlo error when toys or sampling made it, the expected limits
/// (median, ±1σ, ±2σ under κ = 0), and the scan it was read off.
public struct IntervalResult: Sendable, Equatable {
    public var method: IntervalMethod
    public var confidenceLevel: Double
    /// Upper limit on κ in 1e-20 μ_B².
    public var kappaUpper: Double
    /// Lower edge (0 for the one-sided methods).
    public var kappaLower: Double
    /// Monte Carlo standard error of `kappaUpper` (nil: a deterministic construction).
    public var monteCarloError: Double?
    /// Expected upper limits on κ under κ = 0 (nil when not computed).
    public var expected: LimitBands?
    /// The κ points of the scan and the curves on them (same length each).
    public var scanKappa: [Double]
    public var curves: [IntervalCurve]
    /// Toys or samples spent (0 for asymptotic/quadrature).
    public var toys: Int
    /// Seed of the random draws (nil when nothing was drawn).
    public var seed: UInt64?
    /// How it was computed, in words a referee reads (e.g. "nuisances marginalised by
    /// Gauss–Hermite quadrature, 7 points per nuisance").
    public var notes: [String]

    public init(method: IntervalMethod, confidenceLevel: Double, kappaUpper: Double, kappaLower: Double = 0,
                monteCarloError: Double? = nil, expected: LimitBands? = nil, scanKappa: [Double] = [],
                curves: [IntervalCurve] = [], toys: Int = 0, seed: UInt64? = nil, notes: [String] = []) {
        self.method = method
        self.confidenceLevel = confidenceLevel
        self.kappaUpper = kappaUpper
        self.kappaLower = kappaLower
        self.monteCarloError = monteCarloError
        self.expected = expected
        self.scanKappa = scanKappa
        self.curves = curves
        self.toys = toys
        self.seed = seed
        self.notes = notes
    }
}

/// An interval construction on a `StatisticalModel` other than the Feldman–Cousins belt
/// (which keeps `BeltConstruction`). One construction may produce several methods from the
/// same work (toy CLs gives CLs and CLs+b from one set of toys).
public protocol IntervalConstruction: Sendable {
    /// The methods `intervals` returns, in this order.
    var methods: [IntervalMethod] { get }
    func intervals(progress: ProgressHandler?) throws -> [IntervalResult]
}
