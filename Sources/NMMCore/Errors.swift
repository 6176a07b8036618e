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

/// Makes untrusted text (a field of a bad file, a YAML key) safe inside a one-line message.
public enum ErrorText {
    /// `s` in single quotes, control characters escaped (\n, \t, \u{..}), cut after `limit`
    /// characters.
    public static func quoted(_ s: String, limit: Int = 60) -> String {
        let cut = s.count > limit ? String(s.prefix(limit)) + "…" : s
        return "'" + oneLine(cut) + "'"
    }

    /// The text with every control character (line breaks included) escaped, so it prints
    /// as exactly one line.
    public static func oneLine(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
