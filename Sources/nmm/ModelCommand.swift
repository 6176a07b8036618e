import ArgumentParser
import NMMStages

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Build the statistical model (data sets × samples × modifiers) from residual.fits, templates.fits and the config's fit, model and systematics sections, into model.fits.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Residual file (default <build-dir>/<experiment>/residual.fits).") var residual: String?
    @Option(help: "Templates file (default <build-dir>/<experiment>/templates.fits).") var templates: String?
    @Option(name: .shortAndLong, help: "Output model file (default <build-dir>/<experiment>/model.fits).") var output: String?

    func run() throws {
        let (pipeline, paths) = try common.pipeline()
        try pipeline.model(residual: residual ?? paths.residual, templates: templates ?? paths.templates,
                           output: output ?? paths.model)
    }
}
