import NMMCore
import NMMStatistics
import NMMPlot

/// profile.svg: the profile Δχ² (χ² fit) or −2Δln L (Poisson fit) against κ from the fit,
/// with the two-sided Δ at the limit's CL (2.71 for 90%), the best fit, the Feldman–Cousins
/// upper limit and the unphysical region κ < 0.
struct ProfileFigure {
    static func differenceName(_ method: FitMethod) -> String {
        switch method {
        case .chi2: "χ² − χ²_min"
        case .poisson: "−2 ln L + 2 ln L_max"
        }
    }

    func figure(_ inputs: ReportInputs, config: AnalysisConfig) -> Figure {
        let fit = inputs.fit, limit = inputs.limit
        let delta = ReportText.deltaName(method: fit.method)
        let cl = limit.confidenceLevel
        let crit = ChiSquareOneDoF.quantile(cl)
        let pairs = fit.profile.map { ($0.kappa, $0.deltaChi2) }.filter { $0.0.isFinite && $0.1.isFinite }.sorted { $0.0 < $1.0 }
        // Show Δ up to a few times the critical value so the crossing is readable.
        let maxDelta = pairs.map(\.1).max() ?? 0
        let yTop = TickGenerator.niceLinearRange(low: 0, high: max(crit * 1.6, min(maxDelta, max(4 * crit, 10)))).high
        var f = Figure(id: "profile", title: "Profile of the fit in κ (\(config.experiment))",
                       x: Axis(label: ReportText.kappaAxis),
                       y: Axis(label: "\(delta) (\(Self.differenceName(fit.method)))", range: 0...yTop),
                       height: 560, legend: .below)
        if let first = pairs.first?.0, first < 0 {
            f.add(Series("unphysical", .xSpan(from: first, to: 0), label: "unphysical region κ < 0",
                         style: SeriesStyle(color: Palette.grey, fillOpacity: 0.15)))
        }
        f.add(Series("profile", .line(x: pairs.map(\.0), y: pairs.map(\.1)), label: "profile \(delta)(κ)",
                     style: SeriesStyle(color: Palette.black, lineWidth: 2.2)))
        f.add(Series("critical", .horizontalLine(y: crit, label: "\(delta) = \(ReportText.number(crit, decimals: 2))"),
                     label: "\(delta) = \(ReportText.number(crit, decimals: 2)) (\(ReportText.percent(cl)) CL, two-sided)",
                     style: SeriesStyle(color: Palette.blue, lineWidth: 1.5, dash: "6 4")))
        f.add(Series("best fit", .verticalLine(x: fit.kappa, label: nil),
                     label: "best fit κ̂ = \(ReportText.valueWithError(fit.kappa, fit.kappaError))",
                     style: SeriesStyle(color: Palette.vermillion, lineWidth: 1.5)))
        f.add(Series("upper limit", .verticalLine(x: limit.kappaUpper, label: nil),
                     label: "Feldman–Cousins κ_up = \(ReportText.general(limit.kappaUpper)) (\(ReportText.percent(cl)) CL)",
                     style: SeriesStyle(color: Palette.green, lineWidth: 1.5, dash: "2 3")))
        f.notes = ["The \(delta) line is the two-sided Wilks crossing for one parameter; the quoted limit is "
                   + "the Feldman–Cousins one (\(ReportText.construction(limit))), "
                   + "which accounts for the physical boundary κ ≥ 0."]
        return f
    }
}
