import Foundation

/// ON/OFF spectra from OGIP PHA files (config `inputs: {kind: ogip, on: ...}`): the ON file
/// and the OFF file its BACKFILE names (or `inputs.off`), as gammapy writes an ON/OFF data set.
///
/// Exposures: live time = EXPOSURE (s) of each file; mass from the config. The OFF exposure
/// factor is f = (BACKSCAL_off·AREASCAL_off)/(BACKSCAL_on·AREASCAL_on) — XSPEC scales the
/// background by (EXPOSURE·BACKSCAL·AREASCAL)_on/(…)_off, nmm by t_on/(t_off·f), so the two
/// agree; gammapy's α = acceptance/acceptance_off = BACKSCAL_on/BACKSCAL_off is 1/f when both
/// files have the same EXPOSURE (as gammapy writes them). f must be the same in every channel.
/// QUALITY ≠ 0 in either file excludes the channel (kept in spectra.fits, flagged unused).
public struct OGIPSource: SpectrumSource, Equatable {
    public var onPath: String
    /// nil: the ON file's BACKFILE.
    public var offPath: String?
    public var massKg: Double

    public init(onPath: String, offPath: String?, massKg: Double) {
        self.onPath = onPath
        self.offPath = offPath
        self.massKg = massKg
    }

    /// The config's inputs, the ON/OFF file replaced by `onPath`/`offPath` when given.
    public init(config: AnalysisConfig, onPath: String? = nil, offPath: String? = nil) {
        self.init(onPath: onPath ?? config.onPath, offPath: offPath ?? config.inputs.off.map(config.resolve),
                  massKg: config.inputMassKg)
    }

    /// ON, OFF (BACKFILE when not given and readable) and the RMFs energies came from.
    public var inputFiles: [String] {
        guard let on = try? OGIPSpectrumReader.read(onPath) else { return [onPath] + (offPath.map { [$0] } ?? []) }
        let offFile = offPath ?? on.backfile
        let off = offFile.flatMap { try? OGIPSpectrumReader.read($0) }
        var files = [onPath] + (offFile.map { [$0] } ?? [])
        for rmf in [on.responseFile, off?.responseFile].compactMap({ $0 }) where !files.contains(rmf) { files.append(rmf) }
        return files
    }

    public func spectra() throws -> (on: RawSpectrum, off: RawSpectrum) {
        let input = try read()
        return (input.on, input.off)
    }

    public func read() throws -> IngestInput {
        let on = try OGIPSpectrumReader.read(onPath)
        guard let offFile = offPath ?? on.backfile else {
            throw FITSError(.missingKeyword, file: onPath, hdu: "SPECTRUM", item: "BACKFILE",
                            "expected BACKFILE naming the OFF spectrum (or inputs.off in the config)")
        }
        let off = try OGIPSpectrumReader.read(offFile)
        guard off.channels == on.channels else {
            throw FITSError(.invalidValue, file: offFile, hdu: "SPECTRUM", item: "CHANNEL",
                            "expected the channels of \(onPath) (\(on.channels.count) from \(on.channels.first ?? 0)), found \(off.channels.count) from \(off.channels.first ?? 0)")
        }
        let ratios = on.channels.indices.map { (off.backscal[$0] * off.areascal[$0]) / (on.backscal[$0] * on.areascal[$0]) }
        if let i = ratios.firstIndex(where: { abs($0 - ratios[0]) > 1e-9 * ratios[0] }) {
            throw FITSError(.invalidValue, file: offFile, hdu: "SPECTRUM", item: "BACKSCAL row \(i + 1)",
                            "the OFF/ON ratio of BACKSCAL × AREASCAL is \(ratios[i]) here but \(ratios[0]) in row 1; expected one ratio for all channels (nmm's OFF exposure factor is one number)")
        }
        let excluded = zip(on.bad, off.bad).map { $0 || $1 }
        func spectrum(_ s: OGIPSpectrum) -> RawSpectrum {
            RawSpectrum(energyLowKeV: s.energyLowKeV, energyHighKeV: s.energyHighKeV, counts: s.counts,
                        liveTimeDays: s.exposureS / TimeFrame.secondsPerDay, massKg: massKg, sourceFile: s.file)
        }
        return IngestInput(on: spectrum(on), off: spectrum(off), offExposureFactor: ratios[0],
                           excludedBins: excluded.contains(true) ? excluded : nil)
    }
}
