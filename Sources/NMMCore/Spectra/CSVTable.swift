import Foundation

/// A CSV table in nmm's input style (the spectrum CSV of the README): '#' comment lines,
/// '#! key = value' metadata lines, a header row of names with units in brackets
/// ("START [h]"), then one record per line. Every error names the file and the line.
struct CSVTable {
    struct Row {
        let line: Int
        let fields: [String]
        let file: String
        let header: [(name: String, unit: String)]

        func number(_ column: Int) throws -> Double {
            let s = fields[column].trimmingCharacters(in: .whitespaces)
            guard let v = Double(s) else {
                throw InputError(file: "\(file):\(line)", field: header[column].name, "expected a number, found \(ErrorText.quoted(s))")
            }
            return v
        }
    }

    var metadata: [String: (text: String, line: Int)] = [:]
    var header: [(name: String, unit: String)] = []
    var headerLine = 0
    var rows: [Row] = []
    let file: String

    func columnIndex(_ name: String) throws -> Int {
        guard let i = header.firstIndex(where: { $0.name == name }) else {
            throw InputError(file: "\(file):\(headerLine)", field: "header",
                             "expected a column \(name); the header has [\(header.map(\.name).joined(separator: ", "))]")
        }
        return i
    }

    static func parse(_ text: String, file: String) throws -> CSVTable {
        var table = CSVTable(file: file)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        var body: [(line: Int, text: String)] = []
        for (i, raw) in lines.enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#!") {
                let parts = trimmed.dropFirst(2).split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty else {
                    throw InputError(file: "\(file):\(i + 1)", "expected '#! key = value', found \(ErrorText.quoted(trimmed))")
                }
                let key = parts[0].lowercased()
                if let previous = table.metadata[key] {
                    throw InputError(file: "\(file):\(i + 1)", field: parts[0], "given twice (also on line \(previous.line)); expected one value")
                }
                table.metadata[key] = (parts[1], i + 1)
            } else if !trimmed.hasPrefix("#"), !trimmed.isEmpty {
                body.append((i + 1, raw))
            }
        }
        guard let head = body.first else {
            throw InputError(file: file, "expected a header row and at least one data row, found none")
        }
        table.headerLine = head.line
        table.header = try CSVSpectrumReader.record(head.text, line: head.line, file: file).map {
            try CSVSpectrumReader.parseHeaderField($0.trimmingCharacters(in: .whitespaces), line: head.line, file: file)
        }
        for (line, text) in body.dropFirst() {
            let fields = try CSVSpectrumReader.record(text, line: line, file: file)
            guard fields.count == table.header.count else {
                throw InputError(file: "\(file):\(line)", "expected \(table.header.count) fields, found \(fields.count)")
            }
            table.rows.append(Row(line: line, fields: fields, file: file, header: table.header))
        }
        return table
    }
}
