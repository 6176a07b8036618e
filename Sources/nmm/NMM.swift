import ArgumentParser

struct NMM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nmm",
        abstract: "Feldman–Cousins limits on the neutrino magnetic moment from reactor ON/OFF spectra.",
        discussion: """
            Stages talk through typed FITS files under build/<experiment>/:
              ingest → spectra.fits ┬→ subtract → residual.fits ──┐
                                    └→ templates → templates.fits ┴→ model → model.fits → fit → fit.fits → limit → limit.fits (+ limit.json) → report
            `nmm export --format pyhf|hepdata` writes the model as a pyhf workspace and the result as a HEPData record.
            Each stage reruns alone; `nmm analyze` runs a range of them in order.
            Exit codes: 0 ok, 64 usage, 65 bad input data, 66 input missing, 70 internal, 73 cannot write output.
            """,
        version: "0.1.0",
        subcommands: [IngestCommand.self, SubtractCommand.self, TemplatesCommand.self, ModelCommand.self, FitCommand.self, LimitCommand.self,
                      ReportCommand.self, RegressionCommand.self, MergeCommand.self, BenchCommand.self, AnalyzeCommand.self, ShowCommand.self, SimulateCommand.self, RatesCommand.self, InputsCommand.self, StampsCommand.self, MakefileCommand.self, SubmitCommand.self, InspectCommand.self, ExportCommand.self])
}
