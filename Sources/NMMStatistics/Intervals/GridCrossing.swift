/// Where a p-value curve on a κ grid falls below a level (1 − CL): the upper limit of a toy
/// CLs/CLs+b scan, interpolated linearly in the curve between the two grid points around the
/// crossing — what pyhf's `upper_limits.linear_grid_scan` does (np.interp of the level on the
/// curve) on a monotone curve. `CLsToys` makes its toy curves monotone first (`MonotoneFit`);
/// on a curve that is not, the crossing taken is the LAST one (κ_{j−1} with value ≥ level, κ_j
/// below it, everything above κ_j below too), the supremum of the κ not excluded.
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

    /// The Monte Carlo error of `kappa`: the error of the curve at the crossing over its slope
    /// there, σ_κ = σ_c/|dv/dκ|, with σ_c = (1 − w)·σ_{j−1} + w·σ_j from the point errors
    /// `errors`, and the slope of `values` (the monotone fit) over the grid points j−2 … j+1
    /// around the crossing (the secant of the end points of that window; two points on each side
    /// where the grid has them, none from the plateau v = 1 that q̃'s point mass at 0 gives below
    /// κ̂ — the curve has a kink there). This is the error of where a curve that scatters by σ_c about
    /// its course crosses the level. It is not the linearised error of the interpolation
    /// between the two bracketing points, √((1 − w)²σ²_{j−1} + w²σ²_j)/secant: at a few hundred
    /// toys per point the scatter of the curve is comparable to its fall from one grid point to
    /// the next, and that formula came out at half the scatter of the limit over seeds
    /// (CLsToysTests). NaN at the grid's end (no crossing).
    func error(grid: [Double], values: [Double], errors: [Double]) -> Double {
        guard !atGridEnd, index > 0 else { return .nan }
        var lo = max(0, index - 2)
        while lo < index - 1 && values[lo] >= 1 { lo += 1 }   // not from the plateau v = 1 below κ̂
        let hi = min(grid.count - 1, index + 1)
        let slope = (values[lo] - values[hi]) / (grid[hi] - grid[lo])
        return ((1 - weight) * errors[index - 1] + weight * errors[index]) / slope
    }
}
