import Foundation

/// One OGIP type-I PHA spectrum (OGIP/92-007, "The OGIP Spectral File Format"; CAL/GEN/92-002
/// for EBOUNDS), as gammapy (`SpectrumDatasetOnOff.write(format="ogip")`) and XSPEC tools
/// write it.
public struct OGIPSpectrum: Equatable, Sendable {
    public var channels: [Int64]
    public var counts: [Double]
    public var energyLowKeV: [Double]
    public var energyHighKeV: [Double]
    /// EXPOSURE, seconds.
    public var exposureS: Double
    /// BACKSCAL and AREASCAL per channel (keyword values repeated; 1 when absent).
    public var backscal: [Double]
    public var areascal: [Double]
    /// QUALITY ≠ 0 (or T): a bad channel.
    public var bad: [Bool]
    /// BACKFILE, resolved against this file's folder; nil for absent, '' or 'none'.
    public var backfile: String?
    /// The RMF the energies were read from, when they were not in this file.
    public var responseFile: String?
    public var file: String
}

/// Reads the SPECTRUM extension (CHANNEL, COUNTS; EXPOSURE; BACKSCAL, AREASCAL, QUALITY as
/// columns or keywords; BACKFILE) and the channel energies: an EBOUNDS extension in the same
/// file (gammapy), E_MIN/E_MAX columns in SPECTRUM, or the EBOUNDS of RESPFILE (XSPEC).
/// GROUPING is ignored (nmm uses the channels), so are POISSERR, STAT_ERR, SYS_ERR and the ARF.
public enum OGIPSpectrumReader {
    public static func read(_ path: String) throws -> OGIPSpectrum {
        let doc = try FITSIO.read(path)
        func text(_ t: FITSTable, _ k: String) -> String? {
            if case .string(let s)? = (t.keywords + doc.primaryKeywords).first(named: k)?.value { return s.trimmingCharacters(in: .whitespaces) }
            return nil
        }
        guard let table = doc.tables.first(where: { $0.name.uppercased() == "SPECTRUM" })
            ?? doc.tables.first(where: { text($0, "HDUCLAS1")?.uppercased() == "SPECTRUM" }) else {
            throw FITSError(.missingHDU, file: path, hdu: "SPECTRUM",
                            "expected an OGIP PHA extension SPECTRUM (CHANNEL, COUNTS, EXPOSURE); the file has [\(doc.tables.map(\.name).joined(separator: ", "))]")
        }
        let hdu = table.name
        if text(table, "HDUCLAS4")?.uppercased() == "TYPE:II" {
            throw FITSError(.invalidValue, file: path, hdu: hdu, item: "HDUCLAS4", "a type II PHA file (several spectra); expected type I, one spectrum per file")
        }
        guard table.hasColumn("COUNTS") else {
            let rate = table.hasColumn("RATE") ? " (RATE spectra are not read: give COUNTS)" : ""
            throw FITSError(.missingColumn, file: path, hdu: hdu, item: "COUNTS", "expected a COUNTS column\(rate)")
        }
        let channels = try table.integers("CHANNEL")
        let counts = try table.doubles("COUNTS", unit: nil)
        guard !counts.isEmpty else {
            throw FITSError(.invalidValue, file: path, hdu: hdu, item: "COUNTS", "expected at least one channel, found none")
        }
        let keywords = table.keywords + doc.primaryKeywords
        guard let exposureCard = keywords.first(named: "EXPOSURE") else {
            throw FITSError(.missingKeyword, file: path, hdu: hdu, item: "EXPOSURE",
                            "expected the EXPOSURE keyword: the live time in seconds (OGIP/92-007)")
        }
        let exposure: Double? = switch exposureCard.value { case .double(let d): d; case .int(let i): Double(i); default: nil }
        guard let exposure, exposure.isFinite, exposure > 0 else {
            throw FITSError(.invalidValue, file: path, hdu: hdu, item: "EXPOSURE", "expected an exposure > 0 s, found \(exposureCard.value)")
        }
        let backscal = try perChannel(table, "BACKSCAL", keywords: keywords, count: counts.count, file: path)
        let areascal = try perChannel(table, "AREASCAL", keywords: keywords, count: counts.count, file: path)
        let bad = try quality(table, keywords: keywords, count: counts.count, file: path)
        let folder = (path as NSString).deletingLastPathComponent
        func sibling(_ key: String) -> String? {
            guard let name = text(table, key), !name.isEmpty, name.lowercased() != "none" else { return nil }
            return name.hasPrefix("/") ? name : ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(name)
        }
        let (lo, hi, rmf) = try energies(doc, table, channels: channels, file: path, respfile: sibling("RESPFILE"))
        return OGIPSpectrum(channels: channels, counts: counts, energyLowKeV: lo, energyHighKeV: hi, exposureS: exposure,
                            backscal: backscal, areascal: areascal, bad: bad, backfile: sibling("BACKFILE"),
                            responseFile: rmf, file: path)
    }

    /// A column, else a keyword repeated, else 1; every value finite and > 0.
    static func perChannel(_ t: FITSTable, _ name: String, keywords: [FITSKeyword], count: Int, file: String) throws -> [Double] {
        var values = [Double](repeating: 1, count: count)
        if t.hasColumn(name) {
            values = try t.doubles(name, unit: nil)
        } else if let k = keywords.first(named: name) {
            let v: Double? = switch k.value { case .double(let d): d; case .int(let i): Double(i); default: nil }
            guard let v else { throw FITSError(.wrongType, file: file, hdu: t.name, item: name, "expected a number, found \(k.value)") }
            values = [Double](repeating: v, count: count)
        }
        if let i = values.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw FITSError(.invalidValue, file: file, hdu: t.name, item: "\(name) row \(i + 1)", "expected a value > 0, found \(values[i])")
        }
        return values
    }

    static func quality(_ t: FITSTable, keywords: [FITSKeyword], count: Int, file: String) throws -> [Bool] {
        if t.hasColumn("QUALITY") {
            if case .bool(let b) = try t.column("QUALITY").data { return b }
            return try t.integers("QUALITY").map { $0 != 0 }
        }
        switch keywords.first(named: "QUALITY")?.value {
        case .int(let q)?: return [Bool](repeating: q != 0, count: count)
        case .bool(let q)?: return [Bool](repeating: q, count: count)
        case nil: return [Bool](repeating: false, count: count)
        case let other?: throw FITSError(.wrongType, file: file, hdu: t.name, item: "QUALITY", "expected an integer, found \(other)")
        }
    }

    static func energies(_ doc: FITSDocument, _ table: FITSTable, channels: [Int64], file: String,
                         respfile: String?) throws -> (lo: [Double], hi: [Double], rmf: String?) {
        if table.hasColumn("E_MIN"), table.hasColumn("E_MAX") {
            return (try table.energiesKeV("E_MIN"), try table.energiesKeV("E_MAX"), nil)
        }
        var ebounds = doc.tables.first { $0.name.uppercased() == "EBOUNDS" }
        var source = file, rmf: String?
        if ebounds == nil, let respfile, FileManager.default.fileExists(atPath: respfile) {
            ebounds = try FITSIO.read(respfile).tables.first { $0.name.uppercased() == "EBOUNDS" }
            source = respfile
            rmf = respfile
        }
        guard let ebounds else {
            throw FITSError(.missingHDU, file: file, hdu: "EBOUNDS",
                            "expected channel energies: an EBOUNDS extension (CHANNEL, E_MIN, E_MAX) here or in RESPFILE, or E_MIN/E_MAX columns in SPECTRUM")
        }
        let ch = try ebounds.integers("CHANNEL"), lo = try ebounds.energiesKeV("E_MIN"), hi = try ebounds.energiesKeV("E_MAX")
        let row = Dictionary(ch.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var outLo: [Double] = [], outHi: [Double] = []
        for (i, c) in channels.enumerated() {
            guard let r = row[c] else {
                throw FITSError(.invalidValue, file: source, hdu: "EBOUNDS", item: "CHANNEL",
                                "SPECTRUM row \(i + 1) of \(file) has channel \(c), which EBOUNDS does not list; expected every channel")
            }
            outLo.append(lo[r])
            outHi.append(hi[r])
        }
        return (outLo, outHi, rmf)
    }
}
