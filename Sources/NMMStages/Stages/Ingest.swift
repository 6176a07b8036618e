import NMMCore
import NMMStatistics

/// ingest: takes the ON and OFF spectra from a `SpectrumSource` (the config's `inputs`: an
/// ON/OFF file pair, an event list with a reactor log, or OGIP PHA files), validates each and
/// both together (shared binning), and returns them as one typed product.
public struct Ingest: Sendable {
    public init() {}

    /// The source of the config's data set, by `inputs.kind`: the ON/OFF file pair (either file
    /// replaced by `onPath`/`offPath` when given), the event list and reactor log, or the OGIP
    /// PHA files (ON/OFF replaced likewise). An event list has no ON/OFF files to replace:
    /// the CLI refuses `--on`/`--off` for it (`acceptsFileOverrides`).
    public static func source(config: AnalysisConfig, onPath: String? = nil, offPath: String? = nil) -> any SpectrumSource {
        switch config.inputKind {
        case .pair: SpectrumFilePair(config: config, onPath: onPath, offPath: offPath)
        case .events: EventListSource(config: config)
        case .ogip: OGIPSource(config: config, onPath: onPath, offPath: offPath)
        }
    }

    /// Whether `--on`/`--off` mean something for this config's inputs.
    public static func acceptsFileOverrides(_ config: AnalysisConfig) -> Bool {
        switch config.inputKind {
        case .pair, .ogip: true
        case .events: false
        }
    }

    /// Reads `source`, checks each spectrum alone (`RawSpectrum.validate`), then that ON and
    /// OFF share their binning. The product's parents are `source.inputFiles`.
    public func run(_ source: some SpectrumSource, config: AnalysisConfig) throws -> SpectrumPair {
        let input = try source.read()
        let (on, off) = (input.on, input.off)
        try on.validate()
        try off.validate()
        try Self.checkSameBinning(on, off)
        if let excluded = input.excludedBins, excluded.count != on.binCount {
            throw InternalError("source flags \(excluded.count) excluded bins for \(on.binCount) bins")
        }
        if let f = input.offExposureFactor, !(f.isFinite && f > 0) {
            throw InputError(file: off.sourceFile, field: "OFF exposure factor", "expected a factor > 0, found \(f)")
        }
        return SpectrumPair(on: on, off: off, offExposureFactor: input.offExposureFactor ?? config.offExposureFactor,
                            excludedBins: input.excludedBins, eventSelection: input.eventSelection)
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
