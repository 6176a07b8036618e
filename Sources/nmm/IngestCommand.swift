import ArgumentParser
import NMMCore
import NMMStages
import NMMStatistics

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read and validate the ON and OFF spectra into spectra.fits (inputs: FITS or CSV pair, event list + reactor log, or OGIP PHA).")

    @OptionGroup var common: CommonOptions
    @Option(help: "ON spectrum (overrides inputs.on in the config; kinds pair and ogip).") var on: String?
    @Option(help: "OFF spectrum (overrides inputs.off in the config; kinds pair and ogip).") var off: String?
    @Option(name: .shortAndLong, help: "Output spectra file (default <build-dir>/<experiment>/spectra.fits).") var output: String?

    func run() throws {
        let (pipeline, paths) = try common.pipeline()
        if on != nil || off != nil, !Ingest.acceptsFileOverrides(pipeline.config) {
            throw InputError(file: common.config, field: on != nil ? "--on" : "--off",
                             "replaces an ON/OFF spectrum file; this config's inputs are of kind \(pipeline.config.inputKind.rawValue), which has none (expected kind pair or ogip)",
                             status: .usage)
        }
        try pipeline.ingest(output: output ?? paths.spectra, onPath: on, offPath: off)
    }
}

struct SubtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subtract",
        abstract: "ON − OFF residual per kg·keV·day in the analysis window, with masks, into residual.fits.")

    @OptionGroup var common: CommonOptions
    @Option(name: .shortAndLong, help: "Input spectra file (default <build-dir>/<experiment>/spectra.fits).") var input: String?
    @Option(name: .shortAndLong, help: "Output residual file (default <build-dir>/<experiment>/residual.fits).") var output: String?

    func run() throws {
        let (pipeline, paths) = try common.pipeline()
        try pipeline.subtract(input: input ?? paths.spectra, output: output ?? paths.residual)
    }
}
