import NMMCore
import NMMStatistics

/// ingest: takes the ON and OFF spectra from a `SpectrumSource` (today the FITS or CSV files
/// named in the config), validates each and both together (shared binning), and returns
/// them as one typed product.
public struct Ingest: Sendable {
    public init() {}

    /// The source of the config's data set: the ON/OFF file pair of `inputs`, either file
    /// replaced by `onPath`/`offPath` when given. New input kinds are chosen here.
    public static func source(config: AnalysisConfig, onPath: String? = nil, offPath: String? = nil) -> any SpectrumSource {
        SpectrumFilePair(config: config, onPath: onPath, offPath: offPath)
    }

    /// Reads `source`, checks each spectrum alone (`RawSpectrum.validate`), then that ON and
    /// OFF share their binning. The product's parents are `source.inputFiles`.
    public func run(_ source: some SpectrumSource, config: AnalysisConfig) throws -> SpectrumPair {
        let (on, off) = try source.spectra()
        try on.validate()
        try off.validate()
        try Self.checkSameBinning(on, off)
        return SpectrumPair(on: on, off: off, offExposureFactor: config.offExposureFactor)
    }

    /// `run` on `Ingest.source(config:onPath:offPath:)`.
    public func run(config: AnalysisConfig, onPath: String? = nil, offPath: String? = nil) throws -> SpectrumPair {
        try run(Self.source(config: config, onPath: onPath, offPath: offPath), config: config)
    }

    static func checkSameBinning(_ on: RawSpectrum, _ off: RawSpectrum) throws {
        guard on.binCount == off.binCount else {
            throw InputError(file: off.sourceFile, field: "E_LO/E_HI",
                             "ON and OFF binning differ: expected \(on.binCount) bins as in \(on.sourceFile), found \(off.binCount)")
        }
        for i in 0..<on.binCount {
            let tol = 1e-6 * max(1, abs(on.energyHighKeV[i]))
            if abs(on.energyLowKeV[i] - off.energyLowKeV[i]) > tol || abs(on.energyHighKeV[i] - off.energyHighKeV[i]) > tol {
                throw InputError(file: off.sourceFile, field: "E_LO/E_HI row \(i + 1)",
                                 "ON and OFF binning differ: expected [\(on.energyLowKeV[i]), \(on.energyHighKeV[i])] keV as in \(on.sourceFile), found [\(off.energyLowKeV[i]), \(off.energyHighKeV[i])] keV")
            }
        }
    }
}
