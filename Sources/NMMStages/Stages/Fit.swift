import NMMCore

/// fit: the residual (χ², gsl_multifit_nlinear) or the raw ON/OFF counts (joint Poisson
/// likelihood with per-bin background profiled, gsl_multimin) fitted to f·(a·SM + κ·MM)
/// (+ background terms for χ²), κ unbounded below.
public struct Fit: Sendable {
    public init() {}

    public func run(_ residual: Residual, _ templates: TemplateSet, config: AnalysisConfig,
                    method: FitMethod? = nil, residualFile: String = "residual", templatesFile: String = "templates") throws -> FitResult {
        let input = try FitSetup.input(residual, templates, residualFile: residualFile, templatesFile: templatesFile)
        let options = try FitSetup.options(config, method: method)
        let layout = FitModel(input: input, options: options, method: options.method).layout(fittingKappa: true)
        let rows = input.binCount + layout.constraints.count
        guard rows >= layout.count else {
            throw InputError(file: residualFile, field: "USED",
                             "\(input.binCount) bin(s) used in the fit (+ \(layout.constraints.count) constraint(s)) for \(layout.count) free parameters "
                             + "(\(layout.parameters.map(\.rawValue).joined(separator: ", "))); expected at least as many bins as parameters (widen analysis.windowKeV, mask less, or use fewer fit.background terms)")
        }
        switch options.method {
        case .chi2: return try ChiSquareFit(input: input, options: options).run()
        case .poisson: return try PoissonOnOffFit(input: input, options: options).run()
        }
    }
}
