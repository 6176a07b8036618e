import ArgumentParser
import NMMCore
import NMMStages

struct StampsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stamps",
        abstract: "Write build/<experiment>/.sections/<stage>.sha: the hashes of the config sections each stage reads, rewriting only those whose content changed (make reruns just those stages).")

    @OptionGroup var common: CommonOptions

    func run() throws {
        let config = try common.loadConfig()
        let written = try SectionStamps.write(config: config, paths: common.paths(config))
        if common.verbose { for file in written { print("updated \(file)") } }
    }
}

struct MakefileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "makefile",
        abstract: "Print the Makefile's stage rules generated from the stage graph (mk/stages.mk).")

    func run() throws { print(StageGraph.makefileRules(), terminator: "") }
}
