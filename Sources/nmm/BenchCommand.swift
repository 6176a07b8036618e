import ArgumentParser
import Foundation
import NMMCore
import NMMStages
import NMMStatistics

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Toy fits per second of the Feldman–Cousins belt on a config's data, per statistic, 1 thread and all threads.",
        discussion: """
        Times whole belts (BELT: generation means, toys, t_c per grid point) on the config's \
        data. --bins N replaces the data by N bins made by repeating its bins (growth \
        measurements); --export-input writes the benchmark input (bins, counts, exposures, \
        templates, grids) as JSON for benchmarks/reference_belt.py and exits. \
        --path model times the config's statistical model instead (its nuisances, global \
        observables resampled): the κ-only counterpart, the nuisance fast path and their ratio \
        (--reference adds the general profiler alone; --nuisances 1,3,10 the growth with N \
        normalisation nuisances; --flux-sigma and --background change the config's fit section).
        """)

    @OptionGroup var common: CommonOptions
    @Option(help: "κ grid points of the benchmark belt.") var gridPoints: Int = 100
    @Option(help: "Toys per grid point.") var toys: Int = 1000
    @Option(help: "Thread counts to run, comma-separated (default: 1 and all cores).") var threads: String?
    @Option(help: "Statistics to run, comma-separated: chi2, poisson.") var statistic: String = "chi2,poisson"
    @Option(help: "Poisson sampler: table (alias tables, default) or gsl (gsl_ran_poisson).") var sampler: String = "table"
    @Option(help: "Synthetic input of N bins: the data's bins repeated cyclically (counts and templates per bin unchanged).")
    var bins: Int?
    @Option(help: "Runs per setting; the fastest is printed (shared machines).") var repeats: Int = 1
    @Option(help: "Write the benchmark input as JSON to this file and exit.") var exportInput: String?
    @Option(help: "Write each statistic's belt (grid, critical values) of the last run as JSON to this file.")
    var beltOut: String?
    @Option(help: "Toy path: legacy (the config's data through the fit-input kernels) or model (the config's statistical model: κ-only counterpart vs nuisance path).")
    var path: String = "legacy"
    @Option(help: "Model path: set fit.fluxNormalisationSigma (a Gaussian flux normalisation on SM and MM).")
    var fluxSigma: Double?
    @Option(help: "Model path: set fit.background (none, flat, linear ON-only terms).")
    var background: String?
    @Flag(help: "Model path: also time the general profiler alone (every toy refitted by ModelProfiler).")
    var reference = false
    @Option(help: "Model path: growth with N normalisation nuisances, comma-separated (e.g. 1,3,10).")
    var nuisances: String?

    func run() throws {
        _ = common.makeLogger()
        var config = try common.loadConfig()
        guard path == "legacy" || path == "model" else { throw ValidationError("--path: expected legacy or model") }
        if path == "model" {
            if fluxSigma != nil || background != nil {
                guard config.fit != nil else { throw ValidationError("--flux-sigma, --background: the config has no fit section") }
            }
            if let s = fluxSigma { config.fit?.fluxNormalisationSigma = s }
            if let b = background {
                guard let terms = BackgroundTerms(rawValue: b) else { throw ValidationError("--background: expected none, flat or linear") }
                config.fit?.background = terms
            }
            try ModelBench(config: config, gridPoints: gridPoints, toys: toys, threads: try threadCounts(),
                           statistics: try statisticList(), repeats: max(repeats, 1), reference: reference,
                           nuisances: try nuisanceCounts()).run()
            return
        }
        let spectra = try Ingest().run(config: config)
        let residual = try Subtract().run(spectra, config: config)
        let templates = try Templates().run(spectra, config: config)
        var input = try FitSetup.input(residual, templates)
        if let bins { input = try ToyBenchmark.replicated(input, bins: bins) }
        if let path = exportInput {
            let data = try ToyBenchmark.exportJSON(input: input, chi2Options: FitSetup.options(config, method: .chi2),
                                                   poissonOptions: FitSetup.options(config, method: .poisson),
                                                   gridPoints: gridPoints, toysPerPoint: toys, experiment: config.experiment)
            try StagePaths.prepareFolder(for: path)
            try AtomicFile.writeData(data, to: path)
            print("wrote \(path)")
            return
        }
        guard let toySampler = ToySampler(rawValue: sampler) else { throw ValidationError("--sampler: expected table or gsl") }
        let statistics = try statisticList()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let counts = try threadCounts()
        print("toy-MC belt benchmark: \(config.experiment), \(input.binCount) bins, \(gridPoints) κ points × \(toys) toys, "
              + "\(cores) cores, sampler \(toySampler.rawValue)")
        print("statistic  threads   seconds   toys/s")
        var belts: [String: [String: [Double]]] = [:]
        for statistic in statistics {
            let options = FitSetup.options(config, method: statistic == .chi2 ? .chi2 : .poisson)
            for n in counts {
                var best = (seconds: Double.infinity, toysPerSecond: 0.0)
                for _ in 0..<max(repeats, 1) {
                    let r = try ToyBenchmark.runBelt(input: input, options: options, gridPoints: gridPoints,
                                                     toysPerPoint: toys, threads: n, statistic: statistic,
                                                     sampler: toySampler)
                    if r.seconds < best.seconds { best = (r.seconds, r.toysPerSecond) }
                    belts[statistic.rawValue] = ["grid": r.belt.kappaGrid, "criticalValues": r.belt.criticalValues]
                }
                let name = statistic.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                print(name + String(format: "  %7d  %8.3f  %8.0f", n, best.seconds, best.toysPerSecond))
            }
        }
        if let path = beltOut {
            // JSONText writes a non-finite critical value as null instead of failing.
            try StagePaths.prepareFolder(for: path)
            try AtomicFile.writeData(Data((JSONText.encode(belts) + "\n").utf8), to: path)
        }
    }

    private func statisticList() throws -> [ToyStatistic] {
        try statistic.split(separator: ",").map {
            guard let s = ToyStatistic(rawValue: String($0)) else { throw ValidationError("--statistic: expected chi2 or poisson, found '\($0)'") }
            return s
        }
    }

    private func threadCounts() throws -> [Int] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return try threads.map { try $0.split(separator: ",").map {
            guard let n = Int($0), n >= 1 else { throw ValidationError("--threads: expected positive integers, found '\($0)'") }
            return n
        } } ?? Array(Set([1, cores])).sorted()
    }

    private func nuisanceCounts() throws -> [Int] {
        try (nuisances ?? "").split(separator: ",").map {
            guard let n = Int($0), n >= 1 else { throw ValidationError("--nuisances: expected positive integers, found '\($0)'") }
            return n
        }
    }
}
