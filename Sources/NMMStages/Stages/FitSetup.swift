import NMMCore
import NMMStatistics

/// Builds the statistics inputs from the typed stage products and the config: the fit
/// uses the residual's unmasked bins and the matching template bins.
public enum FitSetup {
    public static func input(_ residual: Residual, _ templates: TemplateSet, residualFile: String = "residual",
                             templatesFile: String = "templates") throws -> FitInput {
        guard residual.binCount == templates.smRate.count else {
            throw InputError(file: templatesFile, field: "TEMPLATES",
                             "has \(templates.smRate.count) bins but \(residualFile) has \(residual.binCount); rerun templates on the same spectra and window")
        }
        for i in 0..<residual.binCount {
            let tol = 1e-6 * max(1, residual.energyHighKeV[i])
            guard abs(residual.energyLowKeV[i] - templates.energyLowKeV[i]) <= tol,
                  abs(residual.energyHighKeV[i] - templates.energyHighKeV[i]) <= tol else {
                throw InputError(file: templatesFile, field: "E_LO/E_HI row \(i + 1)",
                                 "bin [\(templates.energyLowKeV[i]), \(templates.energyHighKeV[i])] keV does not match \(residualFile) [\(residual.energyLowKeV[i]), \(residual.energyHighKeV[i])] keV")
            }
        }
        let used = residual.used.indices.filter { residual.used[$0] }
        guard residual.used.count == residual.binCount, !used.isEmpty else {
            throw InputError(file: residualFile, field: "USED", "expected at least one bin used in the fit, found none")
        }
        guard used.contains(where: { templates.mmRate[$0] != 0 && templates.mmRate[$0].isFinite }) else {
            throw InputError(file: templatesFile, field: "MM",
                             "the magnetic-moment template is zero in every used bin of \(residualFile); expected a non-zero MM rate somewhere in the fit window (is the window above the recoil end point?)")
        }
        do {
            return try makeInput(residual, templates, used: used)
        } catch StatisticsError.invalidInput(let message) {
            throw InputError(file: residualFile, field: "fit input", "\(message) (with \(templatesFile))")
        }
    }

    private static func makeInput(_ residual: Residual, _ templates: TemplateSet, used: [Int]) throws -> FitInput {
        try FitInput(energyLowKeV: used.map { residual.energyLowKeV[$0] },
                            energyHighKeV: used.map { residual.energyHighKeV[$0] },
                            onCounts: used.map { residual.onCounts[$0] }, offCounts: used.map { residual.offCounts[$0] },
                            onExposureKgDay: residual.onExposureKgDay, offExposureKgDay: residual.offExposureKgDay,
                            smRate: used.map { templates.smRate[$0] }, mmRate: used.map { templates.mmRate[$0] })
    }

    public static func options(_ config: AnalysisConfig, method: FitMethod? = nil) -> FitOptions {
        let fit = config.fit
        let sm: Constraint
        if fit?.smNormalisationFree == true {
            sm = .free
        } else if let s = fit?.smNormalisationSigma, s > 0 {
            sm = .gaussian(mean: 1, sigma: s)
        } else {
            sm = .nominal
        }
        let flux: Constraint = (fit?.fluxNormalisationSigma).map { $0 > 0 ? .gaussian(mean: 1, sigma: $0) : .nominal } ?? .nominal
        var grid: KappaGrid? = nil
        if let lo = fit?.profileKappaMin, let hi = fit?.profileKappaMax {
            grid = KappaGrid(min: lo, max: hi, points: fit?.profilePoints ?? 101)
        }
        return FitOptions(background: config.fitBackground,
                          smNormalisation: sm, fluxNormalisation: flux, method: method ?? config.fitMethod, profileGrid: grid,
                          residualErrors: config.fitResidualErrors,
                          maxIterations: fit?.maxIterations)
    }
}

extension FitSetup {
    /// The model's legacy form with the config's fit options (profile grid, χ² errors, iterations).
    public static func legacyForm(_ model: StatisticalModel, config: AnalysisConfig, statistic: FitMethod) -> LegacyForm? {
        model.legacyForm(options: modelOptions(config, statistic: statistic))
    }

    /// The config's fit options for the model likelihood.
    public static func modelOptions(_ config: AnalysisConfig, statistic: FitMethod) -> ModelFitOptions {
        let o = options(config, method: statistic)
        return ModelFitOptions(statistic: statistic, residualErrors: o.residualErrors, profileGrid: o.profileGrid,
                               maxIterations: o.maxIterations)
    }
}
