/// Where a p-value curve on a κ grid falls below a level (1 − CL): the upper limit of a toy
/// CLs/CLs+b scan, interpolated linearly in the curve between the two grid points around the
/// crossing — what pyhf's `upper_limits.linear_grid_scan` does (np.interp of the level on the
/// curve) on a monotone curve. A toy curve need not be monotone: the crossing taken is the LAST
/// one (κ_{j−1} with value ≥ level, κ_j below it, everything above κ_j below too), i.e. the
/// supremum of the κ not excluded — the conservative choice when Monte Carlo noise wiggles the
/// curve around the level.
struct GridCrossing: Sendable, Equatable {
    /// The interpolated κ.
    var kappa: Double
    /// Grid index of the first point below the level (the crossing lies in [κ_{j−1}, κ_j]).
    var index: Int
    /// Interpolation weight: κ = (1 − w)·κ_{j−1} + w·κ_j.
    var weight: Double
    /// No point of the grid is below the level after the last one at or above it: κ is the
    /// grid's end (a lower bound on the limit).
    var atGridEnd: Bool

    /// nil when the curve has no finite value at or above the level (κ = grid[0] is excluded).
    static func find(grid: [Double], values: [Double], level: Double) -> GridCrossing? {
        guard let last = values.lastIndex(where: { $0 >= level }) else { return nil }
        if last == grid.count - 1 {
            return GridCrossing(kappa: grid[last], index: last, weight: 1, atGridEnd: true)
        }
        let j = last + 1, a = values[last], b = values[j]
        let w = a > b ? (a - level) / (a - b) : 0
        return GridCrossing(kappa: grid[last] + w * (grid[j] - grid[last]), index: j, weight: w, atGridEnd: false)
    }

    /// A value interpolated to the crossing with the same weight.
    func interpolate(_ v: [Double]) -> Double {
        index == 0 ? v[0] : (1 - weight) * v[index - 1] + weight * v[index]
    }

    /// The slope d(curve)/dκ at the crossing: the least-squares line through the grid points
    /// j−2 … j+1 around it (two on each side where the grid has them), less noisy than the
    /// secant of the two bracketing toy points.
    func slope(grid: [Double], values: [Double]) -> Double {
        let lo = max(0, index - 2), hi = min(grid.count - 1, index + 1)
        let pts = (lo...hi).filter { values[$0].isFinite }
        guard pts.count >= 2 else { return .nan }
        let n = Double(pts.count)
        let mx = pts.reduce(0) { $0 + grid[$1] } / n, my = pts.reduce(0) { $0 + values[$1] } / n
        var sxy = 0.0, sxx = 0.0
        for i in pts {
            sxy += (grid[i] - mx) * (values[i] - my)
            sxx += (grid[i] - mx) * (grid[i] - mx)
        }
        return sxx > 0 ? sxy / sxx : .nan
    }
}
