/// A config file that cannot be used: names the file, the line when known, the key, and
/// what was expected.
public struct ConfigError: NMMError {
    public let file: String
    public let line: Int?
    public let key: String?
    public let message: String
    public let missing: Bool

    public init(file: String, line: Int? = nil, key: String? = nil, _ message: String, missing: Bool = false) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
        self.missing = missing
    }

    public var exitStatus: ExitStatus { missing ? .noInput : .dataError }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let key { return "\(location): \(key): \(message)" }
        return "\(location): \(message)"
    }
}
