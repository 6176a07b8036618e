import NMMCore
import NMMStatistics

/// subtract: residual = ON/(t_on·m) − OFF/(t_off·m·f) per keV, in counts/(kg·keV·day),
/// with Poisson errors, for the bins wholly inside the analysis window; masked bins (the
/// config's ranges and the input's bad channels, QUALITY) are kept but flagged unused. Raw
/// counts and both exposures are kept for the joint Poisson fit.
public struct Subtract: Sendable {
    public init() {}

    public func run(_ spectra: SpectrumPair, config: AnalysisConfig) throws -> Residual {
        let lo = config.windowLowKeV, hi = config.windowHighKeV
        let on = spectra.on, off = spectra.off
        let eps = 1e-9 * max(1, hi)
        let inWindow = on.counts.indices.filter { on.energyLowKeV[$0] >= lo - eps && on.energyHighKeV[$0] <= hi + eps }
        let file = config.sourcePath
        guard let first = on.energyLowKeV.first, let last = on.energyHighKeV.last else {
            throw InputError(file: on.sourceFile, "spectrum has no bins")
        }
        guard !inWindow.isEmpty else {
            throw InputError(file: file, field: "analysis.windowKeV",
                             "window [\(lo), \(hi)] keV holds no whole bin of the data, which cover [\(first), \(last)] keV")
        }
        guard inWindow.count >= 2 else {
            throw InputError(file: file, field: "analysis.windowKeV",
                             "window [\(lo), \(hi)] keV holds only one bin; expected at least 2 to fit a spectrum")
        }
        let onExp = spectra.onExposureKgDay, offExp = spectra.offExposureKgDay
        var r = Residual(energyLowKeV: [], energyHighKeV: [], onCounts: [], offCounts: [], rate: [], rateError: [],
                         used: [], onExposureKgDay: onExp, offExposureKgDay: offExp,
                         onLiveTimeDays: on.liveTimeDays, offLiveTimeDays: off.liveTimeDays, massKg: on.massKg,
                         windowLowKeV: lo, windowHighKeV: hi)
        for i in inWindow {
            let eLo = on.energyLowKeV[i], eHi = on.energyHighKeV[i], width = eHi - eLo
            let n = on.counts[i], m = off.counts[i]
            r.energyLowKeV.append(eLo)
            r.energyHighKeV.append(eHi)
            r.onCounts.append(n)
            r.offCounts.append(m)
            r.rate.append(n / (onExp * width) - m / (offExp * width))
            let sOn = CountingError.rateError(n, scale: onExp * width)
            let sOff = CountingError.rateError(m, scale: offExp * width)
            r.rateError.append((sOn * sOn + sOff * sOff).squareRoot())
            let masked = spectra.isExcluded(bin: i) || config.maskedRangesKeV.contains { eLo < $0.high && eHi > $0.low }
            r.used.append(!masked)
        }
        guard r.usedCount >= 2 else {
            throw InputError(file: file, field: "analysis.maskedKeV",
                             "only \(r.usedCount) bin(s) of the window remain after masking; expected at least 2")
        }
        return r
    }
}
