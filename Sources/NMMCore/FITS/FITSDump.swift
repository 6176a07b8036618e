/// The header of one HDU as written: its 80-column cards (END excluded).
public struct FITSHeader: Equatable, Sendable {
    public var index: Int
    /// PRIMARY, BINTABLE, TABLE or IMAGE.
    public var type: String
    public var cards: [String]
    public init(index: Int, type: String, cards: [String]) {
        self.index = index
        self.type = type
        self.cards = cards
    }

    /// The keyword of a card (columns 1–8, blanks dropped); "" for a blank card.
    public static func keyword(of card: String) -> String {
        String(card.prefix(8)).trimmingCharacters(in: .whitespaces).uppercased()
    }
}

/// A deterministic text dump of a FITS file (`nmm inspect`): every header card and every
/// table cell, so that `diff` of two dumps shows exactly where two files differ.
/// Numbers are printed in their shortest exact form (Swift's `description`), so equal text
/// means equal values bit for bit (NaN payloads aside).
public enum FITSDump {
    /// Keywords that change on every write of the same content: the write time and the checksums.
    public static let volatileKeywords: Set<String> = ["DATE", "CHECKSUM", "DATASUM"]

    /// Reads `path` (checksums verified) and renders it; cards whose keyword is in `omitting` are left out.
    public static func render(path: String, omitting: Set<String> = []) throws -> String {
        let headers = try FITSIO.headerCards(path)
        let doc = try FITSIO.read(path)
        return render(headers: headers, document: doc, omitting: omitting)
    }

    /// Pure rendering of headers (as written) and table data (as read).
    public static func render(headers: [FITSHeader], document: FITSDocument, omitting: Set<String> = []) -> String {
        let omit = Set(omitting.map { $0.uppercased() })
        var lines: [String] = []
        var tables = document.tables[...]
        for h in headers {
            let table = h.type == "BINTABLE" ? tables.popFirst() : nil
            var title = "HDU \(h.index) \(h.type)"
            if let table {
                title += " \(table.name): \(table.rowCount) rows, \(table.columns.count) columns"
            }
            lines.append(title)
            for card in h.cards where !omit.contains(FITSHeader.keyword(of: card)) {
                lines.append("  " + card)
            }
            if let table, !table.columns.isEmpty {
                lines.append("  data: " + table.columns.map { "\($0.name) [\(FITSIO.tform($0.data))\($0.unit.isEmpty ? "" : " " + $0.unit)]" }
                    .joined(separator: " | "))
                for row in 0..<table.rowCount {
                    lines.append("  \(row + 1): " + table.columns.map { cell($0.data, row) }.joined(separator: " | "))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func cell(_ data: FITSColumnData, _ row: Int) -> String {
        switch data {
        case .double(let v): v[row].description
        case .float(let v): v[row].description
        case .int32(let v): v[row].description
        case .int64(let v): v[row].description
        case .bool(let v): v[row] ? "T" : "F"
        }
    }
}
