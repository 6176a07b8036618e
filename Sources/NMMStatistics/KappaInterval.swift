import NMMCore
/// A confidence interval in κ read off a grid Neyman construction: the grid points with
/// t_obs(κ_j) ≤ t_c(κ_j) are accepted, and each edge is interpolated linearly in
/// d_j = t_obs,j − t_c,j between the last accepted and the first rejected grid point.
/// If the accepted points are not contiguous the interval is their hull (`hasGaps`).
public struct KappaInterval: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    /// The first grid point is accepted: `lower` is the grid start (normally κ = 0).
    public var lowerAtGridStart: Bool
    /// The last grid point is accepted: the true upper edge lies beyond the grid and
    /// `upper` is only the grid end. Extend the grid.
    public var upperAtGridEnd: Bool
    public var hasGaps: Bool
    /// Monte Carlo error of each edge from the toys' critical values (`CriticalValueError`):
    /// 0 for a lower edge at the grid start (no crossing to move), nil for an upper edge at the
    /// grid end, without critical-value errors, or for an analytic belt.
    public var lowerError: Double? = nil
    public var upperError: Double? = nil

    public init(lower: Double, upper: Double, lowerAtGridStart: Bool, upperAtGridEnd: Bool, hasGaps: Bool,
                lowerError: Double? = nil, upperError: Double? = nil) {
        self.lower = lower
        self.upper = upper
        self.lowerAtGridStart = lowerAtGridStart
        self.upperAtGridEnd = upperAtGridEnd
        self.hasGaps = hasGaps
        self.lowerError = lowerError
        self.upperError = upperError
    }

    /// nil when no grid point is accepted. `criticalErrors`: σ(t_c,j), for the edges' Monte Carlo
    /// errors. Does not allocate without them.
    static func fromGrid(_ grid: [Double], observed: [Double], critical: [Double],
                         criticalErrors: [Double]? = nil) -> KappaInterval? {
        let n = grid.count
        var first = -1, last = -1, accepted = 0
        for j in 0..<n where observed[j] <= critical[j] {
            if first < 0 { first = j }
            last = j
            accepted += 1
        }
        guard first >= 0 else { return nil }
        func edge(_ a: Int, _ b: Int) -> Double {
            // d(a) ≤ 0 (accepted), d(b) > 0 (rejected): linear root of d between κ_a and κ_b.
            let da = observed[a] - critical[a], db = observed[b] - critical[b]
            let f = da == db ? 0.5 : -da / (db - da)
            return grid[a] + (grid[b] - grid[a]) * min(max(f, 0), 1)
        }
        func edgeError(_ a: Int, _ b: Int) -> Double? {
            guard let s = criticalErrors else { return nil }
            return CriticalValueError.edgeSigma(grid: grid, observed: observed, critical: critical, errors: s,
                                                accepted: a, rejected: b)
        }
        let lower = first == 0 ? grid[0] : edge(first, first - 1)
        let upper = last == n - 1 ? grid[n - 1] : edge(last, last + 1)
        let lowerError = first == 0 ? (criticalErrors == nil ? nil : 0) : edgeError(first, first - 1)
        let upperError = last == n - 1 ? nil : edgeError(last, last + 1)
        return KappaInterval(lower: lower, upper: upper, lowerAtGridStart: first == 0,
                             upperAtGridEnd: last == n - 1, hasGaps: accepted != last - first + 1,
                             lowerError: lowerError, upperError: upperError)
    }
}
