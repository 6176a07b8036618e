import Foundation
import XCTest
import NMMCore

/// Builds good and bad input files for the CLI catalogue tests in one temporary folder:
/// FITS spectra (through `FITSIO.write`), CSV spectra as text, configs derived from
/// `ConfigSchema.minimalExample`, hand-made stage files, and raw bytes. Also takes
/// snapshots of the folder (names, sizes, mtimes, content hashes) so a test can assert
/// that a failed run created, changed or left behind nothing.
final class Workspace {
    let dir: URL

    init() throws { dir = try NMMProcess.tempDirectory() }

    func remove() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func write(_ name: String, text: String) throws {
        try makeParent(name)
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    }

    func write(_ name: String, bytes: Data) throws {
        try makeParent(name)
        try bytes.write(to: dir.appendingPathComponent(name))
    }

    func read(_ name: String) throws -> Data { try Data(contentsOf: dir.appendingPathComponent(name)) }

    func makeFolder(_ name: String) throws {
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(name), withIntermediateDirectories: true)
    }

    private func makeParent(_ name: String) throws {
        let parent = dir.appendingPathComponent(name).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    /// Runs nmm in this folder.
    func nmm(_ args: [String]) throws -> NMMProcess.Result { try NMMProcess.run(args, cwd: dir) }

    // MARK: - Spectra

    /// A FITS input spectrum; every field can be spoiled by a catalogue case.
    struct FITSSpectrum {
        var low: [Double] = [12, 13, 14, 15]
        var high: [Double] = [13, 14, 15, 16]
        var counts: FITSColumnData = .double([5, 6, 7, 8])
        var energyUnit = "keV"
        var countsUnit = "count"
        var tableName = "SPECTRUM"
        var keywords: [FITSKeyword] = [
            FITSKeyword("LIVETIME", .double(100)), FITSKeyword("TIMEUNIT", .string("h")),
            FITSKeyword("MASS", .double(1.06)), FITSKeyword("MASSUNIT", .string("kg")),
        ]
        var leaveOut: Set<String> = []
        /// No BINTABLE at all: the keywords go into the primary header.
        var noTable = false

        mutating func setKeyword(_ name: String, _ value: FITSValue?) {
            keywords.removeAll { $0.name == name }
            if let value { keywords.append(FITSKeyword(name, value)) }
        }

        var document: FITSDocument {
            if noTable { return FITSDocument(primaryKeywords: keywords) }
            let columns = [
                FITSColumn("E_LO", unit: energyUnit, .double(low)),
                FITSColumn("E_HI", unit: energyUnit, .double(high)),
                FITSColumn("COUNTS", unit: countsUnit, counts),
            ].filter { !leaveOut.contains($0.name) }
            return FITSDocument(tables: [FITSTable(name: tableName, keywords: keywords, columns: columns)])
        }
    }

    func writeFITS(_ name: String, _ spectrum: FITSSpectrum = FITSSpectrum()) throws {
        try makeParent(name)
        try FITSIO.write(spectrum.document, to: path(name))
    }

    func writeFITS(_ name: String, _ edit: (inout FITSSpectrum) -> Void) throws {
        var s = FITSSpectrum()
        edit(&s)
        try writeFITS(name, s)
    }

    /// A CSV input spectrum in the README format.
    static func csvText(rows: [String]? = nil, liveTime: String = "100 h", mass: String = "1.06 kg",
                        header: String = "E_LO [keV],E_HI [keV],COUNTS") -> String {
        var text = "# test spectrum\n"
        if !liveTime.isEmpty { text += "#! livetime = \(liveTime)\n" }
        if !mass.isEmpty { text += "#! mass = \(mass)\n" }
        text += header + "\n"
        for r in rows ?? ["12,13,5", "13,14,6", "14,15,7", "15,16,8"] { text += r + "\n" }
        return text
    }

    func writeCSV(_ name: String, rows: [String]? = nil, liveTime: String = "100 h", mass: String = "1.06 kg",
                  header: String = "E_LO [keV],E_HI [keV],COUNTS") throws {
        try write(name, text: Self.csvText(rows: rows, liveTime: liveTime, mass: mass, header: header))
    }

    // MARK: - Configs

    /// The minimal config with the inputs and a 4-bin window [12, 16] keV, then `edits`
    /// (literal replacements) applied; each edit must match.
    static func configText(on: String = "on.fits", off: String = "off.fits", window: String = "[12, 16]",
                           edits: [(String, String)] = [], append: String = "") -> String {
        var text = ConfigSchema.minimalExample
            .replacingOccurrences(of: "inputs: {on: on.fits, off: off.fits}", with: "inputs: {on: \(on), off: \(off)}")
            .replacingOccurrences(of: "windowKeV: [12, 64]", with: "windowKeV: \(window)")
        for (from, to) in edits {
            precondition(text.contains(from), "config edit '\(from)' does not match")
            text = text.replacingOccurrences(of: from, with: to)
        }
        return text + (append.isEmpty ? "" : "\n" + append + "\n")
    }

    func writeConfig(_ name: String = "c.yaml", on: String = "on.fits", off: String = "off.fits",
                     window: String = "[12, 16]", edits: [(String, String)] = [], append: String = "") throws {
        try write(name, text: Self.configText(on: on, off: off, window: window, edits: edits, append: append))
    }

    /// Good ON and OFF FITS spectra and the config that names them.
    func writeGoodInputs() throws {
        try writeFITS("on.fits")
        try writeFITS("off.fits")
        try writeConfig()
    }

    // MARK: - Stage files

    /// Writes a stage file of any type and schema with the given document (provenance added).
    func writeStageFile(_ name: String, kind: ProductKind, schema: Int, document: FITSDocument,
                        parents: [String] = []) throws {
        try makeParent(name)
        let ps = try parents.map { Provenance.Parent(file: path($0), sha256: try SHA256Hex.of(fileAt: path($0))) }
        let provenance = Provenance(kind: kind, schemaVersion: schema, configSHA256: String(repeating: "0", count: 64),
                                    parents: ps)
        try CraftedProduct.write(document, provenance: provenance, to: path(name))
    }

    // MARK: - Snapshots

    struct Entry: Equatable, CustomStringConvertible {
        var size: Int
        var modified: Date
        var sha256: String
        var description: String { "\(size) bytes, mtime \(modified.timeIntervalSince1970), sha \(sha256.prefix(12))" }
    }

    /// Every file below the folder: size, mtime and content hash.
    func snapshot() throws -> [String: Entry] {
        var out: [String: Entry] = [:]
        for f in NMMProcess.files(in: dir) {
            let attrs = try FileManager.default.attributesOfItem(atPath: path(f))
            out[f] = Entry(size: (attrs[.size] as? NSNumber)?.intValue ?? -1,
                           modified: attrs[.modificationDate] as? Date ?? .distantPast,
                           sha256: (try? SHA256Hex.of(fileAt: path(f))) ?? "unreadable")
        }
        return out
    }

    /// Sets a file's mtime into the past, so that a rewrite would be visible even within
    /// the file system's timestamp resolution.
    func age(_ name: String, seconds: TimeInterval = 3600) throws {
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-seconds)],
                                              ofItemAtPath: path(name))
    }
}

/// A stage product with a free type and schema, for writing wrong-type, unknown-schema and
/// numerically awkward stage files through the real `ProductStore`.
enum CraftedProduct {
    static func write(_ doc: FITSDocument, provenance: Provenance, to path: String) throws {
        switch (provenance.kind, provenance.schemaVersion) {
        case (.spectra, 1): try ProductStore.write(Crafted<Spectra1>(doc: doc), provenance: provenance, to: path)
        case (.spectra, 99): try ProductStore.write(Crafted<Spectra99>(doc: doc), provenance: provenance, to: path)
        case (.residual, 1): try ProductStore.write(Crafted<Residual1>(doc: doc), provenance: provenance, to: path)
        case (.templates, 2): try ProductStore.write(Crafted<Templates2>(doc: doc), provenance: provenance, to: path)
        case (.fit, 1): try ProductStore.write(Crafted<Fit1>(doc: doc), provenance: provenance, to: path)
        default: fatalError("no crafted product for \(provenance.kind) v\(provenance.schemaVersion)")
        }
    }

    protocol Tag: Sendable { static var kind: ProductKind { get }; static var schema: Int { get } }
    enum Spectra1: Tag { static let kind = ProductKind.spectra; static let schema = 1 }
    enum Spectra99: Tag { static let kind = ProductKind.spectra; static let schema = 99 }
    enum Residual1: Tag { static let kind = ProductKind.residual; static let schema = 1 }
    enum Templates2: Tag { static let kind = ProductKind.templates; static let schema = 2 }
    enum Fit1: Tag { static let kind = ProductKind.fit; static let schema = 1 }

    struct Crafted<T: Tag>: StageProduct {
        static var kind: ProductKind { T.kind }
        static var schemaVersion: Int { T.schema }
        let doc: FITSDocument
        init(doc: FITSDocument) { self.doc = doc }
        init(document: FITSDocument) throws { doc = document }
        func document() -> FITSDocument { doc }
    }
}

/// The stage documents the catalogue and the numerical tests hand-craft (the same layout
/// as NMMStages' products, which the CLI tests do not link).
enum StageDocuments {
    /// spectra.fits for the default 4-bin inputs.
    static func spectra(low: [Double] = [12, 13, 14, 15], high: [Double] = [13, 14, 15, 16],
                        on: [Double] = [5, 6, 7, 8], off: [Double] = [5, 6, 7, 8]) -> FITSDocument {
        func table(_ name: String, _ counts: [Double]) -> FITSTable {
            FITSTable(name: name, keywords: [
                FITSKeyword("LIVETIME", .double(100.0 / 24)), FITSKeyword("TIMEUNIT", .string("d")),
                FITSKeyword("MASS", .double(1.06)), FITSKeyword("EXPOSURE", .double(100.0 / 24 * 1.06)),
                FITSKeyword("SRCFILE", .string("\(name.lowercased()).fits")),
            ], columns: [
                FITSColumn("E_LO", unit: "keV", .double(low)), FITSColumn("E_HI", unit: "keV", .double(high)),
                FITSColumn("COUNTS", unit: "count", .double(counts)),
            ])
        }
        return FITSDocument(primaryKeywords: [FITSKeyword("OFFFACT", .double(1))], tables: [table("ON", on), table("OFF", off)])
    }

    /// residual.fits with the given ON/OFF counts per bin (1 keV bins from 12 keV).
    static func residual(on: [Double], off: [Double], used: [Bool]? = nil, liveDays: Double = 100,
                         massKg: Double = 1, startKeV: Double = 12) -> FITSDocument {
        let n = on.count
        let low = (0..<n).map { startKeV + Double($0) }, high = low.map { $0 + 1 }
        let exposure = liveDays * massKg
        let rate = (0..<n).map { on[$0] / exposure - off[$0] / exposure }
        let err = (0..<n).map { ((max(on[$0], 1) + max(off[$0], 1)).squareRoot()) / exposure }
        let unit = "count/(kg keV d)"
        return FITSDocument(primaryKeywords: [
            FITSKeyword("ONEXPO", .double(exposure)), FITSKeyword("OFFEXPO", .double(exposure)),
            FITSKeyword("ONLIVE", .double(liveDays)), FITSKeyword("OFFLIVE", .double(liveDays)),
            FITSKeyword("MASS", .double(massKg)), FITSKeyword("WINLO", .double(low.first ?? 0)),
            FITSKeyword("WINHI", .double(high.last ?? 0)), FITSKeyword("NBINS", .int(n)),
        ], tables: [FITSTable(name: "RESIDUAL", columns: [
            FITSColumn("E_LO", unit: "keV", .double(low)), FITSColumn("E_HI", unit: "keV", .double(high)),
            FITSColumn("ON_COUNTS", unit: "count", .double(on)), FITSColumn("OFF_COUNTS", unit: "count", .double(off)),
            FITSColumn("RATE", unit: unit, .double(rate)), FITSColumn("RATE_ERR", unit: unit, .double(err)),
            FITSColumn("USED", unit: "", .bool(used ?? [Bool](repeating: true, count: n))),
        ])])
    }

    /// templates.fits (schema 2) with given SM and MM rates per bin (1 keV bins from 12 keV), all ν–e.
    static func templates(sm: [Double], mm: [Double], startKeV: Double = 12) -> FITSDocument {
        let n = sm.count
        let low = (0..<n).map { startKeV + Double($0) }, high = low.map { $0 + 1 }
        let unit = "count/(kg keV d)"
        return FITSDocument(primaryKeywords: [
            FITSKeyword("FLUXTOT", .double(6.4e12)), FITSKeyword("NEPERKG", .double(2.9e26)),
        ], tables: [
            FITSTable(name: "TEMPLATES", columns: [
                FITSColumn("E_LO", unit: "keV", .double(low)), FITSColumn("E_HI", unit: "keV", .double(high)),
                FITSColumn("SM", unit: unit, .double(sm)), FITSColumn("MM", unit: unit, .double(mm)),
                FITSColumn("RATIO", unit: "", .double(zip(mm, sm).map { $1 > 0 ? $0 / $1 : 0 })),
                FITSColumn("NUE_SM", unit: unit, .double(sm)), FITSColumn("NUE_MM", unit: unit, .double(mm)),
                FITSColumn("COH_SM", unit: unit, .double(sm.map { _ in 0 })), FITSColumn("COH_MM", unit: unit, .double(mm.map { _ in 0 })),
            ]),
            FITSTable(name: "FLUX", columns: [
                FITSColumn("ENERGY", unit: "MeV", .double([1, 2])),
                FITSColumn("FLUX", unit: "1/(cm2 s MeV)", .double([1e12, 1e12])),
            ]),
        ])
    }
}

extension StageDocuments {
    /// fit.fits with one fitted parameter κ (value ± error) and a short profile.
    static func fit(kappa: Double = -0.4, error: Double = 1.3, converged: Bool = true) -> FITSDocument {
        FITSDocument(primaryKeywords: [
            FITSKeyword("METHOD", .string("chi2")), FITSKeyword("MINIMUM", .double(3.2)),
            FITSKeyword("NDOF", .int(3)), FITSKeyword("PVALUE", .double(0.36)),
            FITSKeyword("CONVERGD", .bool(converged)), FITSKeyword("COVACC", .bool(true)),
            FITSKeyword("ATLIMIT", .bool(false)), FITSKeyword("NITER", .int(3)),
        ], tables: [
            FITSTable(name: "PARAMS", keywords: [FITSKeyword("NPAR", .int(1)), FITSKeyword("PNAME1", .string("kappa"))],
                      columns: [FITSColumn("VALUE", unit: "", .double([kappa])), FITSColumn("ERROR", unit: "", .double([error]))]),
            FITSTable(name: "COVAR", columns: [FITSColumn("KAPPA", unit: "", .double([error * error]))]),
            FITSTable(name: "PROFILE", columns: [
                FITSColumn("KAPPA", unit: "1e-20 mu_B^2", .double([kappa - error, kappa, kappa + error])),
                FITSColumn("DELTA", unit: "", .double([1, 0, 1])),
            ]),
        ])
    }
}
