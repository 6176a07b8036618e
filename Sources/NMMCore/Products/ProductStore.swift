import Foundation

/// Writes and reads typed stage files: a `StageProduct`'s FITS document plus the provenance
/// keywords NMMTYPE, NMMSCHEM, NMMVERS, DATE, CFGSHA, PARENTn and PSHAn (n = 1, 2, ...),
/// which go into the primary header AND every table HDU (so a table copied out of the file
/// keeps its origin). Writes are atomic (`AtomicFile`).
///
/// Parent paths: in the file, PARENTn is stored relative to the folder of the file that
/// names it (e.g. `spectra.fits` for `build/x/spectra.fits` written into `build/x/`), or
/// absolute when the two share nothing but the root. A folder of stage files can therefore
/// be moved or copied whole and still resolve its parents. Values longer than one card use
/// the CFITSIO long-string (CONTINUE) convention, so no path is ever truncated.
/// `read`/`readProvenance` resolve them back against the file's folder, so a `Provenance`
/// in memory always holds paths usable from the current directory (the same spelling as was
/// passed to `write`, when the current directory has not changed).
public enum ProductStore {
    /// Writes `product` with `provenance` to `path` atomically. Provenance keywords the product
    /// document may already carry are replaced. `provenance.kind`/`schemaVersion` must match P.
    public static func write<P: StageProduct>(_ product: P, provenance: Provenance, to path: String) throws {
        guard provenance.kind == P.kind, provenance.schemaVersion == P.schemaVersion else {
            throw InternalError("provenance for \(provenance.kind.rawValue) v\(provenance.schemaVersion) "
                + "used to write a \(P.kind.rawValue) v\(P.schemaVersion) product to \(path)")
        }
        var doc = product.document()
        let folder = AtomicFile.folder(of: path)
        let stamp = keywords(for: provenance, storedRelativeTo: folder)
        doc.primaryKeywords = stamp + doc.primaryKeywords.filter { !isProvenanceKeyword($0.name) }
        for i in doc.tables.indices {
            doc.tables[i].keywords = doc.tables[i].keywords.filter { !isProvenanceKeyword($0.name) } + stamp
        }
        try AtomicFile.write(to: path) { tmp in try FITSIO.write(doc, to: tmp, label: path) }
    }

    /// Reads a typed file: checks NMMTYPE and NMMSCHEM, then (if `checkStaleness`) that every
    /// parent still on disk has the SHA-256 recorded in PSHAn, then builds P from the document.
    public static func read<P: StageProduct>(_ type: P.Type, from path: String,
                                             checkStaleness: Bool = true) throws -> (P, Provenance) {
        let doc = try FITSIO.read(path)
        let provenance = try provenance(of: doc, path: path, expecting: (P.kind, P.schemaVersion))
        if checkStaleness {
            for stale in staleParents(provenance, relativeTo: nil) {
                if case .changed(let current) = stale.reason {
                    throw ProductError.stale(file: path, parent: stale.file, index: stale.index,
                                             recorded: stale.recordedSHA256, current: current)
                }
            }
        }
        return (try P(document: doc), provenance)
    }

    /// The provenance of any nmm stage file (no type or staleness check).
    public static func readProvenance(from path: String) throws -> Provenance {
        try provenance(of: try FITSIO.read(path), path: path, expecting: nil)
    }

    /// Parents whose file is gone, unreadable, or whose SHA-256 no longer matches PSHAn.
    /// Relative parent paths in `p` are taken relative to `dir` (nil: the current directory,
    /// which is right for a `Provenance` returned by `read`/`readProvenance`).
    public static func staleParents(_ p: Provenance, relativeTo dir: String?) -> [StaleParent] {
        var result: [StaleParent] = []
        for (i, parent) in p.parents.enumerated() {
            let path = (dir == nil || parent.file.hasPrefix("/")) ? parent.file : ProductPaths.join(dir!, parent.file)
            let entry = { (reason: StaleParent.Reason) in
                StaleParent(index: i + 1, file: path, recordedSHA256: parent.sha256, reason: reason)
            }
            guard FileManager.default.fileExists(atPath: path) else { result.append(entry(.missing)); continue }
            do {
                let current = try SHA256Hex.of(fileAt: path)
                if current != parent.sha256.lowercased() { result.append(entry(.changed(currentSHA256: current))) }
            } catch {
                result.append(entry(.unreadable(String(describing: error))))
            }
        }
        return result
    }

    // MARK: - Keywords

    static let provenanceNames: Set<String> = ["NMMTYPE", "NMMSCHEM", "NMMVERS", "DATE", "CFGSHA"]

    static func isProvenanceKeyword(_ name: String) -> Bool {
        let n = name.uppercased()
        if provenanceNames.contains(n) { return true }
        for prefix in ["PARENT", "PSHA", "CSEC", "CSHA", "CFGMISM"] where n.hasPrefix(prefix) {
            let rest = n.dropFirst(prefix.count)
            if !rest.isEmpty && rest.allSatisfy(\.isNumber) { return true }
        }
        return false
    }

    static func keywords(for p: Provenance, storedRelativeTo folder: String) -> [FITSKeyword] {
        var k: [FITSKeyword] = [
            FITSKeyword("NMMTYPE", .string(p.kind.rawValue), "nmm stage file type"),
            FITSKeyword("NMMSCHEM", .int(p.schemaVersion), "schema version of this file type"),
            FITSKeyword("NMMVERS", .string(p.toolVersion), "nmm version that wrote the file"),
            FITSKeyword("DATE", .string(p.date), "file creation date (UTC)"),
            FITSKeyword("CFGSHA", .string(p.configSHA256), "SHA-256 of the configuration text"),
        ]
        for (i, parent) in p.parents.enumerated() {
            let stored = ProductPaths.relative(parent.file, toFolder: folder)
            k.append(FITSKeyword("PARENT\(i + 1)", .string(stored), "input file (relative to this file)"))
            k.append(FITSKeyword("PSHA\(i + 1)", .string(parent.sha256.lowercased()), "SHA-256 of PARENT\(i + 1)"))
        }
        for (i, s) in p.sections.enumerated() {
            k.append(FITSKeyword("CSEC\(i + 1)", .string(s.section.rawValue), "config section this file depends on"))
            k.append(FITSKeyword("CSHA\(i + 1)", .string(s.sha256.lowercased()), "SHA-256 of that section's content"))
        }
        for (i, m) in p.configMismatches.enumerated() {
            k.append(FITSKeyword("CFGMISM\(i + 1)", .string(m), "input accepted with another section (allowed)"))
        }
        return k
    }

    /// Parses and checks the provenance keywords of the primary header.
    static func provenance(of doc: FITSDocument, path: String,
                           expecting: (kind: ProductKind, schema: Int)?) throws -> Provenance {
        guard let typeKeyword = doc.keyword("NMMTYPE") else { throw ProductError.notAStageFile(file: path) }
        guard case .string(let typeName) = typeKeyword.value, let kind = ProductKind(rawValue: typeName) else {
            if let expecting {
                throw ProductError.wrongType(file: path, expected: expecting.kind, found: "\(typeKeyword.value)")
            }
            throw ProductError(.wrongType, file: path, "unknown NMMTYPE \(typeKeyword.value)")
        }
        if let expecting, kind != expecting.kind {
            throw ProductError.wrongType(file: path, expected: expecting.kind, found: typeName)
        }
        let schema: Int
        do { schema = try doc.int("NMMSCHEM") } catch {
            throw ProductError(.unknownSchema, file: path, "\(kind.rawValue) file without a valid integer NMMSCHEM keyword")
        }
        if let expecting, schema != expecting.schema {
            throw ProductError.unknownSchema(file: path, kind: kind, found: schema, supported: expecting.schema)
        }
        let folder = AtomicFile.folder(of: path)
        var parents: [Provenance.Parent] = []
        var n = 1
        while let parentKeyword = doc.keyword("PARENT\(n)") {
            guard case .string(let stored) = parentKeyword.value, case .string(let sha)? = doc.keyword("PSHA\(n)")?.value else {
                throw ProductError(.notAStageFile, file: path, "PARENT\(n) needs string values for PARENT\(n) and PSHA\(n)")
            }
            let file = stored.hasPrefix("/") ? stored : ProductPaths.join(folder, stored)
            parents.append(Provenance.Parent(file: file, sha256: sha))
            n += 1
        }
        var sections: [Provenance.SectionHash] = []
        while let nameKeyword = doc.keyword("CSEC\(sections.count + 1)") {
            let i = sections.count + 1
            guard case .string(let name) = nameKeyword.value, let section = ConfigSection(rawValue: name),
                  case .string(let sha)? = doc.keyword("CSHA\(i)")?.value else {
                throw ProductError(.notAStageFile, file: path, "CSEC\(i)/CSHA\(i) must name a config section (\(ConfigSection.allCases.map(\.rawValue).joined(separator: ", "))) and its SHA-256")
            }
            sections.append(Provenance.SectionHash(section: section, sha256: sha))
        }
        var mismatches: [String] = []
        while case .string(let m)? = doc.keyword("CFGMISM\(mismatches.count + 1)")?.value { mismatches.append(m) }
        func text(_ key: String) -> String { (try? doc.string(key)) ?? "" }
        return Provenance(kind: kind, schemaVersion: schema, toolVersion: text("NMMVERS"), date: text("DATE"),
                          configSHA256: text("CFGSHA"), parents: parents, sections: sections, configMismatches: mismatches)
    }
}

/// A parent of a stage file that could not be confirmed unchanged.
public struct StaleParent: Equatable, Sendable {
    public enum Reason: Equatable, Sendable {
        case missing                          // no longer on disk (not an error; worth a log line)
        case changed(currentSHA256: String)   // its SHA-256 differs from PSHAn: the file is stale
        case unreadable(String)               // exists but could not be hashed
    }
    /// n of PARENTn/PSHAn.
    public var index: Int
    /// The path that was checked.
    public var file: String
    public var recordedSHA256: String
    public var reason: Reason
}

/// A typed stage file of the wrong type, an unknown schema, a file without provenance,
/// or a stale input. All are bad input data (exit 65).
public struct ProductError: NMMError {
    public enum Kind: Sendable, Equatable { case wrongType, unknownSchema, notAStageFile, stale, configMismatch }

    public let kind: Kind
    public let file: String
    /// For `.stale`: the parent that changed.
    public let parent: String?
    public let message: String

    public init(_ kind: Kind, file: String, parent: String? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.parent = parent
        self.message = message
    }

    public var exitStatus: ExitStatus { .dataError }
    public var description: String { "\(file): \(message)" }

    public static func wrongType(file: String, expected: ProductKind, found: String) -> ProductError {
        ProductError(.wrongType, file: file, "expected an NMMTYPE = \(expected.rawValue) file, found \(found)")
    }

    public static func unknownSchema(file: String, kind: ProductKind, found: Int, supported: Int) -> ProductError {
        ProductError(.unknownSchema, file: file,
                     "unknown schema version \(found) for \(kind.rawValue) (this nmm reads \(supported))")
    }

    public static func notAStageFile(file: String) -> ProductError {
        ProductError(.notAStageFile, file: file, "not an nmm stage file (no NMMTYPE keyword)")
    }

    /// `file` was made from other content of `section` than `config` holds now.
    public static func configMismatch(file: String, config: String, section: ConfigSection, index: Int,
                                      recorded: String, current: String, rerunFrom stage: String) -> ProductError {
        ProductError(.configMismatch, file: file,
                     "made from a different '\(section.rawValue)' section than \(config) "
                     + "(CSHA\(index) \(recorded.prefix(12))… ≠ \(current.prefix(12))…); "
                     + "rerun from the \(stage) stage with this config, or pass --allow-config-mismatch")
    }

    public static func stale(file: String, parent: String, index: Int, recorded: String, current: String) -> ProductError {
        ProductError(.stale, file: file, parent: parent,
                     "input is stale: parent \(parent) changed since it was made "
                     + "(PSHA\(index) \(recorded.prefix(12))… ≠ current \(current.prefix(12))…); rerun the stage")
    }
}

/// Lexical path arithmetic for PARENTn (no file-system access, symlinks are not resolved).
enum ProductPaths {
    /// `rel` taken relative to `dir` (absolute `rel` is returned as is), normalised.
    static func join(_ dir: String, _ rel: String) -> String {
        if rel.hasPrefix("/") { return normalize(rel) }
        return normalize(dir == "." ? rel : dir + "/" + rel)
    }

    /// Removes "." and empty components and folds "name/.." pairs.
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for c in path.split(separator: "/", omittingEmptySubsequences: true) where c != "." {
            if c == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if c == "..", absolute {
                continue   // "/.." is "/"
            } else {
                parts.append(c)
            }
        }
        let body = parts.joined(separator: "/")
        return absolute ? "/" + body : (body.isEmpty ? "." : body)
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? normalize(path) : normalize(FileManager.default.currentDirectoryPath + "/" + path)
    }

    /// `file` as a path relative to `folder`, or absolute when they share only the root.
    static func relative(_ file: String, toFolder folder: String) -> String {
        let f = absolute(file).split(separator: "/"), d = absolute(folder).split(separator: "/")
        var common = 0
        while common < min(f.count, d.count), f[common] == d[common] { common += 1 }
        if common == 0 { return absolute(file) }
        let ups = Array(repeating: "..", count: d.count - common)
        let rest = f[common...].map(String.init)
        let joined = (ups + rest).joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }
}
