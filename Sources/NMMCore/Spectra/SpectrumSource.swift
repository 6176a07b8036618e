/// Where ingest gets one data set's spectra: something that yields the ON and OFF raw
/// spectra (bin edges in keV, counts, live time in days, mass in kg) and names the input
/// files it reads, which become the parents (PARENTn/PSHAn) of spectra.fits in that order.
///
/// Today's source is `SpectrumFilePair` (an ON and an OFF file, FITS or CSV); OGIP PHA files
/// or binned event lists are further conformances. Ingest checks what a source yields
/// (`RawSpectrum.validate`, the same binning ON and OFF), so a source only reads and
/// converts, with errors naming its files; the stages after ingest see only spectra.fits.
public protocol SpectrumSource: Sendable {
    /// The files `spectra()` reads, for provenance; paths as the caller should record them.
    var inputFiles: [String] { get }

    /// Reads the ON and OFF spectra. No checks across spectra (ingest does those).
    func spectra() throws -> (on: RawSpectrum, off: RawSpectrum)
}
