import NMMCore
/// Joining belt slices (shards) computed apart into the whole belt.
extension ToyBelt {
    /// The contiguous slice of grid indices that shard `index` (1-based) of `count` computes.
    public static func shardPoints(index: Int, count: Int, gridPoints g: Int) -> Range<Int> {
        (g * (index - 1) / count)..<(g * index / count)
    }

    /// Joins slices that together cover every grid point once; they must come from the same
    /// construction (statistic, CL, seed, block size, grid, toys, observed values,
    /// global-observable convention).
    public static func joining(_ parts: [(points: Range<Int>, belt: ToyBelt)]) throws -> ToyBelt {
        guard var whole = parts.first?.belt else { throw StatisticsError.invalidOptions("no belt slices to join") }
        let g = whole.kappaGrid.count
        var covered = [Bool](repeating: false, count: g)
        for (points, b) in parts {
            guard b.statistic == whole.statistic, b.confidenceLevel == whole.confidenceLevel, b.seed == whole.seed,
                  b.toysPerBlock == whole.toysPerBlock, b.kappaGrid == whole.kappaGrid, b.toysPerPoint == whole.toysPerPoint,
                  b.observedValues == whole.observedValues,
                  b.resampleGlobalObservables == whole.resampleGlobalObservables else {
                throw StatisticsError.invalidOptions("belt slices come from different constructions (seed, grid, toys or data differ)")
            }
            for j in points {
                guard !covered[j] else { throw StatisticsError.invalidOptions("grid point \(j) is in two slices") }
                covered[j] = true
                whole.criticalValues[j] = b.criticalValues[j]
                whole.failuresPerPoint[j] = b.failuresPerPoint[j]
                whole.toysAtPoint[j] = b.toysAtPoint[j]
                // Unknown for the whole belt when any slice lacks them.
                if let e = b.criticalValueErrors, whole.criticalValueErrors != nil { whole.criticalValueErrors![j] = e[j] }
                else { whole.criticalValueErrors = nil }
            }
        }
        if let missing = covered.firstIndex(of: false) {
            throw StatisticsError.invalidOptions("grid point \(missing) is in no slice")
        }
        whole.interval = KappaInterval.fromGrid(whole.kappaGrid, observed: whole.observedValues, critical: whole.criticalValues,
                                                criticalErrors: whole.criticalValueErrors)
        return whole
    }
}
