import NMMCore
import NMMStatistics

/// fit: the model fitted with κ unbounded below — χ² of the residual (gsl_multifit_nlinear) or
/// the joint Poisson ON/OFF likelihood with each bin's background profiled (gsl_multimin).
/// A model of the legacy form (SM, MM, the fit section's normalisations and residual terms)
/// runs on the fixed-parameter fits; others on the general model likelihood.
public struct Fit: Sendable {
    public init() {}

    public func run(_ model: StatisticalModel, config: AnalysisConfig, method: FitMethod? = nil,
                    modelFile: String = "model") throws -> FitResult {
        let statistic = method ?? config.fitMethod
        guard let legacy = FitSetup.legacyForm(model, config: config, statistic: statistic) else {
            throw InputError(file: modelFile, field: "model",
                             "this model (\(model.modifiers.map(\.name).joined(separator: ", "))) needs the general model likelihood, which this nmm does not have yet; use only the fit section's normalisations")
        }
        do {
            return legacy.renamed(try Fitting.run(legacy.input, legacy.options))
        } catch let e as StatisticsError {
            guard case .tooFewBins = e else { throw e }
            throw InputError(file: modelFile, field: "bins",
                             "\(e.description) (widen analysis.windowKeV, mask less, or use fewer fit.background terms)")
        }
    }
}
