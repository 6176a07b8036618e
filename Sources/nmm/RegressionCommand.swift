import ArgumentParser
import Foundation
import NMMStages
import NMMStatistics

struct RegressionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regression",
        abstract: "Reproduce the published limits (TEXONO-KS 2003/2007, MUNU 2005) from their fixtures and print a table.")

    @Option(name: .customLong("config"), help: "Regression configs (repeatable; default: the three published experiments).")
    var configs: [String] = ["config/texono2003.yaml", "config/texono2007.yaml", "config/munu2005.yaml"]
    @Option(help: "Root folder of the regression stage files.") var buildDir: String = "build/regression"
    @Option(help: "Toys per κ grid point.") var toys: Int = 2000
    @Option(help: "κ grid points of the toy belt.") var gridPoints: Int = 50
    @Option(help: "Background-only pseudo-experiments for the expected band.") var sensitivityToys: Int = 1000
    @Option(help: "Worker threads (default all cores).") var threads: Int?
    @Option(help: "Interval constructions to run on each Poisson fixture, comma-separated (fc always runs).")
    var methods: IntervalMethodList = IntervalMethodList(argument: "fc,cls,clsb,asymptotic,bayes,bayes-mu")!
    @Flag(name: .shortAndLong, help: "Print only errors and the table.") var quiet = false
    @Flag(name: .shortAndLong, help: "Print debug detail.") var verbose = false

    func validate() throws {
        if toys < 10 { throw ValidationError("--toys must be ≥ 10") }
        if gridPoints < 3 { throw ValidationError("--grid-points must be ≥ 3") }
        if sensitivityToys < 10 { throw ValidationError("--sensitivity-toys must be ≥ 10 (the table needs the band)") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be ≥ 1") }
    }

    func run() throws {
        LogSetup.bootstrap(level: quiet ? .error : (verbose ? .debug : .info))
        var rows: [RegressionRun.Row] = []
        for config in configs {
            var settings = LimitSettings(method: .toys, confidenceLevel: 0.9, seed: 20050101, toysPerPoint: toys,
                                         gridPoints: gridPoints, sensitivityToys: sensitivityToys, threads: threads)
            settings.methods = methods.methods
            rows.append(try RegressionRun(configPath: config, buildRoot: buildDir, settings: settings).run())
        }
        print(RegressionTable.text(rows, toysPerPoint: toys), terminator: "")
    }
}
