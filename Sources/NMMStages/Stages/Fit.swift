import NMMCore
import NMMStatistics

/// fit: the residual (χ², gsl_multifit_nlinear) or the raw ON/OFF counts (joint Poisson
/// likelihood with per-bin background profiled, gsl_multimin) fitted to f·(a·SM + κ·MM)
/// (+ background terms for χ²), κ unbounded below.
public struct Fit: Sendable {
    public init() {}

    public func run(_ residual: Residual, _ templates: TemplateSet, config: AnalysisConfig,
                    method: FitMethod? = nil, residualFile: String = "residual", templatesFile: String = "templates") throws -> FitResult {
        let input = try FitSetup.input(residual, templates, residualFile: residualFile, templatesFile: templatesFile)
        let options = try FitSetup.options(config, method: method)
        do {
            return try Fitting.run(input, options)
        } catch let e as StatisticsError {
            guard case .tooFewBins = e else { throw e }
            throw InputError(file: residualFile, field: "USED",
                             "\(e.description) (widen analysis.windowKeV, mask less, or use fewer fit.background terms)")
        }
    }
}
