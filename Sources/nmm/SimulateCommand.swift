import ArgumentParser
import NMMStages
import NMMStatistics

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Generate ON/OFF fixture spectra from the config's simulation section (seeded Poisson draw or Asimov).",
        discussion: "ON = background + SM + κ_true·MM, OFF = background, using the same physics as `nmm templates`. The file extension (.fits or .csv) selects the format.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Output ON spectrum (.fits or .csv).") var on: String
    @Option(help: "Output OFF spectrum (.fits or .csv).") var off: String
    @Flag(help: "Write the expected counts (Asimov data set) instead of a Poisson draw.") var asimov = false

    func run() throws {
        let (pipeline, _) = try common.pipeline()
        _ = try pipeline.simulate(onOutput: on, offOutput: off, asimov: asimov)
    }
}
