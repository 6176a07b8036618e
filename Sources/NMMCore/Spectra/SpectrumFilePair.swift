/// The ON and OFF spectra as two files, each FITS or CSV (chosen by content; see
/// `SpectrumFileReader`): by default the config's `inputs.on` and `inputs.off`.
public struct SpectrumFilePair: SpectrumSource, Equatable {
    public var onPath: String
    public var offPath: String

    public init(onPath: String, offPath: String) {
        self.onPath = onPath
        self.offPath = offPath
    }

    /// The config's inputs, each replaced by `onPath`/`offPath` when given (`--on`, `--off`).
    public init(config: AnalysisConfig, onPath: String? = nil, offPath: String? = nil) {
        self.init(onPath: onPath ?? config.onPath, offPath: offPath ?? config.offPath)
    }

    public var inputFiles: [String] { [onPath, offPath] }

    /// Reads ON, then OFF (so a problem with ON is reported first).
    public func spectra() throws -> (on: RawSpectrum, off: RawSpectrum) {
        let on = try SpectrumFileReader.read(onPath)
        let off = try SpectrumFileReader.read(offPath)
        return (on, off)
    }
}
