import Foundation

/// The types of typed stage files (FITS keyword NMMTYPE).
public enum ProductKind: String, Sendable, CaseIterable {
    case spectra = "SPECTRA"
    case residual = "RESIDUAL"
    case templates = "TEMPLATES"
    case model = "MODEL"
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

/// Where a typed file came from (keywords NMMTYPE, NMMSCHEM, NMMVERS, DATE, CFGSHA, PARENTn/PSHAn,
/// CSECn/CSHAn for the config sections it depends on, CFGMISMn for accepted mismatches).
public struct Provenance: Equatable, Sendable {
    /// The SHA-256 of one config section (`AnalysisConfig.sectionSHA256`) this file was made from.
    public struct SectionHash: Equatable, Sendable {
        public var section: ConfigSection
        public var sha256: String
        public init(section: ConfigSection, sha256: String) { self.section = section; self.sha256 = sha256 }
    }

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
    /// Every config section read by the stage that wrote this file or by the stages before it.
    public var sections: [SectionHash]
    /// Inputs accepted although made from other section content (`--allow-config-mismatch`),
    /// one line each: "fit.fits: fit".
    public var configMismatches: [String]

    public init(kind: ProductKind, schemaVersion: Int, toolVersion: String = NMMVersion.string,
                date: String = Provenance.now(), configSHA256: String, parents: [Parent],
                sections: [SectionHash] = [], configMismatches: [String] = []) {
        self.kind = kind
        self.schemaVersion = schemaVersion
        self.toolVersion = toolVersion
        self.date = date
        self.configSHA256 = configSHA256
        self.parents = parents
        self.sections = sections
        self.configMismatches = configMismatches
    }

    /// The recorded hash of a section, if this file depends on it.
    public func sha256(of section: ConfigSection) -> String? { sections.first { $0.section == section }?.sha256 }

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
