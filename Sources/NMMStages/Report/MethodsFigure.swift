import NMMCore
import NMMStatistics
import NMMPlot

/// methods.svg: the μ_ν upper limit of every interval construction in limit.fits (one row
/// each, Feldman–Cousins first), with its expected limit under κ = 0 (median, ±1σ, ±2σ bands)
/// and the published limit of the experiment when there is one. Written only when the limit
/// stage ran more than one method (`limit.methods`).
struct MethodsFigure {
    func figure(_ inputs: ReportInputs, config: AnalysisConfig) -> Figure? {
        let l = inputs.limit
        let results = l.allMethodResults
        guard results.count > 1 else { return nil }
        let pct = ReportText.percent(l.confidenceLevel)
        let n = Double(results.count)
        var f = Figure(id: "methods", title: "The same data under each interval construction (\(pct) CL)",
                       x: Axis(label: "μ_ν upper limit (μ_B)"),
                       y: Axis(label: "construction", range: -0.8...(n - 0.2)), height: 150 + 70 * n, legend: .below)
        func mu(_ k: Double) -> Double { MagneticMomentUnits.muBohr(kappa: k) }
        var first = (twoSigma: true, oneSigma: true, median: true)
        for (row, r) in results.reversed().enumerated() {
            let y = Double(row), lo = y - 0.28, hi = y + 0.28
            if let b = r.expected {
                f.add(Series("\(r.method.rawValue) ±2σ", .horizontalBand(y: [lo, hi], left: [mu(b.minus2Sigma), mu(b.minus2Sigma)],
                                                                        right: [mu(b.plus2Sigma), mu(b.plus2Sigma)]),
                             label: "expected ±2σ (κ = 0)", style: SeriesStyle(color: Palette.yellow, fillOpacity: 0.6),
                             inLegend: first.twoSigma))
                f.add(Series("\(r.method.rawValue) ±1σ", .horizontalBand(y: [lo, hi], left: [mu(b.minus1Sigma), mu(b.minus1Sigma)],
                                                                        right: [mu(b.plus1Sigma), mu(b.plus1Sigma)]),
                             label: "expected ±1σ", style: SeriesStyle(color: Palette.green, fillOpacity: 0.5), inLegend: first.oneSigma))
                f.add(Series("\(r.method.rawValue) median", .segment(x0: mu(b.median), y0: lo, x1: mu(b.median), y1: hi),
                             label: "expected median", style: SeriesStyle(color: Palette.black, lineWidth: 1.5, dash: "5 3"),
                             inLegend: first.median))
                first = (false, false, false)
            }
            let err = r.monteCarloError.map { e in r.kappaUpper > 0 ? " ± " + ReportText.mu(mu(r.kappaUpper) * e / (2 * r.kappaUpper)) + " (MC)" : "" } ?? ""
            f.add(Series(r.method.rawValue, .markers([LabelledPoint(x: mu(r.kappaUpper), y: y,
                                                                     label: "\(r.method.displayName): \(ReportText.mu(mu(r.kappaUpper)))\(err)",
                                                                     anchor: .above)]),
                         label: row == results.count - 1 ? "observed limit" : nil,
                         style: SeriesStyle(color: Palette.vermillion, marker: .star, markerSize: 6), inLegend: row == results.count - 1))
        }
        if let p = PublishedLimit.forExperiment(config.experiment) {
            f.add(Series("published", .verticalLine(x: p.muLimitBohr, label: "\(p.name): \(ReportText.mu(p.muLimitBohr))"),
                         label: "published (\(p.citation))", style: SeriesStyle(color: Palette.blue, lineWidth: 1.2, dash: "2 3")))
        }
        f.notes = ["Rows, top to bottom: " + results.map(\.method.displayName).joined(separator: "; ")
                   + ". Each answers a different question (see the table above); the bands are each method's own expected limit "
                   + "for data drawn at κ = 0, so a reader compares a method with its own sensitivity, not with another method's."]
        return f
    }
}
