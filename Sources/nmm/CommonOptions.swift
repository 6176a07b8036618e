import ArgumentParser
import Foundation
import Logging
import NMMCore
import NMMStages
import NMMStatistics

/// Options every stage command takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Experiment config file (YAML). Relative input paths in it are resolved against its folder.")
    var config: String = "config/default.yaml"

    @Option(name: .long, help: "Root folder of the stage files; outputs default to <build-dir>/<experiment>/.")
    var buildDir: String = "build"

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print debug detail.")
    var verbose = false

    @Flag(help: "Use inputs made from other content of a config section this stage depends on (refused otherwise, exit 65); the acceptance is recorded in the output (CFGMISMn).")
    var allowConfigMismatch = false

    func loadConfig() throws -> AnalysisConfig {
        try ConfigLoader.load(path: config)
    }

    func paths(_ config: AnalysisConfig) -> StagePaths { StagePaths(config: config, buildRoot: buildDir) }

    func makeLogger() -> Logger {
        LogSetup.bootstrap(level: quiet ? .error : (verbose ? .debug : .info))
        return Logger(label: "nmm")
    }

    func pipeline() throws -> (Pipeline, StagePaths) {
        let logger = makeLogger()
        let cfg = try loadConfig()
        return (Pipeline(config: cfg, logger: logger, allowConfigMismatch: allowConfigMismatch), paths(cfg))
    }
}

enum LogSetup {
    nonisolated(unsafe) static var done = false
    static func bootstrap(level: Logger.Level) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
    }
}
