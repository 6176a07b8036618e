import ArgumentParser
import NMMCore
import NMMStages
import NMMStatistics


struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit residual = f·(a·SM + κ·MM) (+ background terms), κ unbounded below, into fit.fits.",
        discussion: "chi2: weighted least squares of the ON−OFF residual (gsl_multifit_nlinear). poisson: joint Poisson likelihood of the raw ON and OFF counts with each bin's background profiled in closed form (gsl_multimin). Nuisance constraints and the profile grid come from the config's fit section.")

    @OptionGroup var common: CommonOptions
    @Option(name: [.long, .customLong("input")], help: "Model file (default <build-dir>/<experiment>/model.fits).") var model: String?
    @Option(help: "Fit method: chi2 or poisson (overrides fit.method in the config).") var method: FitMethod?
    @Option(name: .shortAndLong, help: "Output fit file (default <build-dir>/<experiment>/fit.fits).") var output: String?

    func run() throws {
        let (pipeline, paths) = try common.pipeline()
        try pipeline.fit(model: model ?? paths.model,
                         output: output ?? paths.fit, method: method)
    }
}
