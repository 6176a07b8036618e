import ArgumentParser
import NMMStages

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "The likelihood as a pyhf workspace, or the result as a HEPData record.",
        discussion: "--format pyhf reads model.fits (the likelihood; no fit needed) and writes a pyhf JSON workspace (default "
            + "<build-dir>/<experiment>/export/workspace.json): per data set an ON and an OFF channel, kappa as the POI, "
            + "the per-bin background as a shapefactor shared by ON and OFF, every modifier as its pyhf modifier. "
            + "Build the pyhf model with modifier_settings={\"normsys\": {\"interpcode\": \"code1\"}, \"histosys\": "
            + "{\"interpcode\": \"code0\"}} to get nmm's interpolation exactly. --format hepdata reads spectra, residual, "
            + "templates, fit and limit and writes submission.yaml and its tables (default <build-dir>/<experiment>/export/hepdata/). "
            + "Inputs are checked like every stage's: wrong type or schema, stale, or made from other config-section content is exit 65.")

    @OptionGroup var common: CommonOptions
    @Option(help: "What to write: \(ExportFormat.choiceList).") var format: ExportFormat
    @Option(help: "Input model file, pyhf (default <build-dir>/<experiment>/model.fits).") var model: String?
    @Option(help: "Input fit file, hepdata (default <build-dir>/<experiment>/fit.fits).") var fit: String?
    @Option(help: "Input spectra file, hepdata (default <build-dir>/<experiment>/spectra.fits).") var spectra: String?
    @Option(help: "Input residual file, hepdata (default <build-dir>/<experiment>/residual.fits).") var residual: String?
    @Option(help: "Input templates file, hepdata (default <build-dir>/<experiment>/templates.fits).") var templates: String?
    @Option(help: "Input limit file, hepdata (default <build-dir>/<experiment>/limit.fits).") var limit: String?
    @Option(name: .shortAndLong, help: "Output: the workspace file (pyhf) or the record's folder (hepdata).") var output: String?

    func run() throws {
        let (pipeline, paths) = try common.pipeline()
        switch format {
        case .pyhf:
            try pipeline.exportPyhf(model: model ?? paths.model, output: output ?? paths.pyhfWorkspace)
        case .hepdata:
            try pipeline.exportHEPData(spectra: spectra ?? paths.spectra, residual: residual ?? paths.residual,
                                       templates: templates ?? paths.templates, fit: fit ?? paths.fit,
                                       limit: limit ?? paths.limit, output: output ?? paths.hepdataFolder)
        }
    }
}
