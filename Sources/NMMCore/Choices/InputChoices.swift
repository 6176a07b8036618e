/// What the config's `inputs` section points at (README, Inputs): the kind of data ingest
/// reads and turns into one ON/OFF pair of spectra.
public enum InputKind: String, ConfigChoice {
    /// An ON and an OFF spectrum file, FITS or CSV (`inputs.on`, `inputs.off`); the default.
    case pair
    /// A FITS event list (EVENTS + GTI) and a reactor operation log (`inputs.events`,
    /// `inputs.reactorLog`), split into ON and OFF by thermal power and binned by
    /// `inputs.binningKeV`.
    case events
    /// OGIP PHA spectra as gammapy and XSPEC write them (`inputs.on`; OFF from its BACKFILE or
    /// `inputs.off`).
    case ogip
}
