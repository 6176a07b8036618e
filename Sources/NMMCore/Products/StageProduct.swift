import Foundation

/// The types of typed stage files (FITS keyword NMMTYPE).
public enum ProductKind: String, Sendable, CaseIterable {
    case spectra = "SPECTRA"
    case residual = "RESIDUAL"
    case templates = "TEMPLATES"
    case fit = "FIT"
    case limit = "LIMIT"
    case limitShard = "LIMITSHARD"
}

/// A typed stage file's contents. Conformers turn themselves into FITS values and back;
/// `ProductStore` adds and checks the provenance keywords and writes atomically.
public protocol StageProduct: Sendable {
    static var kind: ProductKind { get }
    static var schemaVersion: Int { get }
    /// Build from a document whose NMMTYPE and NMMSCHEM were already checked.
    init(document: FITSDocument) throws
    /// The tables and the extra primary keywords (provenance keywords are added by the store).
    func document() -> FITSDocument
}

/// Where a typed file came from (keywords NMMTYPE, NMMSCHEM, NMMVERS, DATE, CFGSHA, PARENTn/PSHAn).
public struct Provenance: Equatable, Sendable {
    public struct Parent: Equatable, Sendable {
        public var file: String
        public var sha256: String
        public init(file: String, sha256: String) { self.file = file; self.sha256 = sha256 }
    }

    public var kind: ProductKind
    public var schemaVersion: Int
    public var toolVersion: String
    /// ISO-8601 UTC date-time (FITS DATE).
    public var date: String
    public var configSHA256: String
    public var parents: [Parent]

    public init(kind: ProductKind, schemaVersion: Int, toolVersion: String = NMMVersion.string,
                date: String = Provenance.now(), configSHA256: String, parents: [Parent]) {
        self.kind = kind
        self.schemaVersion = schemaVersion
        self.toolVersion = toolVersion
        self.date = date
        self.configSHA256 = configSHA256
        self.parents = parents
    }

    public static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        var s = f.string(from: Date())
        if s.hasSuffix("Z") { s.removeLast() }
        return s
    }
}

public enum NMMVersion {
    public static let string = "0.1.0"
}
