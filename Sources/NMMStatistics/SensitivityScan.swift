import NMMCore

/// The expected-limit bookkeeping both toy constructions share: each background-only
/// pseudo-experiment's upper limit from its t values on the belt's grid, and the bands.
enum SensitivityScan {
    /// Records pseudo-experiment `index`'s upper limit (and whether it sits at the grid's end).
    /// No grid point accepted means the interval lies between two grid points (a grid coarser
    /// than σ_κ): not a failed fit; the grid point above the closest approach of t to t_c is
    /// taken as the upper limit (conservative).
    static func record(_ values: [Double], grid: [Double], critical: [Double], index: Int,
                       uppers: SharedResults, atEnd: SharedResults) {
        if let interval = KappaInterval.fromGrid(grid, observed: values, critical: critical) {
            uppers[index] = interval.upper
            atEnd[index] = interval.upperAtGridEnd ? 1 : 0
        } else {
            let j = FeldmanCousinsToys.closestApproach(values, critical)
            uppers[index] = grid[min(j + 1, grid.count - 1)]
            atEnd[index] = j + 1 >= grid.count - 1 ? 1 : 0
        }
    }

    /// The bands of `m` recorded limits (unrecorded = failed fits, within the tolerated fraction).
    static func sensitivity(uppers: SharedResults, atEnd: SharedResults, pseudoExperiments m: Int,
                            configuration cfg: ToyConfiguration) throws -> ToySensitivity {
        var limits = uppers.array(0..<m).filter { $0.isFinite }
        let failed = m - limits.count
        guard Double(failed) <= cfg.maxFailureFraction * Double(m), !limits.isEmpty else {
            throw StatisticsError.tooManyFailedToys(kappa: 0, failed: failed, toys: m, allowedFraction: cfg.maxFailureFraction)
        }
        limits.sort()
        let bands = LimitBands(values: LimitBands.quantiles.map { FeldmanCousinsToys.quantile(sorted: limits, $0) })
        return ToySensitivity(bands: bands, pseudoExperiments: m, failed: failed,
                              atGridEnd: Int(atEnd.array(0..<m).reduce(0, +)), seed: cfg.seed)
    }
}
