import NMMCore
import NMMStatistics
import NMMPlot

/// The rows of the summary table of index.html: (quantity, value, note). Values are plain
/// text (escaped by the page).
struct SummaryTable {
    struct Row: Sendable {
        var quantity: String
        var value: String
        var note: String
    }

    func rows(_ inputs: ReportInputs, config: AnalysisConfig) -> [Row] {
        let l = inputs.limit, fit = inputs.fit, r = inputs.residual, t = inputs.templates
        let pct = ReportText.percent(l.confidenceLevel)
        let ku = ReportText.kappaUnit
        var rows: [Row] = [
            Row(quantity: "μ_ν upper limit (\(pct) CL)", value: "\(ReportText.mu(l.muLimitBohr)) μ_B",
                note: "\(MagneticMomentUnits.format(l.muLimitBohr)) μ_B = 10⁻¹⁰ μ_B · √κ_up"),
            Row(quantity: "κ interval (\(pct) CL), κ = μ_ν² in \(ku)",
                value: "[\(ReportText.general(l.kappaLower)), \(ReportText.general(l.kappaUpper))]",
                note: "Feldman–Cousins"),
            Row(quantity: "best fit κ̂ (\(ku))", value: ReportText.valueWithError(fit.kappa, fit.kappaError),
                note: "fit error; the belt used σ = \(ReportText.general(l.kappaSigma)) (stat ⊕ sys)"),
        ]
        for (i, name) in fit.parameterNames.enumerated() where i != fit.kappaIndex && i < fit.values.count {
            rows.append(Row(quantity: "fit parameter \(name)",
                            value: ReportText.valueWithError(fit.values[i], i < fit.errors.count ? fit.errors[i] : .nan),
                            note: ""))
        }
        let statName = ResidualFigure.statisticName(fit.method) + "/dof"
        rows += [
            Row(quantity: statName,
                value: "\(ReportText.number(fit.minimum, decimals: 1))/\(fit.ndof) = \(ReportText.number(fit.chi2PerDof, decimals: 2))",
                note: "fit method \(fit.method.rawValue)"),
            Row(quantity: "goodness-of-fit p-value", value: ReportText.general(fit.pValue), note: ""),
            Row(quantity: "fit status",
                value: [fit.converged ? "converged" : "NOT converged",
                        fit.covarianceAccurate ? "covariance accurate" : "covariance NOT accurate",
                        fit.atLimit ? "a parameter at its limit" : "no parameter at a limit"].joined(separator: ", "),
                note: "\(fit.iterations) iterations"),
            Row(quantity: "exposure ON / OFF",
                value: "\(ReportText.general(r.onExposureKgDay)) / \(ReportText.general(r.offExposureKgDay)) kg·day",
                note: inputs.spectra.offExposureFactor == 1 ? "mass × live time"
                    : "OFF includes the exposure factor \(ReportText.general(inputs.spectra.offExposureFactor))"),
            Row(quantity: "live time ON / OFF",
                value: "\(ReportText.general(r.onLiveTimeDays)) / \(ReportText.general(r.offLiveTimeDays)) days",
                note: "\(ReportText.number(r.onLiveTimeDays * 24, decimals: 0)) / \(ReportText.number(r.offLiveTimeDays * 24, decimals: 0)) h"),
            Row(quantity: "detector mass", value: "\(ReportText.general(r.massKg)) kg", note: config.detector.target),
            Row(quantity: "total \(ReportText.symbol(config.sourceKind.flavor)) flux", value: "\(ReportText.general(t.totalFluxPerCm2PerS)) cm⁻² s⁻¹",
                note: "templates, source \(config.sourceKind.rawValue)"),
            Row(quantity: "samples", value: t.hasCoherentSamples ? "ν–e and coherent ν–N" : "ν–e",
                note: t.hasCoherentSamples ? "coherent SM in the SM template, coherent MM in the MM template" : "no coherent section"),
            Row(quantity: "analysis window",
                value: "\(ReportText.general(r.windowLowKeV))–\(ReportText.general(r.windowHighKeV)) keV",
                note: "\(r.usedCount) of \(r.binCount) bins fitted"),
            Row(quantity: "limit method", value: ReportText.construction(l),
                note: "statistic \(l.statistic?.rawValue ?? "gaussian"), \(l.flavor.rawValue)"),
            Row(quantity: "confidence level", value: pct, note: ""),
            Row(quantity: "seed", value: String(l.seed), note: "of every random draw"),
            Row(quantity: "toys", value: String(l.totalToys), note: l.adaptiveToys == nil ? "in the belt" : "in the belt, adaptive near the crossing"),
            Row(quantity: "failed toys", value: String(l.failedToys), note: "excluded"),
            Row(quantity: "radiative decay τ·m³ (ν̄e)", value: "> \(ReportText.mu(l.tauM3Bound)) eV³·s",
                note: "from the μ_ν limit, seed Eq. 7 (m_j ≪ m_i)"),
        ]
        if let e = l.kappaUpperError, l.kappaUpper > 0 {
            rows.append(Row(quantity: "Monte Carlo error of the limit",
                            value: "± \(ReportText.general(e)) on κ_up, ± \(ReportText.mu(l.muLimitBohr * e / (2 * l.kappaUpper))) μ_B on μ_ν",
                            note: "binomial error of the toys' critical values at the crossing (statistics.md §6)"))
        }
        if let s = l.sensitivity {
            let mu = MagneticMomentUnits.muBohr(kappa: s.median)
            rows.append(Row(quantity: "expected limit (median)", value: "\(ReportText.mu(mu)) μ_B",
                            note: s.pseudoExperiments > 0 ? "\(s.pseudoExperiments) background-only pseudo-experiments" : "analytic"))
        }
        return rows
    }
}
