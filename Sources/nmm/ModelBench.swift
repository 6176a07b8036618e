import Foundation
import NMMCore
import NMMStages
import NMMStatistics

/// `nmm bench --path model`: toys/s of the config's statistical model (issue 17). Per statistic
/// and thread count: the κ-only counterpart (`ToyBenchmark.kappaOnlyCounterpart`, on the κ-only
/// kernels when legacy-shaped), the nuisance fast path, optionally the general profiler alone,
/// and the ratio nuisance / κ-only measured in the same run; then the growth with N
/// normalisation nuisances (`ToyBenchmark.normalisationModel`). Fastest of `repeats` runs.
struct ModelBench {
    var config: AnalysisConfig
    var gridPoints: Int
    var toys: Int
    var threads: [Int]
    var statistics: [ToyStatistic]
    var repeats: Int
    var reference: Bool
    var nuisances: [Int]

    func run() throws {
        let model = try buildModel()
        let parameters = model.fittedParameterNames.joined(separator: ", ")
        print("model-path toy benchmark: \(config.experiment), \(model.dataSets.count) data set(s), "
              + "\(model.dataSets.map(\.binCount).reduce(0, +)) bins, fitted parameters \(parameters); "
              + "\(gridPoints) κ points × \(toys) toys, fastest of \(repeats), "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("statistic  path        threads   seconds     toys/s  / kappa-only")
        var ratios: [String] = []
        for statistic in statistics {
            let options = FitSetup.modelOptions(config, statistic: statistic == .chi2 ? .chi2 : .poisson)
            let grid = try ToyBenchmark.grid(model: model, options: options, gridPoints: gridPoints)
            for n in threads {
                let base = try fastest(model, options, grid, n, statistic, .kappaOnly)
                row(statistic, .kappaOnly, n, base, base)
                let fast = try fastest(model, options, grid, n, statistic, .nuisance)
                row(statistic, .nuisance, n, fast, base)
                if reference {
                    let general = try fastest(model, options, grid, n, statistic, .general)
                    row(statistic, .general, n, general, base)
                }
                if n == threads.first { ratios.append(String(format: "%@ %.3f", statistic.rawValue, base.seconds / fast.seconds)) }
            }
        }
        print("nuisance path / kappa-only (\(threads.first ?? 1) thread(s)): " + ratios.joined(separator: ", "))
        guard !nuisances.isEmpty else { return }
        let n = threads.first ?? 1
        print("growth in the number of normalisation nuisances (\(n) thread(s)): toys/s, and / kappa-only")
        for statistic in statistics {
            let options = FitSetup.modelOptions(config, statistic: statistic == .chi2 ? .chi2 : .poisson)
            let kappaOnly = ToyBenchmark.kappaOnlyCounterpart(model)
            let grid = try ToyBenchmark.grid(model: kappaOnly, options: options, gridPoints: gridPoints)
            let base = try fastest(kappaOnly, options, grid, n, statistic, .kappaOnly)
            var cells: [String] = []
            for count in nuisances {
                let synthetic = try ToyBenchmark.normalisationModel(model, count: count)
                let r = try fastest(synthetic, options, grid, n, statistic, .nuisance)
                cells.append(String(format: "N=%d %.0f (%.3f)", count, r.toysPerSecond, base.seconds / r.seconds))
            }
            print(statistic.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                  + String(format: "  kappa-only %.0f; ", base.toysPerSecond) + cells.joined(separator: ", "))
        }
    }

    private func fastest(_ model: StatisticalModel, _ options: ModelFitOptions, _ grid: [Double], _ threads: Int,
                         _ statistic: ToyStatistic, _ path: ToyBenchmark.ModelPath) throws -> (seconds: Double, toysPerSecond: Double) {
        var best = (seconds: Double.infinity, toysPerSecond: 0.0)
        for _ in 0..<repeats {
            let r = try ToyBenchmark.runModelBelt(model: model, options: options, grid: grid, toysPerPoint: toys,
                                                  threads: threads, statistic: statistic, path: path)
            if r.seconds < best.seconds { best = (r.seconds, r.toysPerSecond) }
        }
        return best
    }

    private func row(_ statistic: ToyStatistic, _ path: ToyBenchmark.ModelPath, _ threads: Int,
                     _ r: (seconds: Double, toysPerSecond: Double), _ base: (seconds: Double, toysPerSecond: Double)) {
        print(statistic.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + "  "
              + path.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
              + String(format: "  %7d  %8.3f  %9.0f  %11.3f", threads, r.seconds, r.toysPerSecond, base.seconds / r.seconds))
    }

    /// The config's model through the pipeline (ingest … model) in a temporary folder.
    private func buildModel() throws -> StatisticalModel {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let paths = StagePaths(directory: dir.path)
        try Pipeline(config: config).run(from: .ingest, to: .model, paths: paths)
        return try ProductStore.read(ModelProduct.self, from: paths.model).0.model
    }
}
