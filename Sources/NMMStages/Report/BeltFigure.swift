import NMMCore
import NMMStatistics
import NMMPlot

/// belt.svg: the Feldman–Cousins construction behind the interval.
/// - gaussian: the confidence belt as in Feldman & Cousins' figures — for each true κ (y
///   axis) the acceptance interval of the measured κ̂ (x axis) — with the measured κ̂ and the
///   interval read off it;
/// - toys: the toy critical value t_c(κ) and the observed statistic t_obs(κ) against κ; the
///   interval is where t_obs ≤ t_c (shaded).
struct BeltFigure {
    /// True when the belt holds toy critical values rather than analytic acceptance regions.
    static func isToys(_ limit: LimitProduct) -> Bool {
        if case .toys = limit.belt { true } else { false }
    }

    func figure(_ inputs: ReportInputs, config: AnalysisConfig) -> Figure {
        switch inputs.limit.belt {
        case .gaussian(let b): gaussian(inputs.limit, b, config)
        case .toys(let b): toys(inputs.limit, b, config)
        }
    }

    private var intervalStyle: SeriesStyle { SeriesStyle(color: Palette.vermillion, lineWidth: 4) }

    private func intervalLabel(_ l: LimitProduct) -> String {
        "\(ReportText.percent(l.confidenceLevel)) CL interval κ ∈ [\(ReportText.general(l.kappaLower)), \(ReportText.general(l.kappaUpper))]"
    }

    private func gaussian(_ l: LimitProduct, _ b: LimitProduct.GaussianBelt, _ config: AnalysisConfig) -> Figure {
        // x: from a little left of the measurement (the belt is open to the left near κ = 0)
        // to the right end of the belt.
        let sigma = l.kappaSigma > 0 && l.kappaSigma.isFinite ? l.kappaSigma : 1
        let right = max(b.acceptHigh.filter(\.isFinite).max() ?? (l.kappaHat + 3 * sigma), l.kappaHat + sigma)
        let xr = (low: min(l.kappaHat, 0) - 2.5 * sigma, high: right + 0.5 * sigma)
        let kMax = b.kappa.filter(\.isFinite).max() ?? 1
        let yRange: ClosedRange<Double>? = kMax > 0 ? 0...kMax : nil
        var f = Figure(id: "belt", title: "Feldman–Cousins confidence belt (Gaussian κ̂, σ = \(ReportText.general(l.kappaSigma)))",
                       x: Axis(label: "measured κ̂ (\(ReportText.kappaUnit))", range: xr.low...xr.high),
                       y: Axis(label: "true κ (\(ReportText.kappaUnit))", range: yRange),
                       height: 560, legend: .below)
        f.add(Series("belt", .horizontalBand(y: b.kappa, left: b.acceptLow, right: b.acceptHigh),
                     label: "\(ReportText.percent(l.confidenceLevel)) CL acceptance region",
                     style: SeriesStyle(color: Palette.skyBlue, fillOpacity: 0.35)))
        f.add(Series("measured", .verticalLine(x: l.kappaHat, label: "κ̂ = \(ReportText.general(l.kappaHat))"),
                     label: "measured κ̂", style: SeriesStyle(color: Palette.black, lineWidth: 1.4, dash: "5 3")))
        f.add(Series("upper limit", .horizontalLine(y: l.kappaUpper, label: "κ_up = \(ReportText.general(l.kappaUpper))"),
                     style: SeriesStyle(color: Palette.vermillion, lineWidth: 1, dash: "3 3"), inLegend: false))
        if l.kappaLower > 0 {
            f.add(Series("lower limit", .horizontalLine(y: l.kappaLower, label: "κ_lo = \(ReportText.general(l.kappaLower))"),
                         style: SeriesStyle(color: Palette.vermillion, lineWidth: 1, dash: "3 3"), inLegend: false))
        }
        f.add(Series("interval", .segment(x0: l.kappaHat, y0: l.kappaLower, x1: l.kappaHat, y1: l.kappaUpper),
                     label: intervalLabel(l), style: intervalStyle))
        f.notes = ["For each true κ the acceptance region holds the measured values of highest likelihood ratio "
                   + "(Feldman & Cousins, PRD 57 (1998) 3873) with probability \(ReportText.percent(l.confidenceLevel)); "
                   + "the interval is the set of true κ whose region contains the measured κ̂. "
                   + "μ_ν < \(ReportText.mu(l.muLimitBohr)) μ_B."]
        return f
    }

    private func toys(_ l: LimitProduct, _ b: LimitProduct.ToyBeltTable, _ config: AnalysisConfig) -> Figure {
        let order = b.kappa.indices.sorted { b.kappa[$0] < b.kappa[$1] }
        let kappa = order.map { b.kappa[$0] }
        let delta = ReportText.deltaName(statistic: l.statistic)
        // Show t up to a few times the critical value: the crossings matter, not how far t_obs climbs.
        let tcMax = b.criticalValue.filter(\.isFinite).max() ?? 0
        let yRange: ClosedRange<Double>? = tcMax > 0 ? 0...(4 * tcMax) : nil
        var f = Figure(id: "belt", title: "Feldman–Cousins Neyman construction by toy experiments",
                       x: Axis(label: ReportText.kappaAxis),
                       y: Axis(label: "test statistic t = \(delta)", range: yRange, includeZero: true),
                       height: 560, legend: .below)
        f.add(Series("interval", .xSpan(from: l.kappaLower, to: l.kappaUpper), label: intervalLabel(l),
                     style: SeriesStyle(color: Palette.vermillion, fillOpacity: 0.15)))
        f.add(Series("critical value", .line(x: kappa, y: order.map { b.criticalValue[$0] }),
                     label: "critical value t_c(κ) (\(ReportText.percent(l.confidenceLevel)) quantile of toys)",
                     style: SeriesStyle(color: Palette.blue, lineWidth: 2)))
        f.add(Series("observed", .line(x: kappa, y: order.map { b.observed[$0] }), label: "observed t_obs(κ)",
                     style: SeriesStyle(color: Palette.black, lineWidth: 2)))
        f.add(Series("measured", .verticalLine(x: l.kappaHat, label: "κ̂ = \(ReportText.general(l.kappaHat))"),
                     label: "measured κ̂", style: SeriesStyle(color: Palette.black, lineWidth: 1.4, dash: "5 3")))
        let toys = b.toys.reduce(0, +), failed = b.failures.reduce(0, +)
        f.notes = ["κ is inside the interval where t_obs(κ) ≤ t_c(κ). \(b.kappa.count) grid points, "
                   + "\(toys) toys (\(failed) failed fits excluded); statistic \(l.statistic?.rawValue ?? "chi2"); seed \(l.seed). "
                   + "μ_ν < \(ReportText.mu(l.muLimitBohr)) μ_B."]
        return f
    }
}
