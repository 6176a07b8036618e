import ArgumentParser
import NMMStages
import NMMStatistics

struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "SM and magnetic-moment (κ = 1) rates per analysis bin, folded with the detector response, into templates.fits.")

    @OptionGroup var common: CommonOptions
    @Option(name: .shortAndLong, help: "Spectra file giving the binning (default <build-dir>/<experiment>/spectra.fits).") var input: String?
    @Option(name: .shortAndLong, help: "Output templates file (default <build-dir>/<experiment>/templates.fits).") var output: String?

    func run() throws {
        let (pipeline, paths) = try common.pipeline()
        try pipeline.templates(input: input ?? paths.spectra, output: output ?? paths.templates)
    }
}
