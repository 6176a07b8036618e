import Foundation

/// Typed, checked access to the keywords and columns of FITS values. Every failure names
/// the file, the HDU, the column or keyword, and what was expected.

extension Array where Element == FITSKeyword {
    public func first(named name: String) -> FITSKeyword? {
        let upper = name.uppercased()
        return first { $0.name.uppercased() == upper }
    }
}

/// Shared lookup for a keyword list that belongs to some HDU of some file.
struct KeywordLookup {
    let keywords: [FITSKeyword]
    let file: String
    let hdu: String

    func value(_ name: String) throws -> FITSValue {
        guard let k = keywords.first(named: name) else {
            throw FITSError(.missingKeyword, file: file, hdu: hdu, item: name, "keyword \(name) is missing")
        }
        return k.value
    }

    func string(_ name: String) throws -> String {
        switch try value(name) {
        case .string(let s): return s
        case let other: throw wrongType(name, "a string", other)
        }
    }

    func int(_ name: String) throws -> Int {
        switch try value(name) {
        case .int(let i): return i
        case let other: throw wrongType(name, "an integer", other)
        }
    }

    func double(_ name: String) throws -> Double {
        switch try value(name) {
        case .double(let d): return d
        case .int(let i): return Double(i)
        case let other: throw wrongType(name, "a number", other)
        }
    }

    func bool(_ name: String) throws -> Bool {
        switch try value(name) {
        case .bool(let b): return b
        case let other: throw wrongType(name, "a logical (T/F)", other)
        }
    }

    private func wrongType(_ name: String, _ expected: String, _ found: FITSValue) -> FITSError {
        FITSError(.wrongType, file: file, hdu: hdu, item: name, "expected \(expected), found \(found)")
    }
}

extension FITSDocument {
    var fileLabel: String { sourceFile ?? "<memory>" }
    var primaryLookup: KeywordLookup { KeywordLookup(keywords: primaryKeywords, file: fileLabel, hdu: "PRIMARY") }

    public func table(_ name: String) throws -> FITSTable {
        guard let t = tables.first(where: { $0.name.uppercased() == name.uppercased() }) else {
            let have = tables.map(\.name).joined(separator: ", ")
            throw FITSError(.missingHDU, file: fileLabel, hdu: name,
                            "expected a BINTABLE extension named \(name); the file has [\(have)]")
        }
        return t
    }

    public func hasTable(_ name: String) -> Bool { tables.contains { $0.name.uppercased() == name.uppercased() } }

    public func string(_ key: String) throws -> String { try primaryLookup.string(key) }
    public func int(_ key: String) throws -> Int { try primaryLookup.int(key) }
    public func double(_ key: String) throws -> Double { try primaryLookup.double(key) }
    public func bool(_ key: String) throws -> Bool { try primaryLookup.bool(key) }
    public func keyword(_ key: String) -> FITSKeyword? { primaryKeywords.first(named: key) }
}

extension FITSTable {
    var fileLabel: String { sourceFile ?? "<memory>" }
    var lookup: KeywordLookup { KeywordLookup(keywords: keywords, file: fileLabel, hdu: name) }

    public func string(_ key: String) throws -> String { try lookup.string(key) }
    public func int(_ key: String) throws -> Int { try lookup.int(key) }
    public func double(_ key: String) throws -> Double { try lookup.double(key) }
    public func bool(_ key: String) throws -> Bool { try lookup.bool(key) }
    public func keyword(_ key: String) -> FITSKeyword? { keywords.first(named: key) }

    public func column(_ name: String) throws -> FITSColumn {
        guard let c = columns.first(where: { $0.name.uppercased() == name.uppercased() }) else {
            let have = columns.map(\.name).joined(separator: ", ")
            throw FITSError(.missingColumn, file: fileLabel, hdu: self.name, item: name,
                            "expected a column \(name); the table has [\(have)]")
        }
        return c
    }

    public func hasColumn(_ name: String) -> Bool { columns.contains { $0.name.uppercased() == name.uppercased() } }

    /// A floating-point (or integer) column as Doubles, its unit checked against `unit`
    /// (exact match, case-insensitive; pass nil to skip the check).
    public func doubles(_ name: String, unit: String?) throws -> [Double] {
        let c = try column(name)
        if let unit, c.unit.lowercased() != unit.lowercased() {
            throw FITSError(.wrongUnit, file: fileLabel, hdu: self.name, item: name,
                            "expected unit '\(unit)' (TUNIT), found '\(c.unit)'")
        }
        return try Self.asDoubles(c, file: fileLabel, hdu: self.name)
    }

    /// An energy column converted to keV; accepts TUNIT eV, keV or MeV and refuses anything else.
    public func energiesKeV(_ name: String) throws -> [Double] {
        let c = try column(name)
        let values = try Self.asDoubles(c, file: fileLabel, hdu: self.name)
        guard let factor = EnergyUnit.keVFactor(c.unit) else {
            throw FITSError(.wrongUnit, file: fileLabel, hdu: self.name, item: name,
                            "expected an energy unit (eV, keV or MeV) in TUNIT, found '\(c.unit)'")
        }
        return values.map { $0 * factor }
    }

    /// An integer column (int32/int64) as Int64; refuses floating-point columns.
    public func integers(_ name: String) throws -> [Int64] {
        let c = try column(name)
        switch c.data {
        case .int32(let v): return v.map(Int64.init)
        case .int64(let v): return v
        default:
            throw FITSError(.wrongType, file: fileLabel, hdu: self.name, item: name,
                            "expected an integer column (1J or 1K), found \(c.data.typeName)")
        }
    }

    public func bools(_ name: String) throws -> [Bool] {
        let c = try column(name)
        guard case .bool(let v) = c.data else {
            throw FITSError(.wrongType, file: fileLabel, hdu: self.name, item: name,
                            "expected a logical column (1L), found \(c.data.typeName)")
        }
        return v
    }

    static func asDoubles(_ c: FITSColumn, file: String, hdu: String) throws -> [Double] {
        switch c.data {
        case .double(let v): return v
        case .float(let v): return v.map(Double.init)
        case .int32(let v): return v.map(Double.init)
        case .int64(let v): return v.map(Double.init)
        case .bool:
            throw FITSError(.wrongType, file: file, hdu: hdu, item: c.name,
                            "expected a numeric column, found \(c.data.typeName)")
        }
    }
}

/// Energy units accepted in TUNIT and in CSV headers.
public enum EnergyUnit {
    /// Factor that converts a value in `unit` to keV, or nil for a unit that is not an energy.
    public static func keVFactor(_ unit: String) -> Double? {
        switch unit.trimmingCharacters(in: .whitespaces).lowercased() {
        case "ev": 1e-3
        case "kev": 1
        case "mev": 1e3
        default: nil
        }
    }
}
