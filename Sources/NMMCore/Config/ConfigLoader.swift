import Foundation
internal import Yams

/// Reads a YAML config into `AnalysisConfig`: syntax errors with line and column, unknown
/// (e.g. misspelt) keys named with their line and the closest known key, type errors with
/// the key path and line, then the semantic checks of ConfigValidation.swift.
public enum ConfigLoader {
    public static func load(path: String) throws -> AnalysisConfig {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigError(file: path, "config file not found", missing: true)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, "config file cannot be read (permissions?)", missing: true)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, "config file is not UTF-8 text")
        }
        var config = try parse(text: text, file: path)
        config.sourcePath = path
        config.sha256 = SHA256Hex.of(data: data)
        do {
            try config.validate()
        } catch let e as ConfigError where e.line == nil && e.key != nil {
            // The semantic checks name a key path; give it the line it stands on.
            throw ConfigError(file: e.file, line: line(of: e.key!, in: text), key: e.key, e.message, missing: e.missing)
        }
        return config
    }

    /// The line of a key path such as `systematics[1].samples` in the YAML text, if it is there.
    static func line(of keyPath: String, in text: String) -> Int? {
        guard var node = try? Yams.compose(yaml: text) else { return nil }
        var line = node.mark?.line
        for part in keyPath.split(separator: ".") {
            let pieces = part.split(separator: "[", omittingEmptySubsequences: false)
            let name = String(pieces[0])
            if !name.isEmpty {
                guard let mapping = node.mapping, let entry = mapping.first(where: { $0.key.string == name }) else { return line }
                line = entry.key.mark?.line
                node = entry.value
            }
            for index in pieces.dropFirst() {
                guard let i = Int(index.dropLast()), let seq = node.sequence, i >= 0, i < seq.count else { return line }
                node = seq[i]
                line = node.mark?.line
            }
        }
        return line
    }

    /// Parse without validation or file access (used by load and by tests).
    public static func parse(text: String, file: String) throws -> AnalysisConfig {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigError(file: file, "config file is empty; expected a YAML mapping (see config/default.yaml)")
            }
            root = node
        } catch let e as ConfigError {
            throw e
        } catch let e as YamlError {
            throw syntaxError(e, file: file)
        } catch {
            throw ConfigError(file: file, "cannot parse YAML: \(error)")
        }
        guard root.mapping != nil else {
            throw ConfigError(file: file, line: root.mark?.line, "expected a YAML mapping of sections at the top level")
        }
        if let unknown = unknownKeys(in: root, schema: ConfigSchema.node, path: []).first {
            throw unknown.error(file: file)
        }
        do {
            return try YAMLDecoder().decode(AnalysisConfig.self, from: root)
        } catch let e as DecodingError {
            throw decodingError(e, root: root, file: file)
        }
    }

    private static func syntaxError(_ e: YamlError, file: String) -> ConfigError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return ConfigError(file: file, line: mark.line, "YAML syntax error: \(problem) (column \(mark.column))")
        default:
            return ConfigError(file: file, "YAML error: \(e)")
        }
    }

    private static func decodingError(_ e: DecodingError, root: Node, file: String) -> ConfigError {
        func locate(_ path: [CodingKey]) -> (String, Int?) {
            let key = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            let node = path.reduce(Optional(root)) { n, k in
                k.intValue.map { n?.sequence?[$0] } ?? n?.mapping?[k.stringValue]
            }
            return (key, node?.mark?.line)
        }
        switch e {
        case .typeMismatch(let type, let ctx), .valueNotFound(let type, let ctx):
            let (key, line) = locate(ctx.codingPath)
            return ConfigError(file: file, line: line, key: key, "expected \(describe(type))")
        case .keyNotFound(let k, let ctx):
            let (parent, line) = locate(ctx.codingPath)
            let key = parent.isEmpty ? k.stringValue : parent + "." + k.stringValue
            return ConfigError(file: file, line: line, key: key, "required key is missing")
        case .dataCorrupted(let ctx):
            let (key, line) = locate(ctx.codingPath)
            return ConfigError(file: file, line: line, key: key.isEmpty ? nil : key, ctx.debugDescription)
        @unknown default:
            return ConfigError(file: file, "\(e)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type: "a number"
        case is Int.Type: "an integer"
        case is UInt64.Type: "a non-negative integer"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        default: "a value of type \(type)"
        }
    }

    struct UnknownKey {
        let path: [String]
        let line: Int?
        let suggestion: String?
        func error(file: String) -> ConfigError {
            var msg = "unknown key"
            if let suggestion { msg += "; did you mean '\(suggestion)'?" }
            return ConfigError(file: file, line: line, key: path.joined(separator: "."), msg)
        }
    }

    static func unknownKeys(in node: Node, schema: ConfigSchema.Shape, path: [String]) -> [UnknownKey] {
        switch schema {
        case .leaf:
            return []
        case .list(let element):
            return (node.sequence.map(Array.init) ?? []).enumerated().flatMap {
                unknownKeys(in: $0.element, schema: element, path: path + ["[\($0.offset)]"])
            }
        case .map(let fields):
            guard let mapping = node.mapping else { return [] }
            return mapping.flatMap { key, value -> [UnknownKey] in
                let name = key.string ?? "?"
                guard let sub = fields[name] else {
                    let best = fields.keys.min { editDistance($0, name) < editDistance($1, name) }
                    let suggestion = best.flatMap { editDistance($0, name) <= max(2, name.count / 3) ? $0 : nil }
                    return [UnknownKey(path: path + [name], line: key.mark?.line, suggestion: suggestion)]
                }
                return unknownKeys(in: value, schema: sub, path: path + [name])
            }
        case .freeMap:
            return []
        }
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        var prev = Array(0...y.count)
        for i in 1...max(x.count, 1) where !x.isEmpty {
            var cur = [i] + Array(repeating: 0, count: y.count)
            for j in 1...max(y.count, 1) where !y.isEmpty {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return x.isEmpty ? y.count : prev[y.count]
    }
}
