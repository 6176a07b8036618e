import NMMCore
import NMMStatistics

/// fit: the model fitted with κ unbounded below — χ² of the residual (gsl_multifit_nlinear) or
/// the joint Poisson ON/OFF likelihood with each bin's background profiled (gsl_multimin).
/// A model of the legacy form (SM, MM, the fit section's normalisations and residual terms)
/// runs on the fixed-parameter fits (bit for bit as before the model stage); every other
/// model (more nuisances, shapes, log-normal constraints, several data sets) on the general
/// model likelihood (`ModelFit`), which equals the legacy fits to 1e-10 where both apply.
public struct Fit: Sendable {
    public init() {}

    public func run(_ model: StatisticalModel, config: AnalysisConfig, method: FitMethod? = nil,
                    modelFile: String = "model") throws -> FitResult {
        let statistic = method ?? config.fitMethod
        do {
            guard let legacy = FitSetup.legacyForm(model, config: config, statistic: statistic) else {
                return try ModelFit(model: model, options: FitSetup.modelOptions(config, statistic: statistic)).run()
            }
            return legacy.renamed(try Fitting.run(legacy.input, legacy.options))
        } catch let e as StatisticsError {
            guard case .tooFewBins = e else { throw e }
            throw InputError(file: modelFile, field: "bins",
                             "\(e.description) (widen analysis.windowKeV, mask less, or use fewer fit.background terms)")
        }
    }
}
