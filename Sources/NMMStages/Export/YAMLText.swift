import Foundation

/// A small block-style YAML writer for the HEPData record. Written here rather than with a
/// general encoder because HEPData's validator reads YAML 1.1 (PyYAML), where `1e-05` is a
/// string, not a number: every float is written with a point and a signed exponent
/// (`1.0e-05`), every string double-quoted with JSON-style escapes.
indirect enum YAMLValue: Equatable {
    case string(String)
    case number(Double)
    case integer(Int)
    case map([(String, YAMLValue)])
    case list([YAMLValue])

    static func == (a: YAMLValue, b: YAMLValue) -> Bool { YAMLText.document(a) == YAMLText.document(b) }
}

enum YAMLText {
    /// One YAML document (no `---` line), ending with a newline.
    static func document(_ v: YAMLValue) -> String { lines(v, indent: 0).joined(separator: "\n") + "\n" }

    /// Several documents, each opened by `---` (HEPData's submission.yaml).
    static func documents(_ vs: [YAMLValue]) -> String { vs.map { "---\n" + document($0) }.joined() }

    static func lines(_ v: YAMLValue, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch v {
        case .string, .number, .integer: return [pad + scalar(v)]
        case .map(let pairs):
            if pairs.isEmpty { return [pad + "{}"] }
            return pairs.flatMap { key, value -> [String] in
                let k = pad + self.key(key) + ":"
                switch value {
                case .string, .number, .integer: return [k + " " + scalar(value)]
                case .list(let items) where items.isEmpty: return [k + " []"]
                case .map(let p) where p.isEmpty: return [k + " {}"]
                case .list: return [k] + lines(value, indent: indent)
                case .map: return [k] + lines(value, indent: indent + 2)
                }
            }
        case .list(let items):
            if items.isEmpty { return [pad + "[]"] }
            return items.flatMap { item -> [String] in
                var inner = lines(item, indent: indent + 2)
                inner[0] = pad + "- " + inner[0].dropFirst(indent + 2)
                return inner
            }
        }
    }

    static func scalar(_ v: YAMLValue) -> String {
        switch v {
        case .string(let s): quoted(s)
        case .integer(let i): String(i)
        case .number(let x): number(x)
        case .map, .list: ""
        }
    }

    /// A float PyYAML reads as a float: shortest round-trip digits, always a point, signed exponent.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? ".nan" : (x > 0 ? ".inf" : "-.inf") }
        var s = "\(x)"
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            var mantissa = String(s[..<e]), exponent = String(s[s.index(after: e)...])
            if !mantissa.contains(".") { mantissa += ".0" }
            if !exponent.hasPrefix("-") && !exponent.hasPrefix("+") { exponent = "+" + exponent }
            s = mantissa + "e" + exponent
        } else if !s.contains(".") {
            s += ".0"
        }
        return s
    }

    static func key(_ k: String) -> String {
        let plain = !k.isEmpty && k.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" } && k.first!.isLetter
        return plain ? k : quoted(k)
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    out += String(format: "\\u%04X", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
