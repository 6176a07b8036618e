import NMMCore

/// Parses a chemical formula such as "CF4", "C2H6", "NaI", "Ca(OH)2" or "C0.5H" into
/// element counts per formula unit. Symbols are case-sensitive ("Co" ≠ "CO"); counts may be
/// integers or decimals; parentheses nest. Unknown symbols and malformed text throw.
public enum ChemicalFormula {
    public static func parse(_ formula: String) throws -> [(element: Element, count: Double)] {
        var parser = Parser(text: Array(formula.unicodeScalars), formula: formula)
        let counts = try parser.group(depth: 0)
        guard parser.position == parser.text.count else {
            throw parser.error("unexpected '\(parser.text[parser.position])' at position \(parser.position + 1)")
        }
        guard !counts.isEmpty else { throw parser.error("contains no element") }
        return counts
    }

    private struct Parser {
        static let maxNesting = 16
        let text: [Unicode.Scalar]
        let formula: String
        var position = 0

        func error(_ message: String) -> PhysicsError {
            PhysicsError(.invalidFormula, field: "formula", "\(ErrorText.quoted(formula)): \(message)")
        }

        /// A sequence of (element | '(' group ')') [count] until ')' or the end.
        mutating func group(depth: Int) throws -> [(element: Element, count: Double)] {
            var result: [(element: Element, count: Double)] = []
            // Keeps the order of first appearance, merging repeated elements.
            func add(_ element: Element, _ count: Double) {
                if let i = result.firstIndex(where: { $0.element == element }) { result[i].count += count }
                else { result.append((element, count)) }
            }
            while position < text.count {
                let c = text[position]
                if c == "(" {
                    // Recursion depth = nesting depth: cap it, or a formula of many '(' would
                    // overflow the stack (a crash, found by a deep-nesting probe of the config).
                    guard depth < Self.maxNesting else { throw error("parentheses nested deeper than \(Self.maxNesting) levels") }
                    position += 1
                    let inner = try group(depth: depth + 1)
                    guard position < text.count, text[position] == ")" else { throw error("unbalanced '('") }
                    position += 1
                    let n = try count()
                    for (s, k) in inner { add(s, k * n) }
                } else if c == ")" {
                    guard depth > 0 else { throw error("unbalanced ')'") }
                    return result
                } else if c.properties.isUppercase, c.isASCII {
                    var symbol = String(c)
                    position += 1
                    while position < text.count, text[position].isASCII, text[position].properties.isLowercase {
                        symbol.unicodeScalars.append(text[position])
                        position += 1
                    }
                    guard let element = Element.lookup(symbol) else {
                        throw PhysicsError(.unknownElement, field: "formula",
                                           "\(ErrorText.quoted(formula)): unknown element \(ErrorText.quoted(symbol))")
                    }
                    add(element, try count())
                } else {
                    throw error("unexpected '\(c)' at position \(position + 1)")
                }
            }
            return result
        }

        /// An optional positive count (integer or decimal); 1 when absent.
        mutating func count() throws -> Double {
            let start = position
            while position < text.count, text[position] == "." || ("0"..."9").contains(text[position]) { position += 1 }
            guard position > start else { return 1 }
            let digits = String(String.UnicodeScalarView(text[start..<position]))
            guard let n = Double(digits), n.isFinite, n > 0 else { throw error("bad count '\(digits)'") }
            return n
        }
    }
}
