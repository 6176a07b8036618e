/// Plain-Swift values that describe a FITS file: a primary header and BINTABLE extensions.
/// `FITSIO` (FITSIO.swift) turns them into files through CFITSIO and back; nothing else
/// in nmm touches CFITSIO.

public enum FITSValue: Equatable, Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
}

public struct FITSKeyword: Equatable, Sendable {
    public var name: String
    public var value: FITSValue
    public var comment: String
    public init(_ name: String, _ value: FITSValue, _ comment: String = "") {
        self.name = name
        self.value = value
        self.comment = comment
    }
}

public enum FITSColumnData: Equatable, Sendable {
    case double([Double])   // TFORM 1D
    case float([Float])     // TFORM 1E
    case int32([Int32])     // TFORM 1J
    case int64([Int64])     // TFORM 1K
    case bool([Bool])       // TFORM 1L

    public var count: Int {
        switch self {
        case .double(let v): v.count
        case .float(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .bool(let v): v.count
        }
    }

    public var typeName: String {
        switch self {
        case .double: "double (1D)"
        case .float: "float (1E)"
        case .int32: "int32 (1J)"
        case .int64: "int64 (1K)"
        case .bool: "logical (1L)"
        }
    }
}

public struct FITSColumn: Equatable, Sendable {
    public var name: String
    /// TUNITn; empty for dimensionless columns.
    public var unit: String
    public var data: FITSColumnData
    public init(_ name: String, unit: String, _ data: FITSColumnData) {
        self.name = name
        self.unit = unit
        self.data = data
    }
}

/// One BINTABLE extension (EXTNAME = name).
public struct FITSTable: Equatable, Sendable {
    public var name: String
    public var keywords: [FITSKeyword]
    public var columns: [FITSColumn]
    /// The file this table was read from, for error messages; nil for tables built in memory.
    public var sourceFile: String?

    public init(name: String, keywords: [FITSKeyword] = [], columns: [FITSColumn] = [], sourceFile: String? = nil) {
        self.name = name
        self.keywords = keywords
        self.columns = columns
        self.sourceFile = sourceFile
    }

    public var rowCount: Int { columns.first?.data.count ?? 0 }
}

/// A whole FITS file: primary-HDU keywords (the primary array is empty) and tables.
public struct FITSDocument: Equatable, Sendable {
    public var primaryKeywords: [FITSKeyword]
    public var tables: [FITSTable]
    public var sourceFile: String?

    public init(primaryKeywords: [FITSKeyword] = [], tables: [FITSTable] = [], sourceFile: String? = nil) {
        self.primaryKeywords = primaryKeywords
        self.tables = tables
        self.sourceFile = sourceFile
    }
}

extension FITSValue: CustomStringConvertible {
    /// The value as it reads in an error message: strings quoted (control characters
    /// escaped), logicals as T/F.
    public var description: String {
        switch self {
        case .string(let s): ErrorText.quoted(s)
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): b ? "T" : "F"
        }
    }
}
