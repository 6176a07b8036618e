/// Where ingest gets one data set's spectra: something that yields the ON and OFF raw
/// spectra (bin edges in keV, counts, live time in days, mass in kg) and names the input
/// files it reads, which become the parents (PARENTn/PSHAn) of spectra.fits in that order.
///
/// Conformances: `SpectrumFilePair` (an ON and an OFF file, FITS or CSV), `EventListSource`
/// (an event list with GTIs split by a reactor log, then binned) and `OGIPSource` (OGIP PHA
/// spectra, OFF from BACKFILE). Ingest checks what a source yields (`RawSpectrum.validate`,
/// the same binning ON and OFF), so a source only reads and converts, with errors naming its
/// files; the stages after ingest see only spectra.fits.
public protocol SpectrumSource: Sendable {
    /// The files `spectra()` reads, for provenance; paths as the caller should record them.
    var inputFiles: [String] { get }

    /// Reads the ON and OFF spectra. No checks across spectra (ingest does those).
    func spectra() throws -> (on: RawSpectrum, off: RawSpectrum)

    /// The spectra with what a source knows beyond them (an OFF exposure factor, excluded
    /// bins, an event selection). The default is `spectra()` with nothing more.
    func read() throws -> IngestInput
}

extension SpectrumSource {
    public func read() throws -> IngestInput {
        let (on, off) = try spectra()
        return IngestInput(on: on, off: off)
    }
}

/// What ingest receives from a source.
public struct IngestInput: Equatable, Sendable {
    public var on: RawSpectrum
    public var off: RawSpectrum
    /// The OFF exposure factor the files determine (OGIP: the BACKSCAL ratio); nil: the
    /// config's `inputs.offExposureFactor` (default 1).
    public var offExposureFactor: Double?
    /// Bins the files mark bad (OGIP QUALITY ≠ 0 in ON or OFF), one flag per bin; nil: none.
    /// They stay in spectra.fits (QUALITY column) and subtract flags them unused.
    public var excludedBins: [Bool]?
    /// What an event-list source selected: live times, power history, event counts.
    public var eventSelection: EventSelectionSummary?

    public init(on: RawSpectrum, off: RawSpectrum, offExposureFactor: Double? = nil, excludedBins: [Bool]? = nil,
                eventSelection: EventSelectionSummary? = nil) {
        self.on = on
        self.off = off
        self.offExposureFactor = offExposureFactor
        self.excludedBins = excludedBins
        self.eventSelection = eventSelection
    }
}
