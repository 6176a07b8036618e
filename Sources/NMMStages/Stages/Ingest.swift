import NMMCore
import NMMStatistics

/// ingest: reads the ON and OFF spectra named in the config (FITS or CSV), validates each
/// and both together (shared binning), and returns them as one typed product.
public struct Ingest: Sendable {
    public init() {}

    public func run(config: AnalysisConfig, onPath: String? = nil, offPath: String? = nil) throws -> SpectrumPair {
        let on = try SpectrumFileReader.read(onPath ?? config.onPath)
        let off = try SpectrumFileReader.read(offPath ?? config.offPath)
        try on.validate()
        try off.validate()
        try Self.checkSameBinning(on, off)
        return SpectrumPair(on: on, off: off, offExposureFactor: config.offExposureFactor)
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
