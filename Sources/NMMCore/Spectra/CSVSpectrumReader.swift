internal import CSV
import Foundation

/// Reads an input spectrum from CSV. Format (documented in the README):
///
///     # any comment line starts with '#'
///     #! livetime = 4712 h        (units s, h or d)
///     #! mass = 1.06 kg           (units kg or g)
///     E_LO [keV],E_HI [keV],COUNTS
///     12,13,1187
///
/// Energy columns may be in eV, keV or MeV (the unit in brackets in the header).
/// Every error names the file and the line.
public enum CSVSpectrumReader {
    public static func read(_ path: String) throws -> RawSpectrum {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(file: path, "file not found", status: .noInput)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "file cannot be read (permissions?)", status: .noInput)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, "expected UTF-8 CSV text")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> RawSpectrum {
        func bad(_ line: Int?, _ field: String?, _ msg: String) -> InputError {
            InputError(file: line.map { "\(file):\($0)" } ?? file, field: field, msg)
        }
        // Every line end counts (LF, CRLF, a lone CR, U+2028 ...): Swift's "\r\n" is one
        // Character, so splitting on "\n" alone would leave CRLF files in one line.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        var metadata: [String: (value: Double, unit: String, line: Int)] = [:]
        var kept: [(line: Int, text: String)] = []
        for (i, raw) in lines.enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#!") {
                let body = trimmed.dropFirst(2)
                let parts = body.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { throw bad(i + 1, nil, "expected '#! key = value unit', found \(ErrorText.quoted(trimmed))") }
                let valueParts = parts[1].split(separator: " ", omittingEmptySubsequences: true)
                guard let first = valueParts.first, let v = Double(first) else {
                    throw bad(i + 1, parts[0], "expected a number followed by its unit, found \(ErrorText.quoted(parts[1]))")
                }
                if let previous = metadata[parts[0].lowercased()] {
                    throw bad(i + 1, parts[0], "given twice (also on line \(previous.line)); expected one value")
                }
                metadata[parts[0].lowercased()] = (v, valueParts.dropFirst().joined(separator: " "), i + 1)
            } else if trimmed.hasPrefix("#") || trimmed.isEmpty {
                continue
            } else {
                kept.append((i + 1, raw))
            }
        }
        guard let headerLine = kept.first else { throw bad(nil, nil, "expected a header row and at least one data row, found none") }
        let header = try record(headerLine.text, line: headerLine.line, file: file).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let columns = try header.map { try parseHeaderField($0, line: headerLine.line, file: file) }
        guard let iLo = columns.firstIndex(where: { $0.name == "E_LO" }),
              let iHi = columns.firstIndex(where: { $0.name == "E_HI" }),
              let iCounts = columns.firstIndex(where: { $0.name == "COUNTS" }) else {
            throw bad(headerLine.line, "header", "expected columns E_LO [unit], E_HI [unit], COUNTS; found \(header)")
        }
        guard let fLo = EnergyUnit.keVFactor(columns[iLo].unit), let fHi = EnergyUnit.keVFactor(columns[iHi].unit) else {
            throw bad(headerLine.line, "header", "expected energy units eV, keV or MeV in brackets, e.g. 'E_LO [keV]'")
        }
        // One record per physical line, each parsed alone, so every error names its line (a
        // quoted field cannot swallow the next lines and shift the numbering).
        var lo: [Double] = [], hi: [Double] = [], counts: [Double] = []
        for (line, rowText) in kept.dropFirst() {
            let fields = try record(rowText, line: line, file: file)
            guard fields.count == header.count else {
                throw bad(line, nil, "expected \(header.count) fields, found \(fields.count)")
            }
            func number(_ i: Int) throws -> Double {
                let s = fields[i].trimmingCharacters(in: .whitespaces)
                guard let v = Double(s) else {
                    throw bad(line, columns[i].name, "expected a number, found \(ErrorText.quoted(s))")
                }
                return v
            }
            lo.append(try number(iLo) * fLo)
            hi.append(try number(iHi) * fHi)
            counts.append(try number(iCounts))
        }
        guard let live = metadata["livetime"] else {
            throw bad(nil, "livetime", "expected a metadata line '#! livetime = <value> <s|h|d>'")
        }
        guard let tf = MetadataUnit.daysFactor(live.unit) else {
            throw bad(live.line, "livetime", "expected unit s, h or d, found \(ErrorText.quoted(live.unit))")
        }
        guard let mass = metadata["mass"] else { throw bad(nil, "mass", "expected a metadata line '#! mass = <value> kg'") }
        guard let mf = MetadataUnit.kgFactor(mass.unit.isEmpty ? "kg" : mass.unit) else {
            throw bad(mass.line, "mass", "expected unit kg or g, found \(ErrorText.quoted(mass.unit))")
        }
        return RawSpectrum(energyLowKeV: lo, energyHighKeV: hi, counts: counts,
                           liveTimeDays: live.value * tf, massKg: mass.value * mf, sourceFile: file)
    }

    /// The fields of one CSV line (CSV.swift: quotes, escaped quotes, delimiters).
    static func record(_ text: String, line: Int, file: String) throws -> [String] {
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: false) } catch {
            throw InputError(file: "\(file):\(line)", "expected a CSV record, found \(ErrorText.quoted(text))")
        }
        let fields = reader.next() ?? []
        if let e = reader.error {
            throw InputError(file: "\(file):\(line)", "expected a CSV record (\(e)), found \(ErrorText.quoted(text))")
        }
        guard reader.next() == nil else {
            throw InputError(file: "\(file):\(line)", "expected one CSV record on the line, found \(ErrorText.quoted(text))")
        }
        return fields
    }

    static func parseHeaderField(_ field: String, line: Int, file: String) throws -> (name: String, unit: String) {
        guard let open = field.firstIndex(of: "[") else { return (field.uppercased(), "") }
        guard let close = field.firstIndex(of: "]"), close > open else {
            throw InputError(file: "\(file):\(line)", field: "header", "unbalanced '[' in column name \(ErrorText.quoted(field))")
        }
        let name = field[..<open].trimmingCharacters(in: .whitespaces).uppercased()
        let unit = field[field.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
        return (name, unit)
    }

    /// Writes the format this reader expects (used by `nmm simulate --format csv`).
    public static func text(_ s: RawSpectrum, comment: String = "") -> String {
        var out = ""
        for l in comment.split(separator: "\n") { out += "# \(l)\n" }
        out += "#! livetime = \(s.liveTimeDays * 24) h\n#! mass = \(s.massKg) kg\nE_LO [keV],E_HI [keV],COUNTS\n"
        for i in s.counts.indices { out += "\(s.energyLowKeV[i]),\(s.energyHighKeV[i]),\(s.counts[i])\n" }
        return out
    }
}

/// Chooses the reader by file content: FITS files start with "SIMPLE  =".
public enum SpectrumFileReader {
    public static func read(_ path: String) throws -> RawSpectrum {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(file: path, "input spectrum not found", status: .noInput)
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw InputError(file: path, "is a folder; expected a FITS or CSV spectrum file", status: .noInput)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, "input spectrum cannot be opened (permissions?)", status: .noInput)
        }
        let head = (try? handle.read(upToCount: 9)) ?? nil
        try? handle.close()
        guard let head, !head.isEmpty else { throw InputError(file: path, "file is empty; expected a FITS or CSV spectrum") }
        if head.starts(with: Array("SIMPLE  =".utf8)) { return try FITSSpectrumReader.read(path) }
        if path.lowercased().hasSuffix(".fits") || path.lowercased().hasSuffix(".fit") {
            throw InputError(file: path, "not a FITS file (no 'SIMPLE  =' card at the start)")
        }
        return try CSVSpectrumReader.read(path)
    }
}
