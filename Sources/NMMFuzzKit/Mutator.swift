/// Seeded, deterministic mutations of valid inputs (the fallback and companion of libFuzzer):
/// bit flips, byte sets, deletions, insertions of tokens that readers trip on, truncations,
/// duplications, and FITS-aware rewrites of a header card's value.
public struct Mutator: Sendable {
    /// SplitMix64: tiny, seedable, good enough to pick mutations.
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    /// Text that readers have reasons to choke on: non-finite and huge numbers, signs,
    /// delimiters, quotes, line ends, YAML anchors/tags, FITS quotes and keywords.
    static let tokens: [String] = [
        "nan", "NaN", "-nan", "inf", "-inf", "1e309", "-1e309", "1e15", "1e20", "-1", "-0", "0", "0.0",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "4294967296", "2147483648", "1e-320", ".", "..", ",", ",,", "\"", "'", "''", "\n", "\r", "\r\n",
        "\t", "#", "#!", "#! livetime = ", "#! mass = ", "[", "]", "[eV]", "[MeV]", "{", "}", ":", ": ",
        "- ", "&a ", "*a", "!!binary ", "!!float ", "? ", "|", ">", "~", "null", "true", "---", "...",
        "E_LO", "E_HI", "COUNTS", "keV", "eV", "T", "F", "(", ")", "((((", "))", "H99999999999999999999",
        "\u{0}", "\u{FEFF}", "é", "\u{2028}", "SIMPLE  =", "END     ", "XTENSION= 'BINTABLE'",
        "NAXIS2  =", "TFORM1  = '1D      '", "TFORM1  = '8A      '", "TFORM2  = '100000000D'", "CONTINUE  '",
    ]

    /// Values written into FITS header cards (right-justified in columns 11–30).
    static let cardValues: [String] = [
        "0", "1", "-1", "2", "7", "1000000", "2147483647", "2147483648", "-2147483649",
        "9223372036854775807", "99999999999999999999", "1E308", "-1E308", "1.5", "'A'", "T", "F", "''",
        "'1D'", "'1K'", "'1L'", "'8A'", "'2D'", "'0D'", "'1PD(5)'", "'BINTABLE'", "'IMAGE'",
    ]

    /// 1–4 random mutations of `input`.
    public mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var b = input
        for _ in 0..<(1 + below(4)) { mutateOnce(&b) }
        return b
    }

    mutating func mutateOnce(_ b: inout [UInt8]) {
        switch below(9) {
        case 0 where !b.isEmpty:                                   // flip a bit
            b[below(b.count)] ^= UInt8(1 << below(8))
        case 1 where !b.isEmpty:                                   // set a byte
            b[below(b.count)] = UInt8(truncatingIfNeeded: next())
        case 2 where !b.isEmpty:                                   // delete a range
            let at = below(b.count), n = min(1 + below(16), b.count - at)
            b.removeSubrange(at..<(at + n))
        case 3:                                                    // insert a token
            let t = Array(Self.tokens[below(Self.tokens.count)].utf8)
            b.insert(contentsOf: t, at: below(b.count + 1))
        case 4 where !b.isEmpty:                                   // overwrite with a token
            let t = Array(Self.tokens[below(Self.tokens.count)].utf8)
            let at = below(b.count)
            for (i, c) in t.enumerated() where at + i < b.count { b[at + i] = c }
        case 5 where !b.isEmpty:                                   // truncate
            b.removeSubrange(below(b.count)...)
        case 6 where b.count > 1:                                  // duplicate a range
            let at = below(b.count), n = min(1 + below(64), b.count - at)
            b.insert(contentsOf: b[at..<(at + n)], at: below(b.count + 1))
        case 7 where b.count >= 2880:                              // rewrite a FITS card value
            let cards = b.count / 80
            let card = below(min(cards, 36 * 4)) * 80
            let v = Array(Self.cardValues[below(Self.cardValues.count)].utf8)
            guard card + 30 <= b.count, b[card + 8] == UInt8(ascii: "=") else { return }
            for i in 10..<30 { b[card + i] = UInt8(ascii: " ") }
            if v.first == UInt8(ascii: "'") {
                for (i, c) in v.enumerated() where 10 + i < 80 { b[card + 10 + i] = c }
            } else {
                for (i, c) in v.enumerated() where 30 - v.count + i >= 10 { b[card + 30 - v.count + i] = c }
            }
        case 8 where !b.isEmpty:                                   // swap two bytes
            b.swapAt(below(b.count), below(b.count))
        default:
            b.append(UInt8(truncatingIfNeeded: next()))
        }
    }
}
