import Dispatch

/// Times a toy Neyman construction, for `nmm bench`. The grid runs from 0 to
/// max(κ̂, 0) + 5σ_κ of the observed data's best fit with the chosen statistic.
public enum ToyBenchmark {
    public static func run(input: FitInput, options: FitOptions, gridPoints: Int, toysPerPoint: Int,
                           threads: Int, statistic: ToyStatistic,
                           seed: UInt64 = 1) throws -> (seconds: Double, toysPerSecond: Double) {
        guard gridPoints >= 2 else { throw StatisticsError.invalidOptions("benchmark needs ≥ 2 grid points") }
        let model = FitModel(input: input, options: options, method: statistic.method)
        let prof = statistic.makeProfiler(model)
        prof.load(on: input.onCounts, off: input.offCounts)
        guard let best = prof.bestFitKappa(), best.error.isFinite, best.error > 0 else {
            throw StatisticsError.fitFailed("benchmark: fit of the input data")
        }
        let top = max(best.kappa, 0) + 5 * best.error
        let grid = KappaGrid(min: 0, max: top, points: gridPoints).values
        let toys = try FeldmanCousinsToys(
            input: input, options: options,
            configuration: ToyConfiguration(kappaGrid: grid, toysPerPoint: toysPerPoint, seed: seed,
                                            statistic: statistic, threads: threads, maxFailureFraction: 0.5))
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try toys.belt()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        return (seconds, Double(gridPoints * toysPerPoint) / seconds)
    }
}
