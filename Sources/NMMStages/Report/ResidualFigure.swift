import NMMCore
import NMMStatistics
import NMMPlot

/// residual.svg: the ON − OFF residual with error bars (seed Fig. 8b), the best fit
/// f·(a·SM + κ̂·MM) (+ the fitted residual background, if any), the Standard-Model
/// expectation SM and the curve SM + κ_up·MM excluded at the limit's CL. Model curves are
/// histograms on the template bins (the templates are bin averages).
struct ResidualFigure {
    static func statisticName(_ method: FitMethod) -> String {
        switch method {
        case .chi2: "χ²"
        case .poisson: "−2ln λ"
        }
    }

    /// The fitted rate model on the template bins, from the fit result's own model function;
    /// E_ref is the middle of the fitted bins, as the fit defines it.
    static func bestFit(_ inputs: ReportInputs) -> [Double] {
        let t = inputs.templates, r = inputs.residual
        let usedLow = zip(r.energyLowKeV, r.used).filter(\.1).map(\.0).min() ?? r.windowLowKeV
        let usedHigh = zip(r.energyHighKeV, r.used).filter(\.1).map(\.0).max() ?? r.windowHighKeV
        let centre = t.smRate.indices.map { 0.5 * (t.energyLowKeV[$0] + t.energyHighKeV[$0]) }
        return inputs.fit.result.residualRate(smRate: t.smRate, mmRate: t.mmRate, binCentreKeV: centre,
                                              referenceEnergyKeV: 0.5 * (usedLow + usedHigh))
    }

    func figure(_ inputs: ReportInputs, config: AnalysisConfig) -> Figure {
        let r = inputs.residual, t = inputs.templates, fit = inputs.fit, limit = inputs.limit
        let centre = r.rate.indices.map { 0.5 * (r.energyLowKeV[$0] + r.energyHighKeV[$0]) }
        var f = Figure(id: "residual", title: "ON − OFF residual and fits (\(config.experiment))",
                       x: Axis(label: ReportText.energyAxis), y: Axis(label: ReportText.residualAxis),
                       height: 580, legend: .below)
        f.add(Series("zero", .horizontalLine(y: 0, label: nil), style: SeriesStyle(color: Palette.grey, lineWidth: 1),
                     inLegend: false))
        let used = r.rate.indices.filter { r.used[$0] }, masked = r.rate.indices.filter { !r.used[$0] }
        f.add(Series("data", .points(x: used.map { centre[$0] }, y: used.map { r.rate[$0] },
                                     yError: used.map { r.rateError[$0] }, xHalfWidth: []),
                     label: "ON − OFF residual (\(used.count) bins fitted)",
                     style: SeriesStyle(color: Palette.black, lineWidth: 1.1, marker: .circle, markerSize: 2.8)))
        if !masked.isEmpty {
            f.add(Series("masked bins", .points(x: masked.map { centre[$0] }, y: masked.map { r.rate[$0] },
                                                yError: masked.map { r.rateError[$0] }, xHalfWidth: []),
                         label: "masked bins (not fitted)",
                         style: SeriesStyle(color: Palette.grey, lineWidth: 1.1, marker: .openCircle, markerSize: 2.8)))
        }
        let lo = t.energyLowKeV, hi = t.energyHighKeV
        let chi = "\(ReportText.number(fit.minimum, decimals: 1))/\(fit.ndof)"
        f.add(Series("SM expectation", .step(lowEdges: lo, highEdges: hi, y: t.smRate),
                     label: t.hasCoherentSamples ? "SM expectation, ν–e + coherent ν–N (μ_ν = 0)" : "SM expectation (μ_ν = 0)",
                     style: SeriesStyle(color: Palette.blue, lineWidth: 2, dash: "7 4")))
        f.add(Series("best fit", .step(lowEdges: lo, highEdges: hi, y: Self.bestFit(inputs)),
                     label: "best fit: κ̂ = \(ReportText.valueWithError(fit.kappa, fit.kappaError)), "
                         + "\(Self.statisticName(fit.method))/dof = \(chi)",
                     style: SeriesStyle(color: Palette.vermillion, lineWidth: 2.2)))
        let excluded = zip(t.smRate, t.mmRate).map { $0 + limit.kappaUpper * $1 }
        f.add(Series("limit", .step(lowEdges: lo, highEdges: hi, y: excluded),
                     label: "SM + μ_ν = \(ReportText.mu(limit.muLimitBohr)) μ_B (\(ReportText.percent(limit.confidenceLevel)) CL limit)",
                     style: SeriesStyle(color: Palette.green, lineWidth: 2.2, dash: "2 3")))
        f.notes = ["Magnetic-moment template at κ = 1 (μ_ν = 10⁻¹⁰ μ_B) scaled by κ = μ_ν²/(10⁻²⁰ μ_B²); "
                   + "best fit includes the fitted normalisations (a = \(ReportText.general(inputs.smNorm)), "
                   + "f = \(ReportText.general(inputs.fluxNorm))) and any fitted residual background."]
        return f
    }
}
