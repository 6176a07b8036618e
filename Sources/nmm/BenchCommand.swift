import ArgumentParser
import Foundation
import NMMCore
import NMMStages

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Toy fits per second of the Feldman–Cousins belt on a config's data, per statistic, 1 thread and all threads.")

    @OptionGroup var common: CommonOptions
    @Option(help: "κ grid points of the benchmark belt.") var gridPoints: Int = 100
    @Option(help: "Toys per grid point.") var toys: Int = 1000
    @Option(help: "Thread counts to run, comma-separated (default: 1 and all cores).") var threads: String?

    func run() throws {
        _ = common.makeLogger()
        let config = try common.loadConfig()
        let spectra = try Ingest().run(config: config)
        let residual = try Subtract().run(spectra, config: config)
        let templates = try Templates().run(spectra, config: config)
        let input = try FitSetup.input(residual, templates)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let counts = try threads.map { try $0.split(separator: ",").map {
            guard let n = Int($0), n >= 1 else { throw ValidationError("--threads: expected positive integers, found '\($0)'") }
            return n
        } } ?? Array(Set([1, cores])).sorted()
        print("toy-MC belt benchmark: \(config.experiment), \(input.binCount) bins, \(gridPoints) κ points × \(toys) toys, \(cores) cores")
        print("statistic  threads   seconds   toys/s")
        for statistic in [ToyStatistic.chi2, .poisson] {
            let options = try FitSetup.options(config, method: statistic == .chi2 ? .chi2 : .poisson)
            for n in counts {
                let r = try ToyBenchmark.run(input: input, options: options, gridPoints: gridPoints, toysPerPoint: toys,
                                             threads: n, statistic: statistic)
                let name = statistic.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                print(name + String(format: "  %7d  %8.3f  %8.0f", n, r.seconds, r.toysPerSecond))
            }
        }
    }
}
