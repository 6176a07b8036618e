import ArgumentParser
import NMMStages
import NMMStatistics

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Run a range of stages in order (default: ingest through report) and print the limit.")

    @OptionGroup var common: CommonOptions
    @Option(help: "First stage to run: \(StageName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var from: StageName = .ingest
    @Option(help: "Last stage to run.")
    var to: StageName = .report

    func validate() throws {
        guard from <= to else { throw ValidationError("--from \(from.rawValue) comes after --to \(to.rawValue)") }
    }

    func run() throws {
        let (pipeline, paths) = try common.pipeline()
        let progress = ProgressDisplay(label: "toys", quiet: common.quiet)
        try pipeline.run(from: from, to: to, paths: paths, progress: progress.handler)
        progress.finish()
        if to >= .limit, !common.quiet {
            print(try pipeline.headline(limitPath: paths.limit))
        }
    }
}


struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the limit line of an existing limit.fits (checking it is not stale).")

    @OptionGroup var common: CommonOptions
    @Option(name: .shortAndLong, help: "Limit file (default <build-dir>/<experiment>/limit.fits).") var input: String?

    func run() throws {
        let (pipeline, paths) = try common.pipeline()
        print(try pipeline.headline(limitPath: input ?? paths.limit))
    }
}

struct InputsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inputs",
        abstract: "Print the input files of a stage from the stage graph (default ingest: the spectra named in the config, resolved; used by the Makefile).")

    @OptionGroup var common: CommonOptions
    @Option(help: "Stage whose inputs to print.") var stage: StageName = .ingest

    func run() throws {
        let config = try common.loadConfig()
        let paths = common.paths(config)
        let files = stage == .ingest ? Ingest.source(config: config).inputFiles : paths.inputs(of: stage)
        for file in files { print(file) }
    }
}
