import NMMCore

/// Errors of the statistics layer (fits, Feldman–Cousins belts, toys).
public enum StatisticsError: NMMError {
    /// The fit input is inconsistent (array lengths, negative counts, zero exposure, ...).
    case invalidInput(String)
    /// An option is out of range (κ grid, confidence level, toy counts, ...).
    case invalidOptions(String)
    /// A fit on the observed data has no finite minimum or a singular normal matrix.
    case fitFailed(String)
    /// Fewer bins (+ constraint terms) than free parameters.
    case tooFewBins(bins: Int, constraints: Int, parameters: [String])
    /// More toy fits failed at a grid point than the tolerated fraction.
    case tooManyFailedToys(kappa: Double, failed: Int, toys: Int, allowedFraction: Double)

    public var exitStatus: ExitStatus {
        switch self {
        case .invalidInput: .dataError
        case .invalidOptions: .usage
        // A fit of the observed data, or many toy fits, fail because of the data (degenerate
        // templates, too few bins for the free terms): bad input data, not a bug of nmm.
        case .fitFailed, .tooManyFailedToys, .tooFewBins: .dataError
        }
    }

    public var description: String {
        switch self {
        case .invalidInput(let m): "fit input: \(m)"
        case .invalidOptions(let m): "statistics options: \(m)"
        case .fitFailed(let m): "fit failed: \(m)"
        case let .tooFewBins(bins, constraints, parameters):
            "\(bins) bin(s) used in the fit (+ \(constraints) constraint(s)) for \(parameters.count) free parameters "
                + "(\(parameters.joined(separator: ", "))); expected at least as many bins as parameters"
        case let .tooManyFailedToys(kappa, failed, toys, allowed):
            "toy fits failed at kappa = \(kappa): \(failed) of \(toys) "
                + "(more than the allowed fraction \(allowed)); the belt would be biased "
                + "(is κ degenerate with a nuisance on these data? see COVACC in the fit file)"
        }
    }
}
