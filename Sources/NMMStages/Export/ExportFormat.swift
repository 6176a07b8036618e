import NMMCore

/// What `nmm export` writes.
public enum ExportFormat: String, ConfigChoice {
    /// A pyhf JSON workspace of the statistical model (HistFactory schema 1.0.0).
    case pyhf
    /// A HEPData record: submission.yaml and one YAML file per table.
    case hepdata
}
