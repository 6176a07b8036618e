import ArgumentParser
import NMMStages
import NMMStatistics

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Figures (SVG) and a summary page (index.html) with the provenance of every input.",
        discussion: "Writes spectra.svg, residual.svg, belt.svg, profile.svg, sensitivity.svg and index.html "
            + "(figures inlined, summary table, provenance) into <build-dir>/<experiment>/report/. Reads "
            + "spectra.fits, residual.fits, templates.fits, fit.fits and limit.fits, and refuses a file of the "
            + "wrong type or schema, or a stale one.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Input spectra file (default <build-dir>/<experiment>/spectra.fits).") var spectra: String?
    @Option(help: "Input residual file (default <build-dir>/<experiment>/residual.fits).") var residual: String?
    @Option(help: "Input templates file (default <build-dir>/<experiment>/templates.fits).") var templates: String?
    @Option(help: "Input fit file (default <build-dir>/<experiment>/fit.fits).") var fit: String?
    @Option(help: "Input limit file (default <build-dir>/<experiment>/limit.fits).") var limit: String?
    @Option(name: .shortAndLong, help: "Output folder (default <build-dir>/<experiment>/report).") var output: String?
    @Flag(name: .customLong("log-y"), help: "Draw the ON/OFF spectra on a logarithmic rate axis.") var logY = false

    func run() throws {
        let (pipeline, paths) = try common.pipeline()
        let written = try Report().run(config: pipeline.config, spectraPath: spectra ?? paths.spectra,
                                       residualPath: residual ?? paths.residual, templatesPath: templates ?? paths.templates,
                                       fitPath: fit ?? paths.fit, limitPath: limit ?? paths.limit,
                                       outputDirectory: output ?? paths.report, logY: logY,
                                       check: pipeline.checkSections)
        for file in written { pipeline.logger.info("wrote \(file)") }
    }
}
