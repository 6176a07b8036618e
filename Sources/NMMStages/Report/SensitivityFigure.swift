import Foundation
import NMMCore
import NMMStatistics
import NMMPlot

/// sensitivity.svg: the expected μ_ν limit against exposure M·t on log–log axes, scaled as
/// μ_ν ∝ (M·t)^(−1/4) (seed Eq. 10, background-dominated, at fixed flux and background)
/// through this run's expected limit (the sensitivity median, or the observed limit when the
/// limit stage computed no sensitivity) at this run's ON exposure, with the ±1σ and ±2σ
/// bands when available, this run's observed limit, and published experiments as markers.
struct SensitivityFigure {
    /// μ at exposure `x` for a curve through (x0, mu0): μ = mu0 · (x/x0)^(−1/4).
    static func scaled(_ mu0: Double, from x0: Double, to x: Double) -> Double { mu0 * pow(x / x0, -0.25) }

    /// The κ upper limit at `quantile` of the sensitivity table, if it has that quantile.
    static func kappa(at quantile: Double, _ s: LimitProduct.Sensitivity) -> Double? {
        guard let i = s.quantiles.indices.first(where: { abs(s.quantiles[$0] - quantile) < 2e-3 }),
              i < s.kappaUpper.count else { return nil }
        return s.kappaUpper[i]
    }

    func figure(_ inputs: ReportInputs, config: AnalysisConfig) -> Figure {
        let limit = inputs.limit
        let x0 = inputs.residual.onExposureKgDay
        let sens = limit.sensitivity
        let muMedian = sens.map { MagneticMomentUnits.muBohr(kappa: $0.median) } ?? 0
        let expected = muMedian > 0 ? muMedian : limit.muLimitBohr
        let published = PublishedLimit.all
        let xs = [x0] + published.map(\.exposureKgDay)
        let xLow = pow(10, floor(log10(xs.min()! / 3))), xHigh = pow(10, ceil(log10(xs.max()! * 3)))
        let grid = (0...80).map { xLow * pow(xHigh / xLow, Double($0) / 80) }
        let pct = ReportText.percent(limit.confidenceLevel)
        var f = Figure(id: "sensitivity", title: "Sensitivity against exposure (\(pct) CL)",
                       x: Axis(label: ReportText.exposureAxis, scale: .log, range: xLow...xHigh),
                       y: Axis(label: "μ_ν upper limit (μ_B)", scale: .log), height: 600, legend: .below)
        if let s = sens {
            for (name, lo, hi, color) in [("±2σ", 0.0228, 0.9772, Palette.yellow), ("±1σ", 0.1587, 0.8413, Palette.green)] {
                guard let kLo = Self.kappa(at: lo, s), let kHi = Self.kappa(at: hi, s) else { continue }
                let mLo = MagneticMomentUnits.muBohr(kappa: kLo), mHi = MagneticMomentUnits.muBohr(kappa: kHi)
                guard mLo > 0, mHi > 0 else { continue }
                f.add(Series("\(name) band", .band(x: grid, low: grid.map { Self.scaled(mLo, from: x0, to: $0) },
                                                    high: grid.map { Self.scaled(mHi, from: x0, to: $0) }),
                             label: "expected \(name)", style: SeriesStyle(color: color, fillOpacity: name == "±1σ" ? 0.45 : 0.55)))
            }
        }
        let curveLabel = muMedian > 0 ? "expected limit (median) ∝ (M·t)^(−1/4)" : "observed limit scaled ∝ (M·t)^(−1/4)"
        let basis = sens.map { $0.pseudoExperiments > 0 ? "\($0.pseudoExperiments) background-only pseudo-experiments" : "the analytic background-only case" }
        f.add(Series("expected", .line(x: grid, y: grid.map { Self.scaled(expected, from: x0, to: $0) }), label: curveLabel,
                     style: SeriesStyle(color: Palette.black, lineWidth: 2, dash: "7 4")))
        f.add(Series("published", .markers(published.map {
            LabelledPoint(x: $0.exposureKgDay, y: $0.muLimitBohr, label: "\($0.name): \(ReportText.mu($0.muLimitBohr))", anchor: $0.anchor)
        }), label: "published limits (90% CL)", style: SeriesStyle(color: Palette.blue, marker: .diamond, markerSize: 5)))
        f.add(Series("this run", .markers([LabelledPoint(x: x0, y: limit.muLimitBohr,
                                                         label: "this run: \(ReportText.mu(limit.muLimitBohr))", anchor: .above)]),
                     label: "this run, observed (\(ReportText.general(x0)) kg·day)",
                     style: SeriesStyle(color: Palette.vermillion, marker: .star, markerSize: 6)))
        f.notes = [(muMedian > 0 ? "Expected limit and bands from \(basis ?? "")" : "No sensitivity in limit.fits: the observed limit is scaled")
                   + " at this run's ON exposure. Curve and bands: this setup's scaling only (seed Eq. 10, μ_ν ∝ N_ν^(−1/2)·(B/(M·t))^(1/4) at fixed "
                   + "flux N_ν and background B). The other experiments differ in flux, background, threshold and target, "
                   + "so their points are not on this curve by construction. " + PublishedLimit.sourcesNote]
        return f
    }
}
