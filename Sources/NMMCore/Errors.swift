/// Process exit statuses (BSD sysexits), as fixed in design.md.
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    case usage = 64
    case dataError = 65
    case noInput = 66
    case software = 70
    case cannotCreate = 73
}

/// Every error nmm raises conforms to this: a one-line message that names the file,
/// the HDU/column/line or key, and what was expected, plus the exit status the CLI uses.
public protocol NMMError: Error, CustomStringConvertible, Sendable {
    var exitStatus: ExitStatus { get }
}

/// A generic error for input files and values (used where no module-specific error fits).
public struct InputError: NMMError {
    public let file: String?
    public let field: String?
    public let message: String
    public let exitStatus: ExitStatus

    public init(file: String?, field: String? = nil, _ message: String, status: ExitStatus = .dataError) {
        self.file = file
        self.field = field
        self.message = message
        self.exitStatus = status
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let field { parts.append(field) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}

/// A failure inside nmm itself (a numerical routine that should not fail, a broken invariant).
public struct InternalError: NMMError {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var exitStatus: ExitStatus { .software }
    public var description: String { "internal error: \(message)" }
}

/// Failure to write an output (folder missing or not writable, disk full).
public struct OutputError: NMMError {
    public let file: String
    public let message: String
    public init(file: String, _ message: String) { self.file = file; self.message = message }
    public var exitStatus: ExitStatus { .cannotCreate }
    public var description: String { "\(file): cannot write output: \(message)" }
}
