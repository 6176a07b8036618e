import NMMCore

/// The observed-data fit with the method the options name: χ² of the residual
/// (`ChiSquareFit`) or the joint Poisson ON/OFF likelihood (`PoissonOnOffFit`).
public enum Fitting {
    /// Refuses a fit with fewer rows (bins + constraint terms) than free parameters
    /// (`StatisticsError.tooFewBins`), then fits.
    public static func run(_ input: FitInput, _ options: FitOptions) throws -> FitResult {
        let layout = FitModel(input: input, options: options, method: options.method).layout(fittingKappa: true)
        guard input.binCount + layout.constraints.count >= layout.count else {
            throw StatisticsError.tooFewBins(bins: input.binCount, constraints: layout.constraints.count,
                                             parameters: layout.parameters.map(\.rawValue))
        }
        switch options.method {
        case .chi2: return try ChiSquareFit(input: input, options: options).run()
        case .poisson: return try PoissonOnOffFit(input: input, options: options).run()
        }
    }
}
