import NMMCore
import NMMStatistics
import NMMPlot

/// spectra.svg: the ON and OFF spectra as rates in counts/(kg·keV·day) against energy, with
/// Poisson error bars (seed Fig. 8a), the analysis window and masked ranges shaded.
/// Rate = n / (exposure · width); error = √max(n, 1) / (exposure · width) (an empty bin gets
/// the error of one count, as in `CountingError`).
struct SpectraFigure {
    var logY = false

    /// Rates and errors of one spectrum; `exposureKgDay` includes any OFF exposure factor.
    static func rates(_ s: RawSpectrum, exposureKgDay: Double) -> (energyKeV: [Double], rate: [Double], error: [Double]) {
        var e: [Double] = [], r: [Double] = [], err: [Double] = []
        for i in s.counts.indices {
            let width = s.energyHighKeV[i] - s.energyLowKeV[i]
            let scale = exposureKgDay * width
            guard scale > 0 else { continue }
            e.append(0.5 * (s.energyLowKeV[i] + s.energyHighKeV[i]))
            r.append(s.counts[i] / scale)
            err.append(CountingError.rateError(s.counts[i], scale: scale))
        }
        return (e, r, err)
    }

    func figure(_ inputs: ReportInputs, config: AnalysisConfig) -> Figure {
        let pair = inputs.spectra
        let on = Self.rates(pair.on, exposureKgDay: pair.onExposureKgDay)
        let off = Self.rates(pair.off, exposureKgDay: pair.offExposureKgDay)
        let onHours = pair.on.liveTimeDays * 24, offHours = pair.off.liveTimeDays * 24
        let r = inputs.residual
        let eLow = min(pair.on.energyLowKeV.min() ?? 0, pair.off.energyLowKeV.min() ?? 0)
        let eHigh = max(pair.on.energyHighKeV.max() ?? 1, pair.off.energyHighKeV.max() ?? 1)
        // Linear axis: scaled to the bins in the analysis window (peaks outside it, e.g. the Ge
        // X-ray lines, may go off scale — the log axis shows everything), with headroom for the legend.
        var yRange: ClosedRange<Double>? = nil
        var offScale = false
        if !logY {
            let inWindow = { (e: Double) in e >= r.windowLowKeV && e <= r.windowHighKeV }
            let tops = (on.energyKeV.indices.filter { inWindow(on.energyKeV[$0]) }.map { on.rate[$0] + on.error[$0] })
                + (off.energyKeV.indices.filter { inWindow(off.energyKeV[$0]) }.map { off.rate[$0] + off.error[$0] })
            let all = zip(on.rate, on.error).map { $0 + $1 } + zip(off.rate, off.error).map { $0 + $1 }
            if let top = tops.max(), top > 0 {
                yRange = 0...(1.45 * top)
                offScale = (all.max() ?? 0) > 1.45 * top
            }
        }
        var f = Figure(id: "spectra", title: "Reactor ON and OFF spectra (\(config.experiment))",
                       x: Axis(label: ReportText.energyAxis, range: eLow...max(eHigh, eLow + 1e-9)),
                       y: Axis(label: ReportText.rateAxis, scale: logY ? .log : .linear, range: yRange, includeZero: !logY),
                       legend: .best)
        f.add(Series("analysis window", .xSpan(from: r.windowLowKeV, to: r.windowHighKeV),
                     label: "analysis window \(ReportText.general(r.windowLowKeV))–\(ReportText.general(r.windowHighKeV)) keV",
                     style: SeriesStyle(color: Palette.skyBlue, fillOpacity: 0.12)))
        let masked = config.maskedRangesKeV
        for (k, m) in masked.enumerated() {
            f.add(Series(k == 0 ? "masked" : "masked \(k + 1)", .xSpan(from: m.low, to: m.high),
                         label: "masked (not fitted)", style: SeriesStyle(color: Palette.grey, fillOpacity: 0.25),
                         inLegend: k == 0))
        }
        f.add(Series("OFF", .points(x: off.energyKeV, y: off.rate, yError: off.error, xHalfWidth: []),
                     label: "reactor OFF (\(ReportText.number(offHours, decimals: 0)) h, \(ReportText.general(pair.offExposureKgDay)) kg·day)",
                     style: SeriesStyle(color: Palette.vermillion, lineWidth: 1.1, marker: .openSquare, markerSize: 2.8)))
        f.add(Series("ON", .points(x: on.energyKeV, y: on.rate, yError: on.error, xHalfWidth: []),
                     label: "reactor ON (\(ReportText.number(onHours, decimals: 0)) h, \(ReportText.general(pair.onExposureKgDay)) kg·day)",
                     style: SeriesStyle(color: Palette.black, lineWidth: 1.1, marker: .circle, markerSize: 2.6)))
        f.notes = ["Rates per kg, keV and day of live time; error bars: Poisson √n (an empty bin is given the error of one count)."
                   + (pair.offExposureFactor != 1 ? " OFF exposure includes the factor \(ReportText.general(pair.offExposureFactor))." : "")
                   + (offScale ? " Rate axis scaled to the analysis window; higher bins outside it are off scale (nmm report --log-y shows all)." : "")]
        return f
    }
}
