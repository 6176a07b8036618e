import NMMCore

/// Invalid input to a physics calculation, or a numerical failure inside one.
/// Bad inputs map to exit status 65 (`.dataError`); numerical failures to 70 (`.software`).
public struct PhysicsError: NMMError, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// A value outside its allowed range (negative power, distance, flux, …).
        case invalidValue
        /// Fission fractions negative or not summing to 1 within 10⁻³.
        case invalidFissionFractions
        /// A chemical formula that cannot be parsed.
        case invalidFormula
        /// An element symbol not in the element table.
        case unknownElement
        /// Bin edges not strictly increasing, too few, or non-finite.
        case invalidBinning
        /// Detector response parameters out of range.
        case invalidResponse
        /// A numerical routine failed (integration did not converge, …).
        case numerical
    }

    public let kind: Kind
    /// The input (parameter or key) concerned, e.g. "fissionFractions" or "formula".
    public let field: String
    public let message: String

    public init(_ kind: Kind, field: String, _ message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    public var exitStatus: ExitStatus { kind == .numerical ? .software : .dataError }

    public var description: String { "\(field): \(message)" }
}
