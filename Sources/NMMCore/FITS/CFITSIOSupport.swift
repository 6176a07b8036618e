internal import CFITSIO
import Foundation

/// Small helpers shared by the CFITSIO reader and writer: turning a status into a
/// `FITSError` (with CFITSIO's text and message stack), C string arrays for `char **`
/// parameters, and keyword-name rules. Only FITSIO.swift and this file call CFITSIO.
enum CFITSIOSupport {
    /// Decodes a NUL-terminated C buffer (String(cString:) on arrays is deprecated in 6.3).
    static func string(_ buf: [CChar]) -> String {
        String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// CFITSIO's short text for a status code (ffgerr = fits_get_errstatus).
    static func statusText(_ status: Int32) -> String {
        var buf = [CChar](repeating: 0, count: Int(FLEN_STATUS) + 1)
        ffgerr(status, &buf)
        return string(buf)
    }

    /// Drains CFITSIO's error-message stack (ffgmsg = fits_read_errmsg), oldest first.
    static func drainMessages() -> [String] {
        var messages: [String] = []
        var buf = [CChar](repeating: 0, count: Int(FLEN_ERRMSG) + 1)
        while ffgmsg(&buf) != 0 {
            let m = string(buf).trimmingCharacters(in: .whitespaces)
            if !m.isEmpty { messages.append(m) }
            if messages.count > 100 { break }
        }
        return messages
    }

    /// Clears the message stack (ffcmsg = fits_clear_errmsg), e.g. after an expected failure.
    static func clearMessages() { ffcmsg() }

    /// An error for a non-zero CFITSIO status: "<what>: CFITSIO status N (<text>)".
    static func error(_ status: Int32, file: String, hdu: String?, item: String?, _ what: String) -> FITSError {
        let text = statusText(status)
        return FITSError(.cfitsio(status: status), file: file, hdu: hdu, item: item,
                         "\(what): CFITSIO status \(status) (\(text))", cfitsioMessages: drainMessages())
    }

    /// Calls `body` with a `char **` holding copies of `strings`; the copies are freed afterwards.
    static func withCStringArray<R>(_ strings: [String],
                                    _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) throws -> R) rethrows -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return try pointers.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
    }

    // MARK: - Keyword names

    /// Mandatory/structural keywords that FITSIO writes itself; they are not user keywords.
    static let structuralNames: Set<String> = [
        "SIMPLE", "BITPIX", "NAXIS", "EXTEND", "CHECKSUM", "DATASUM", "COMMENT", "HISTORY",
        "CONTINUE", "LONGSTRN", "END", "BSCALE", "BZERO", "BLANK",
        "XTENSION", "PCOUNT", "GCOUNT", "TFIELDS", "EXTNAME", "THEAP",
    ]
    /// Indexed structural keywords: NAXISn and the per-column TTYPEn, TFORMn, ...
    static let structuralPrefixes = ["NAXIS", "TTYPE", "TFORM", "TUNIT", "TSCAL", "TZERO",
                                     "TNULL", "TDIM", "TDISP", "TBCOL"]

    static func isStructural(_ name: String) -> Bool {
        let n = name.uppercased()
        if n.isEmpty || structuralNames.contains(n) { return true }
        for p in structuralPrefixes where n.hasPrefix(p) {
            let rest = n.dropFirst(p.count)
            if !rest.isEmpty && rest.allSatisfy(\.isNumber) { return true }
        }
        return false
    }

    /// Checks a user keyword name: 1–8 characters from A–Z, 0–9, '-' and '_', and not one of
    /// the structural keywords FITSIO writes itself. Returns the upper-cased name.
    static func validatedKeywordName(_ name: String, file: String, hdu: String) throws -> String {
        let upper = name.uppercased()
        let allowed = upper.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
        guard !upper.isEmpty, upper.count <= 8, allowed else {
            throw FITSError(.invalidValue, file: file, hdu: hdu, item: name,
                            "invalid keyword name '\(name)': FITS keyword names are 1–8 characters from A–Z, 0–9, '-' and '_'")
        }
        guard !isStructural(upper) else {
            throw FITSError(.invalidValue, file: file, hdu: hdu, item: name,
                            "keyword \(upper) is a structural FITS keyword and is written by nmm itself")
        }
        return upper
    }

    // MARK: - Keyword values as read from a header card

    /// Classifies a raw value string from ffgkyn (ffdtyp = fits_get_keytype) into a FITSValue.
    /// Strings are returned raw here (quotes included); the reader fetches them with ffgkls.
    /// Returns nil for a keyword without a value.
    static func parseValue(_ raw: String, keyword: String, file: String, hdu: String) throws -> FITSValue? {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        var dtype: CChar = 0
        var status: Int32 = 0
        ffdtyp(trimmed, &dtype, &status)
        if status != 0 {
            throw error(status, file: file, hdu: hdu, item: keyword, "cannot classify the value of keyword \(keyword)")
        }
        switch UInt8(bitPattern: dtype) {
        case UInt8(ascii: "C"):
            return .string(trimmed)
        case UInt8(ascii: "L"):
            return .bool(trimmed == "T")
        case UInt8(ascii: "I"):
            if let i = Int(trimmed) { return .int(i) }
            if let d = Double(trimmed) { return .double(d) }
        case UInt8(ascii: "F"):
            let e = trimmed.replacingOccurrences(of: "D", with: "E").replacingOccurrences(of: "d", with: "e")
            if let d = Double(e) { return .double(d) }
        default:
            return .string(trimmed)   // complex values and the like: keep the text
        }
        throw FITSError(.invalidValue, file: file, hdu: hdu, item: keyword,
                        "cannot read the value '\(trimmed)' of keyword \(keyword)")
    }

    /// Rough check that a file starts like a FITS file ("SIMPLE  =" in the first card).
    static func looksLikeFITS(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 9)) ?? Data()
        return head == Data("SIMPLE  =".utf8)
    }
}

/// Small value helpers of the reader and writer.
extension FITSIO {
    static func tform(_ data: FITSColumnData) -> String {
        switch data {
        case .double: "1D"
        case .float: "1E"
        case .int32: "1J"
        case .int64: "1K"
        case .bool: "1L"
        }
    }

    /// Fewest significant digits (15–17) that give back exactly `d` ("0.1", not "0.10000000000000001").
    static func significantDigits(_ d: Double) -> Int32 {
        for digits in 15...16 where Double(String(format: "%.\(digits)G", d)) == d { return Int32(digits) }
        return 17
    }

    /// A quoted FITS string value without its quotes, '' turned into ', trailing blanks dropped.
    static func unquote(_ raw: String) -> String {
        var s = raw.trimmingCharacters(in: .whitespaces)
        if s.hasPrefix("'") && s.hasSuffix("'") && s.count >= 2 {
            s = String(s.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
        }
        return trimTrailingSpaces(s)
    }

    static func trimTrailingSpaces(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }

    static func isPrintableASCII(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
    }

    static func asciiComment(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value >= 0x20 && $0.value < 0x7F ? $0 : "?" }))
    }
}
