/// Text and number output for SVG: XML escaping and deterministic fixed-point formatting
/// (no locale, no platform `printf`), so the same figure always yields the same bytes.
public enum SVGText {
    /// Escapes the five XML special characters; drops characters XML 1.0 forbids
    /// (control characters other than tab, newline and carriage return).
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = scalar.value
                if v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D { continue }
                if v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `x` with `decimals` digits after the point (trailing zeros removed unless
    /// `trimZeros` is false), and no "-0". Non-finite values give "0" (callers filter them).
    public static func fixed(_ x: Double, decimals: Int, trimZeros: Bool = true) -> String {
        guard x.isFinite else { return "0" }
        let d = max(0, min(decimals, 15))
        var scale = 1.0
        for _ in 0..<d { scale *= 10 }
        let r = (x * scale).rounded()
        guard abs(r) < 9.0e15 else { return fixed(x, decimals: max(0, d - 3), trimZeros: trimZeros) }
        var i = Int64(r)
        let negative = i < 0
        if negative { i = -i }
        var digits = String(i)
        if digits.count <= d { digits = String(repeating: "0", count: d + 1 - digits.count) + digits }
        var intPart = String(digits.prefix(digits.count - d))
        var frac = String(digits.suffix(d))
        while trimZeros && frac.hasSuffix("0") { frac.removeLast() }
        if intPart.isEmpty { intPart = "0" }
        let body = frac.isEmpty ? intPart : intPart + "." + frac
        return (negative && i != 0) ? "-" + body : body
    }

    /// A pixel coordinate: two decimals.
    static func px(_ x: Double) -> String { fixed(x, decimals: 2) }

    /// Superscript form of an integer exponent, e.g. -10 → "⁻¹⁰".
    public static func superscript(_ n: Int) -> String {
        let map: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵",
                                           "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻"]
        return String(String(n).map { map[$0] ?? $0 })
    }

    /// Approximate rendered width of `s` in px for a sans-serif font of `fontSize` px
    /// (DejaVu Sans averages about 0.6 em per character). Used for layout only.
    static func width(_ s: String, fontSize: Double) -> Double {
        var w = 0.0
        for ch in s {
            if ch == " " || ch == "." || ch == "," || ch == "(" || ch == ")" || ch == "·" || ch == "/" || ch == "|" {
                w += 0.36
            } else if ch.unicodeScalars.first.map({ (0x2070...0x209F).contains($0.value) || $0.value == 0xB2 || $0.value == 0xB3 || $0.value == 0xB9 }) ?? false {
                w += 0.4     // superscripts
            } else if ch.isUppercase || ch == "m" || ch == "w" || ch == "M" || ch == "W" || ch == "×" || ch == "±" {
                w += 0.72
            } else {
                w += 0.6
            }
        }
        return w * fontSize
    }
}

/// A tiny SVG element writer: attribute values are escaped; order is the call order.
struct SVGElement {
    let name: String
    var attributes: [(String, String)] = []

    init(_ name: String, _ attributes: [(String, String)] = []) {
        self.name = name
        self.attributes = attributes
    }

    private var attributeText: String {
        attributes.map { " \($0.0)=\"\(SVGText.escape($0.1))\"" }.joined()
    }

    /// `<name a="…"/>`
    var empty: String { "<\(name)\(attributeText)/>" }
    /// `<name a="…">text</name>` with the text escaped.
    func text(_ t: String) -> String { "<\(name)\(attributeText)>\(SVGText.escape(t))</\(name)>" }
    /// `<name a="…">` … children … `</name>`
    func wrap(_ children: [String]) -> String {
        "<\(name)\(attributeText)>\n" + children.map { $0 + "\n" }.joined() + "</\(name)>"
    }
}
