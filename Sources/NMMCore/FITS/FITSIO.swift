internal import CFITSIO
import Foundation

/// Reads and writes `FITSDocument`s through CFITSIO (the only place in nmm that does).
///
/// Files are opened and created with CFITSIO's "disk file" calls (ffdkopn/ffdkinit), which
/// take the name literally: no extended filename syntax, so `[`, `]` and `+` in a
/// path are just characters. `write` replaces an existing file of the same name.
public enum FITSIO {
    /// Writes `doc`: an empty primary image with the primary keywords, then one BINTABLE per
    /// table (EXTNAME, TTYPE/TFORM/TUNIT, keywords, data), CHECKSUM/DATASUM on every HDU.
    /// The document is validated first (keyword names, column lengths, finite numbers). On a
    /// failure the partly written file is deleted. Errors are `FITSError`s naming `path`.
    /// Tests can stop it before the last table with `TestPausePoint.midWrite`.
    public static func write(_ doc: FITSDocument, to path: String) throws {
        try write(doc, to: path, label: path)
    }

    /// Reads every BINTABLE extension (other HDU types are skipped) and the primary keywords.
    /// A missing file is `.missingFile` (exit 66); a file that is not FITS, a corrupted or
    /// truncated file (checksums are verified where present), or an unsupported column type
    /// is a data error (exit 65).
    public static func read(_ path: String) throws -> FITSDocument {
        try checkReadable(path)
        var status: Int32 = 0
        var fptr: UnsafeMutablePointer<fitsfile>?
        CFITSIOSupport.clearMessages()
        ffdkopn(&fptr, path, READONLY, &status)   // fits_open_diskfile
        if status != 0 {
            let what = CFITSIOSupport.looksLikeFITS(path)
                ? "cannot open the FITS file (it may be truncated or corrupted)"
                : "not a FITS file (it does not begin with SIMPLE = T)"
            throw CFITSIOSupport.error(status, file: path, hdu: nil, item: nil, what)
        }
        defer { var s: Int32 = 0; ffclos(fptr, &s); CFITSIOSupport.clearMessages() }

        var nhdu: Int32 = 0
        ffthdu(fptr, &nhdu, &status)              // fits_get_num_hdus
        try check(status, path, nil, nil, "cannot count the HDUs (the file may be truncated)")
        var doc = FITSDocument(sourceFile: path)
        for index in 1...max(nhdu, 1) {
            var hdutype: Int32 = 0
            ffmahd(fptr, index, &hdutype, &status)  // fits_movabs_hdu
            try check(status, path, "HDU \(index)", nil, "cannot move to HDU \(index) (the file may be truncated)")
            let cards = try readCards(fptr, path, "HDU \(index)")
            let extname = cards.first { $0.name == "EXTNAME" }.map { unquote($0.value) }
            let label = index == 1 ? "PRIMARY" : (extname ?? "HDU \(index)")
            try verifyChecksum(fptr, path, label, index)
            let keywords = try userKeywords(fptr, cards, path, label)
            if index == 1 {
                doc.primaryKeywords = keywords
            } else if hdutype == BINARY_TBL {
                var table = FITSTable(name: extname ?? "", keywords: keywords, sourceFile: path)
                table.columns = try readColumns(fptr, cards, path, label)
                doc.tables.append(table)
            }
        }
        return doc
    }

    /// Every header card of every HDU as written (80-column records, trailing blanks dropped,
    /// END excluded), for `nmm inspect`. Checksums are not verified here; `read` does that.
    public static func headerCards(_ path: String) throws -> [FITSHeader] {
        try checkReadable(path)
        var status: Int32 = 0
        var fptr: UnsafeMutablePointer<fitsfile>?
        CFITSIOSupport.clearMessages()
        ffdkopn(&fptr, path, READONLY, &status)   // fits_open_diskfile
        try check(status, path, nil, nil, "cannot open the FITS file")
        defer { var s: Int32 = 0; ffclos(fptr, &s); CFITSIOSupport.clearMessages() }
        var nhdu: Int32 = 0
        ffthdu(fptr, &nhdu, &status)              // fits_get_num_hdus
        try check(status, path, nil, nil, "cannot count the HDUs (the file may be truncated)")
        var headers: [FITSHeader] = []
        var record = [CChar](repeating: 0, count: Int(FLEN_CARD) + 1)
        for index in 1...max(nhdu, 1) {
            var hdutype: Int32 = 0, nexist: Int32 = 0, nmore: Int32 = 0
            ffmahd(fptr, index, &hdutype, &status)  // fits_movabs_hdu
            ffghsp(fptr, &nexist, &nmore, &status)  // fits_get_hdrspace
            try check(status, path, "HDU \(index)", nil, "cannot read the header of HDU \(index)")
            var cards: [String] = []
            for k in stride(from: Int32(1), through: nexist, by: 1) {
                ffgrec(fptr, k, &record, &status)   // fits_read_record
                try check(status, path, "HDU \(index)", nil, "cannot read header card \(k)")
                cards.append(trimTrailingSpaces(CFITSIOSupport.string(record)))
            }
            let type = index == 1 ? "PRIMARY" : (hdutype == BINARY_TBL ? "BINTABLE" : (hdutype == ASCII_TBL ? "TABLE" : "IMAGE"))
            headers.append(FITSHeader(index: Int(index), type: type, cards: cards))
        }
        return headers
    }

    // MARK: - Writing

    static func write(_ doc: FITSDocument, to path: String, label: String) throws {
        try validate(doc, label)
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue {
                throw FITSError(.cannotWrite, file: label, "is a folder; cannot write a FITS file there")
            }
            do { try FileManager.default.removeItem(atPath: path) } catch {
                throw FITSError(.cannotWrite, file: label, "cannot replace the existing file: \(error.localizedDescription)")
            }
        }
        var status: Int32 = 0
        var fptr: UnsafeMutablePointer<fitsfile>?
        CFITSIOSupport.clearMessages()
        ffdkinit(&fptr, path, &status)            // fits_create_diskfile
        try checkWrite(status, label, nil, nil, "cannot create the file")
        do {
            ffcrim(fptr, 8, 0, nil, &status)      // fits_create_img: empty primary array
            try checkWrite(status, label, "PRIMARY", nil, "cannot create the primary HDU")
            try writeKeywords(fptr, doc.primaryKeywords, label, "PRIMARY")
            ffpcks(fptr, &status)                 // fits_write_chksum
            try checkWrite(status, label, "PRIMARY", nil, "cannot write CHECKSUM/DATASUM")
            for (i, table) in doc.tables.enumerated() {
                if i == doc.tables.count - 1, TestPausePoint.midWrite.markerPath != nil {   // test only
                    ffflus(fptr, &status)         // fits_flush_file: the partial file on disk
                    TestPausePoint.midWrite.reached(writing: path, finalPath: label)
                }
                try writeTable(fptr, table, label)
            }
            ffclos(fptr, &status)                 // fits_close_file
            fptr = nil
            try checkWrite(status, label, nil, nil, "cannot close the file")
        } catch {
            var s: Int32 = 0
            if fptr != nil { ffdelt(fptr, &s) } else { try? FileManager.default.removeItem(atPath: path) }
            CFITSIOSupport.clearMessages()
            throw error
        }
    }

    private static func writeTable(_ fptr: UnsafeMutablePointer<fitsfile>?, _ table: FITSTable, _ file: String) throws {
        var status: Int32 = 0
        let names = table.columns.map(\.name)
        let forms = table.columns.map { tform($0.data) }
        let units = table.columns.map(\.unit)
        CFITSIOSupport.withCStringArray(names) { tt in
            CFITSIOSupport.withCStringArray(forms) { tf in
                CFITSIOSupport.withCStringArray(units) { tu in
                    _ = ffcrtb(fptr, BINARY_TBL, Int64(table.rowCount), Int32(table.columns.count),
                               tt, tf, tu, table.name, &status)   // fits_create_tbl
                }
            }
        }
        try checkWrite(status, file, table.name, nil, "cannot create the BINTABLE")
        try writeKeywords(fptr, table.keywords, file, table.name)
        for (i, column) in table.columns.enumerated() where column.data.count > 0 {
            let col = Int32(i + 1), n = Int64(column.data.count)
            switch column.data {
            case .double(var v): ffpcld(fptr, col, 1, 1, n, &v, &status)  // fits_write_col_dbl
            case .float(var v): ffpcle(fptr, col, 1, 1, n, &v, &status)   // fits_write_col_flt
            case .int32(var v): ffpclk(fptr, col, 1, 1, n, &v, &status)   // fits_write_col_int
            case .int64(var v): ffpcljj(fptr, col, 1, 1, n, &v, &status)  // fits_write_col_lnglng
            case .bool(let b):
                var c = b.map { CChar($0 ? 1 : 0) }
                ffpcll(fptr, col, 1, 1, n, &c, &status)                   // fits_write_col_log
            }
            try checkWrite(status, file, table.name, column.name, "cannot write column \(column.name)")
        }
        ffpcks(fptr, &status)
        try checkWrite(status, file, table.name, nil, "cannot write CHECKSUM/DATASUM")
    }

    private static func writeKeywords(_ fptr: UnsafeMutablePointer<fitsfile>?, _ keywords: [FITSKeyword],
                                      _ file: String, _ hdu: String) throws {
        var status: Int32 = 0
        var usedLongString = false
        for k in keywords {
            let name = try CFITSIOSupport.validatedKeywordName(k.name, file: file, hdu: hdu)
            let comment = asciiComment(k.comment)
            switch k.value {
            case .string(let s):
                // ffpkls = fits_write_key_longstr: a plain card when it fits, CONTINUE cards otherwise.
                ffpkls(fptr, name, s, comment, &status)
                if s.utf8.count + s.filter({ $0 == "'" }).count > 68 { usedLongString = true }
            case .int(let i):
                ffpkyj(fptr, name, Int64(i), comment, &status)              // fits_write_key_lng
            case .double(let d):
                ffpkyd(fptr, name, d, -significantDigits(d), comment, &status) // fits_write_key_dbl
            case .bool(let b):
                ffpkyl(fptr, name, b ? 1 : 0, comment, &status)              // fits_write_key_log
            }
            try checkWrite(status, file, hdu, name, "cannot write keyword \(name)")
        }
        if usedLongString {
            ffplsw(fptr, &status)                 // fits_write_key_longwarn: LONGSTRN = 'OGIP 1.0'
            try checkWrite(status, file, hdu, "LONGSTRN", "cannot write the long-string convention keyword")
        }
    }

    private static func validate(_ doc: FITSDocument, _ file: String) throws {
        try validateKeywords(doc.primaryKeywords, file, "PRIMARY")
        for table in doc.tables {
            guard !table.name.isEmpty, table.name.count <= 68, isPrintableASCII(table.name) else {
                throw FITSError(.invalidValue, file: file, hdu: table.name,
                                "invalid table name '\(table.name)': EXTNAME must be 1–68 printable ASCII characters")
            }
            try validateKeywords(table.keywords, file, table.name)
            for c in table.columns {
                guard !c.name.isEmpty, c.name.count <= 68, isPrintableASCII(c.name), isPrintableASCII(c.unit),
                      c.unit.count <= 68 else {
                    throw FITSError(.invalidValue, file: file, hdu: table.name, item: c.name,
                                    "invalid column name or unit: TTYPE/TUNIT must be printable ASCII, at most 68 characters")
                }
                if c.data.count != table.rowCount {
                    let lengths = table.columns.map { "\($0.name)=\($0.data.count)" }.joined(separator: ", ")
                    throw FITSError(.invalidValue, file: file, hdu: table.name, item: c.name,
                                    "columns of one table must have the same length; found \(lengths)")
                }
            }
        }
    }

    private static func validateKeywords(_ keywords: [FITSKeyword], _ file: String, _ hdu: String) throws {
        for k in keywords {
            let name = try CFITSIOSupport.validatedKeywordName(k.name, file: file, hdu: hdu)
            switch k.value {
            case .double(let d) where !d.isFinite:
                throw FITSError(.invalidValue, file: file, hdu: hdu, item: name,
                                "keyword \(name) = \(d): FITS headers cannot hold NaN or infinity")
            case .string(let s) where !isPrintableASCII(s):
                throw FITSError(.invalidValue, file: file, hdu: hdu, item: name,
                                "keyword \(name): FITS header strings must be printable ASCII")
            default: break
            }
        }
    }

    // MARK: - Reading

    struct Card { let name: String; let value: String; let comment: String }

    private static func checkReadable(_ path: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw FITSError(.missingFile, file: path, "file not found")
        }
        if isDir.boolValue { throw FITSError(.missingFile, file: path, "is a folder, not a FITS file") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw FITSError(.missingFile, file: path, "file is not readable (permission denied)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
        if size == 0 {
            throw FITSError(.cfitsio(status: END_OF_FILE), file: path, "not a FITS file (the file is empty)")
        }
        if size > 0, size % 2880 != 0, CFITSIOSupport.looksLikeFITS(path) {
            throw FITSError(.invalidValue, file: path, "the file is truncated or damaged: its size (\(size) bytes) "
                            + "is not a multiple of the 2880-byte FITS block")
        }
        if path.utf8.count >= Int(FLEN_FILENAME) {
            throw FITSError(.invalidValue, file: path, "path is too long for CFITSIO (\(FLEN_FILENAME - 1) bytes at most)")
        }
    }

    private static func verifyChecksum(_ fptr: UnsafeMutablePointer<fitsfile>?, _ file: String,
                                       _ hdu: String, _ index: Int32) throws {
        var status: Int32 = 0, dataOK: Int32 = 0, hduOK: Int32 = 0
        ffvcks(fptr, &dataOK, &hduOK, &status)    // fits_verify_chksum: 1 ok, 0 absent, -1 wrong
        try check(status, file, hdu, nil, "cannot verify the checksums of HDU \(index) (the file may be truncated)")
        if dataOK == -1 {
            throw FITSError(.invalidValue, file: file, hdu: hdu, item: "DATASUM",
                            "HDU \(index): the data do not match DATASUM; the file is corrupted or truncated")
        }
        if hduOK == -1 {
            throw FITSError(.invalidValue, file: file, hdu: hdu, item: "CHECKSUM",
                            "HDU \(index): the HDU does not match CHECKSUM; the header or data were changed or corrupted")
        }
    }

    private static func readCards(_ fptr: UnsafeMutablePointer<fitsfile>?, _ file: String, _ hdu: String) throws -> [Card] {
        var status: Int32 = 0, nexist: Int32 = 0, nmore: Int32 = 0
        ffghsp(fptr, &nexist, &nmore, &status)    // fits_get_hdrspace
        try check(status, file, hdu, nil, "cannot read the header")
        var cards: [Card] = []
        var name = [CChar](repeating: 0, count: Int(FLEN_KEYWORD) + 1)
        var value = [CChar](repeating: 0, count: Int(FLEN_VALUE) + 1)
        var comment = [CChar](repeating: 0, count: Int(FLEN_COMMENT) + 1)
        if nexist > 0 {
            for k in 1...nexist {
                ffgkyn(fptr, k, &name, &value, &comment, &status)  // fits_read_keyn
                try check(status, file, hdu, nil, "cannot read header card \(k)")
                cards.append(Card(name: CFITSIOSupport.string(name).uppercased(), value: CFITSIOSupport.string(value),
                                  comment: CFITSIOSupport.string(comment).trimmingCharacters(in: .whitespaces)))
            }
        }
        return cards
    }

    private static func userKeywords(_ fptr: UnsafeMutablePointer<fitsfile>?, _ cards: [Card],
                                     _ file: String, _ hdu: String) throws -> [FITSKeyword] {
        var result: [FITSKeyword] = []
        for card in cards where !CFITSIOSupport.isStructural(card.name) {
            guard let value = try CFITSIOSupport.parseValue(card.value, keyword: card.name, file: file, hdu: hdu) else {
                continue
            }
            if case .string = value {
                let (text, comment) = try longString(fptr, card.name, file, hdu)
                result.append(FITSKeyword(card.name, .string(text), comment.isEmpty ? card.comment : comment))
            } else {
                result.append(FITSKeyword(card.name, value, card.comment))
            }
        }
        return result
    }

    /// A string keyword's full value, following CONTINUE cards (ffgkls = fits_read_key_longstr).
    private static func longString(_ fptr: UnsafeMutablePointer<fitsfile>?, _ name: String,
                                   _ file: String, _ hdu: String) throws -> (String, String) {
        var status: Int32 = 0
        var ptr: UnsafeMutablePointer<CChar>?
        var comment = [CChar](repeating: 0, count: Int(FLEN_COMMENT) + 1)
        ffgkls(fptr, name, &ptr, &comment, &status)
        defer { if let ptr { var s: Int32 = 0; fffree(ptr, &s) } }
        try check(status, file, hdu, name, "cannot read string keyword \(name)")
        let comm = CFITSIOSupport.string(comment).trimmingCharacters(in: .whitespaces)
        guard let ptr else { return ("", comm) }
        return (trimTrailingSpaces(String(cString: ptr)), comm)
    }

    private static func readColumns(_ fptr: UnsafeMutablePointer<fitsfile>?, _ cards: [Card],
                                    _ file: String, _ hdu: String) throws -> [FITSColumn] {
        var status: Int32 = 0, ncols: Int32 = 0
        var nrows: Int64 = 0
        ffgncl(fptr, &ncols, &status)             // fits_get_num_cols
        ffgnrwll(fptr, &nrows, &status)           // fits_get_num_rowsll
        try check(status, file, hdu, nil, "cannot read the table size")
        try checkTableFits(fptr, rows: nrows, file, hdu)
        func cardString(_ key: String) -> String? { cards.first { $0.name == key }.map { unquote($0.value) } }
        var columns: [FITSColumn] = []
        for c in 0..<Int(ncols) {
            let col = Int32(c + 1)
            let name = cardString("TTYPE\(col)") ?? "COL\(col)"
            let unit = cardString("TUNIT\(col)") ?? ""
            var typecode: Int32 = 0
            var repeatCount: Int64 = 0, width: Int64 = 0
            ffgtclll(fptr, col, &typecode, &repeatCount, &width, &status)  // fits_get_coltypell
            try check(status, file, hdu, name, "cannot read the type of column \(name)")
            let form = cardString("TFORM\(col)") ?? "?"
            guard [TDOUBLE, TFLOAT, TLONG, TSHORT, TBYTE, TLONGLONG, TLOGICAL].contains(typecode) else {
                throw FITSError(.wrongType, file: file, hdu: hdu, item: name,
                                "column \(name) has TFORM '\(form)'; nmm reads D, E, J, K, L, I and B columns")
            }
            guard repeatCount == 1 else {
                throw FITSError(.wrongType, file: file, hdu: hdu, item: name,
                                "column \(name) has TFORM '\(form)'; nmm reads only scalar columns (repeat count 1)")
            }
            let n = Int(nrows)
            var anynul: Int32 = 0
            let data: FITSColumnData
            switch typecode {
            case TDOUBLE:
                var v = [Double](repeating: 0, count: n)
                if n > 0 { ffgcvd(fptr, col, 1, 1, nrows, 0, &v, &anynul, &status) }
                data = .double(v)
            case TFLOAT:
                var v = [Float](repeating: 0, count: n)
                if n > 0 { ffgcve(fptr, col, 1, 1, nrows, 0, &v, &anynul, &status) }
                data = .float(v)
            case TLONG, TSHORT, TBYTE:
                var v = [Int32](repeating: 0, count: n)
                if n > 0 { ffgcvk(fptr, col, 1, 1, nrows, 0, &v, &anynul, &status) }
                data = .int32(v)
            case TLONGLONG:
                var v = [Int64](repeating: 0, count: n)
                if n > 0 { ffgcvjj(fptr, col, 1, 1, nrows, 0, &v, &anynul, &status) }
                data = .int64(v)
            case TLOGICAL:
                var v = [CChar](repeating: 0, count: n)
                if n > 0 { ffgcvl(fptr, col, 1, 1, nrows, 0, &v, &anynul, &status) }
                data = .bool(v.map { $0 != 0 })
            default:
                throw InternalError("unhandled column type \(typecode)")
            }
            try check(status, file, hdu, name, "cannot read column \(name) (the file may be truncated)")
            columns.append(FITSColumn(name, unit: unit, data))
        }
        return columns
    }

    /// A corrupted NAXIS1/NAXIS2 can claim far more rows than the file holds; allocating for
    /// them would exhaust memory (found by fuzzing). The table's rows × width must fit in the
    /// file after the HDU's data start (overflow-checked: CFITSIO's own product can wrap).
    private static func checkTableFits(_ fptr: UnsafeMutablePointer<fitsfile>?, rows: Int64,
                                       _ file: String, _ hdu: String) throws {
        var status: Int32 = 0, width: Int64 = 0
        var headStart: Int64 = 0, dataStart: Int64 = 0, dataEnd: Int64 = 0
        ffgkyjj(fptr, "NAXIS1", &width, nil, &status)                     // fits_read_key_lnglng
        ffghadll(fptr, &headStart, &dataStart, &dataEnd, &status)        // fits_get_hduaddrll
        try check(status, file, hdu, "NAXIS1", "cannot read the table layout")
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? Int64.max
        let (bytes, overflow) = rows.multipliedReportingOverflow(by: width)
        guard rows >= 0, width >= 0, !overflow, dataStart >= 0, bytes <= size - min(dataStart, size) else {
            throw FITSError(.invalidValue, file: file, hdu: hdu, item: "NAXIS2",
                            "the table claims \(rows) rows of \(width) bytes (NAXIS2 × NAXIS1), more than the \(size)-byte file "
                            + "holds; expected a table that fits in the file (corrupted header or truncated file)")
        }
    }

    // MARK: - Small helpers

    private static func check(_ status: Int32, _ file: String, _ hdu: String?, _ item: String?, _ what: String) throws {
        if status != 0 { throw CFITSIOSupport.error(status, file: file, hdu: hdu, item: item, what) }
    }

    /// Write-side failures are `.cannotWrite` (exit 73), with CFITSIO's status and messages.
    private static func checkWrite(_ status: Int32, _ file: String, _ hdu: String?, _ item: String?, _ what: String) throws {
        if status != 0 {
            let e = CFITSIOSupport.error(status, file: file, hdu: hdu, item: item, what)
            throw FITSError(.cannotWrite, file: file, hdu: hdu, item: item, e.message, cfitsioMessages: e.cfitsioMessages)
        }
    }
}
