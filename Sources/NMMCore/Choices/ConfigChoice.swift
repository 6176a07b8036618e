/// A choice the config, the products and the CLI name by a fixed word (swift-argument-parser's
/// `ExpressibleByArgument` is added in the nmm target). Decoding an unknown word fails with
/// "expected one of …, found '…'", which the config loader reports with the key and line.
public protocol ConfigChoice: RawRepresentable, Codable, CaseIterable, Sendable, Hashable where RawValue == String {}

extension ConfigChoice {
    /// "a, b or c": the accepted words, for messages.
    public static var choiceList: String {
        let words = allCases.map(\.rawValue)
        return words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + words.last!
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let word = try container.decode(String.self)
        guard let value = Self(rawValue: word) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected \(Self.choiceList), found '\(word)'")
        }
        self = value
    }

    /// Parses a word read from a file (e.g. a FITS card): nil for an unknown word.
    public init?(word: String) { self.init(rawValue: word) }
}
