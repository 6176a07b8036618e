import CFITSIO
import Foundation
@testable import NMMCore
import XCTest

// MARK: - Shared test helpers (used by all NMMCore test files)

/// A fresh temporary folder per test, removed afterwards.
final class TempDir {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-test-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { path + "/" + name }
    func contents() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
    deinit {
        chmod(path, 0o755)
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs `body`, which must throw an E; returns it (nil after recording a failure).
@discardableResult
func assertThrows<E: Error>(_ type: E.Type, file: StaticString = #filePath, line: UInt = #line,
                            _ body: () throws -> Void) -> E? {
    do {
        try body()
        XCTFail("expected \(E.self), nothing was thrown", file: file, line: line)
    } catch let e as E {
        return e
    } catch {
        XCTFail("expected \(E.self), got \(Swift.type(of: error)): \(error)", file: file, line: line)
    }
    return nil
}

/// A document with every keyword and column type, two tables (one of them empty).
func sampleDocument() -> FITSDocument {
    let longText = String(repeating: "a long string value, ", count: 10) + "end"
    let primary = [
        FITSKeyword("TELESCOP", .string("TEXONO"), "experiment"),
        FITSKeyword("QUOTE", .string("it's a 'quoted' value"), "with quotes"),
        FITSKeyword("EMPTYSTR", .string(""), "empty string"),
        FITSKeyword("LONGSTR", .string(longText), "uses CONTINUE"),
        FITSKeyword("NCHAN", .int(1024), "channels"),
        FITSKeyword("BIGINT", .int(Int(Int64.max)), ""),
        FITSKeyword("NEGINT", .int(-42), ""),
        FITSKeyword("EXPOSURE", .double(0.1), "[d]"),
        FITSKeyword("PI", .double(Double.pi), ""),
        FITSKeyword("TINY", .double(-1.2345678901234567e-300), ""),
        FITSKeyword("WHOLE", .double(3.0), "a double with an integral value"),
        FITSKeyword("ONOFF", .bool(true), ""),
        FITSKeyword("BLINDED", .bool(false), ""),
    ]
    let spectrum = FITSTable(name: "SPECTRUM", keywords: [
        FITSKeyword("LIVETIME", .double(180.25), "[d]"),
        FITSKeyword("DETNAME", .string("HPGe-1"), ""),
    ], columns: [
        FITSColumn("E_LO", unit: "keV", .double([1, 1.5, 2.25, Double.leastNonzeroMagnitude])),
        FITSColumn("RATE", unit: "count/(kg keV d)", .float([0.5, -1, Float.greatestFiniteMagnitude, 3.25])),
        FITSColumn("COUNTS", unit: "count", .int32([0, Int32.max, Int32.min, 7])),
        FITSColumn("BIGCOUNT", unit: "", .int64([Int64.min, Int64.max, 0, -1])),
        FITSColumn("GOOD", unit: "", .bool([true, false, true, true])),
    ])
    let empty = FITSTable(name: "EMPTY", keywords: [FITSKeyword("NOTE", .string("no rows"))], columns: [
        FITSColumn("X", unit: "m", .double([])),
        FITSColumn("FLAG", unit: "", .bool([])),
    ])
    return FITSDocument(primaryKeywords: primary, tables: [spectrum, empty])
}

func withSource(_ doc: FITSDocument, _ path: String) -> FITSDocument {
    var d = doc
    d.sourceFile = path
    for i in d.tables.indices { d.tables[i].sourceFile = path }
    return d
}

// MARK: - FITSIO tests

final class FITSIOTests: XCTestCase {
    func testRoundTripEveryColumnAndKeywordType() throws {
        let dir = try TempDir()
        let path = dir.file("all.fits")
        let doc = sampleDocument()
        try FITSIO.write(doc, to: path)
        let back = try FITSIO.read(path)
        let expected = withSource(doc, path)
        XCTAssertEqual(back.primaryKeywords.count, expected.primaryKeywords.count)
        for (a, b) in zip(back.primaryKeywords, expected.primaryKeywords) { XCTAssertEqual(a, b) }
        for (a, b) in zip(back.tables, expected.tables) {
            XCTAssertEqual(a.keywords, b.keywords)
            for (c, d) in zip(a.columns, b.columns) { XCTAssertEqual(c, d) }
        }
        XCTAssertEqual(back, expected)
        XCTAssertEqual(back.tables.map(\.sourceFile), [path, path])
        // The long string needed CONTINUE cards and the LONGSTRN keyword, which is not a user keyword.
        XCTAssertNil(back.keyword("LONGSTRN"))
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertEqual(size % 2880, 0)
    }

    func testOverwriteAndBracketsInPath() throws {
        let dir = try TempDir()
        let path = dir.file("run[1]+x.fits")
        try FITSIO.write(FITSDocument(primaryKeywords: [FITSKeyword("A", .int(1))]), to: path)
        try FITSIO.write(sampleDocument(), to: path)   // replaces the first file
        XCTAssertEqual(try FITSIO.read(path), withSource(sampleDocument(), path))
        XCTAssertEqual(dir.contents(), ["run[1]+x.fits"])
    }

    func testSpecialFloatValuesInColumns() throws {
        let dir = try TempDir()
        let path = dir.file("nan.fits")
        let doc = FITSDocument(tables: [FITSTable(name: "T", columns: [
            FITSColumn("D", unit: "", .double([.nan, .infinity, -0.0])),
            FITSColumn("E", unit: "", .float([.nan, -.infinity, 1])),
        ])])
        try FITSIO.write(doc, to: path)
        let t = try FITSIO.read(path).table("T")
        let d = try t.doubles("D", unit: nil), e = try t.doubles("E", unit: nil)
        XCTAssertTrue(d[0].isNaN && d[1] == .infinity && d[2] == 0 && d[2].sign == .minus)
        XCTAssertTrue(e[0].isNaN && e[1] == -.infinity && e[2] == 1)
    }

    func testMissingFile() throws {
        let dir = try TempDir()
        let e = assertThrows(FITSError.self) { _ = try FITSIO.read(dir.file("nope.fits")) }
        XCTAssertEqual(e?.kind, .missingFile)
        XCTAssertEqual(e?.exitStatus, .noInput)
        XCTAssertTrue(e?.description.contains("nope.fits: file not found") ?? false, e?.description ?? "")
    }

    func testEmptyAndTextFilesAreNotFITS() throws {
        let dir = try TempDir()
        let empty = dir.file("empty.fits"), text = dir.file("text.fits")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        try "E_keV,counts\n1,2\n".write(toFile: text, atomically: false, encoding: .utf8)
        for path in [empty, text] {
            let e = assertThrows(FITSError.self) { _ = try FITSIO.read(path) }
            guard case .cfitsio? = e?.kind else { return XCTFail("expected a CFITSIO error, got \(String(describing: e))") }
            XCTAssertEqual(e?.exitStatus, .dataError)
            XCTAssertTrue(e?.description.contains("not a FITS file") ?? false, e?.description ?? "")
        }
    }

    func testTruncatedFileIsRefused() throws {
        let dir = try TempDir()
        let path = dir.file("cut.fits")
        try FITSIO.write(sampleDocument(), to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        for cut in [data.count / 2, data.count - 100, 2880 + 80, 2880 * 2 + 100] {
            try data.prefix(cut).write(to: URL(fileURLWithPath: path))
            let e = assertThrows(FITSError.self) { _ = try FITSIO.read(path) }
            XCTAssertEqual(e?.exitStatus, .dataError)
            XCTAssertTrue(e?.description.contains("truncated") ?? false, "cut at \(cut): \(e?.description ?? "")")
        }
    }

    func testCorruptedDataAndHeaderAreDetectedByChecksum() throws {
        let dir = try TempDir()
        let path = dir.file("bad.fits")
        try FITSIO.write(sampleDocument(), to: path)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        // The SPECTRUM table data begin at the block after its header: find the 2nd "XTENSION".
        let xtension = Data("XTENSION".utf8)
        let firstExt = try XCTUnwrap(good.range(of: xtension)).lowerBound
        let dataStart = try XCTUnwrap(good.range(of: Data("END     ".utf8), in: firstExt..<good.count)).lowerBound / 2880 * 2880 + 2880
        var bad = good
        bad[dataStart + 3] ^= 0x01
        try bad.write(to: URL(fileURLWithPath: path))
        var e = assertThrows(FITSError.self) { _ = try FITSIO.read(path) }
        XCTAssertEqual(e?.item, "DATASUM")
        XCTAssertEqual(e?.hdu, "SPECTRUM")
        XCTAssertEqual(e?.exitStatus, .dataError)
        XCTAssertTrue(e?.description.contains("corrupted") ?? false, e?.description ?? "")

        // A changed header value (TELESCOP 'TEXONO' -> 'TEXONP') breaks CHECKSUM of the primary HDU.
        bad = good
        let at = try XCTUnwrap(good.range(of: Data("TEXONO".utf8))).lowerBound
        bad[at + 5] = UInt8(ascii: "P")
        try bad.write(to: URL(fileURLWithPath: path))
        e = assertThrows(FITSError.self) { _ = try FITSIO.read(path) }
        XCTAssertEqual(e?.item, "CHECKSUM")
        XCTAssertEqual(e?.hdu, "PRIMARY")
    }

    func testCheckedGettersReportMissingAndWrongThings() throws {
        let dir = try TempDir()
        let path = dir.file("doc.fits")
        try FITSIO.write(sampleDocument(), to: path)
        let doc = try FITSIO.read(path)
        let t = try doc.table("spectrum")
        XCTAssertEqual(assertThrows(FITSError.self) { _ = try doc.table("BACKGROUND") }?.kind, .missingHDU)
        XCTAssertEqual(assertThrows(FITSError.self) { _ = try t.column("E_HI") }?.kind, .missingColumn)
        XCTAssertEqual(assertThrows(FITSError.self) { _ = try doc.double("LIVETIME") }?.kind, .missingKeyword)
        XCTAssertEqual(assertThrows(FITSError.self) { _ = try t.doubles("E_LO", unit: "MeV") }?.kind, .wrongUnit)
        XCTAssertEqual(assertThrows(FITSError.self) { _ = try t.integers("E_LO") }?.kind, .wrongType)
        XCTAssertEqual(assertThrows(FITSError.self) { _ = try t.bools("COUNTS") }?.kind, .wrongType)
        XCTAssertEqual(assertThrows(FITSError.self) { _ = try t.doubles("GOOD", unit: nil) }?.kind, .wrongType)
        XCTAssertEqual(assertThrows(FITSError.self) { _ = try doc.int("TELESCOP") }?.kind, .wrongType)
        let wrong = assertThrows(FITSError.self) { _ = try t.doubles("E_LO", unit: "MeV") }
        XCTAssertEqual(wrong?.file, path)
        XCTAssertEqual(try t.energiesKeV("E_LO")[1], 1.5)
        XCTAssertEqual(try doc.double("EXPOSURE"), 0.1)
        XCTAssertEqual(try t.string("DETNAME"), "HPGe-1")
        XCTAssertEqual(try doc.bool("ONOFF"), true)
    }

    func testInvalidDocumentsAreRefusedBeforeWriting() throws {
        let dir = try TempDir()
        let path = dir.file("x.fits")
        let ragged = FITSDocument(tables: [FITSTable(name: "T", columns: [
            FITSColumn("A", unit: "", .double([1, 2])), FITSColumn("B", unit: "", .int32([1])),
        ])])
        let e = assertThrows(FITSError.self) { try FITSIO.write(ragged, to: path) }
        XCTAssertTrue(e?.description.contains("same length") ?? false, e?.description ?? "")
        for bad in [FITSKeyword("TOOLONGNAME", .int(1)), FITSKeyword("BAD NAME", .int(1)),
                    FITSKeyword("NAXIS", .int(1)), FITSKeyword("TTYPE3", .string("x")),
                    FITSKeyword("NOTNUM", .double(.nan)), FITSKeyword("MU", .string("µ"))] {
            let err = assertThrows(FITSError.self) { try FITSIO.write(FITSDocument(primaryKeywords: [bad]), to: path) }
            XCTAssertEqual(err?.kind, .invalidValue, bad.name)
        }
        XCTAssertEqual(dir.contents(), [])
    }

    /// Files written by other tools: 16-bit and byte columns read as int32, an image extension is
    /// skipped, and string or vector columns are refused naming the column.
    func testForeignColumnTypes() throws {
        let dir = try TempDir()
        let path = dir.file("foreign.fits")
        var status: Int32 = 0
        var fptr: UnsafeMutablePointer<fitsfile>?
        ffinit(&fptr, path, &status)
        ffcrim(fptr, 8, 0, nil, &status)
        var naxes: [Int] = [3]
        ffcrim(fptr, 16, 1, &naxes, &status)                      // an IMAGE extension: skipped
        func table(_ name: String, _ forms: [String]) {
            CFITSIOSupport.withCStringArray(forms.indices.map { "C\($0 + 1)" }) { tt in
                CFITSIOSupport.withCStringArray(forms) { tf in
                    _ = ffcrtb(fptr, BINARY_TBL, 2, Int32(forms.count), tt, tf, nil, name, &status)
                }
            }
        }
        table("SMALLINTS", ["1I", "1B"])
        var shorts: [Int32] = [-3, 200], bytes: [Int32] = [3, 255]
        ffpclk(fptr, 1, 1, 1, 2, &shorts, &status)
        ffpclk(fptr, 2, 1, 1, 2, &bytes, &status)
        table("STRINGS", ["8A"])
        table("VECTOR", ["2D"])
        ffclos(fptr, &status)
        XCTAssertEqual(status, 0)

        let e = assertThrows(FITSError.self) { _ = try FITSIO.read(path) }
        XCTAssertEqual(e?.kind, .wrongType)
        XCTAssertEqual(e?.item, "C1")
        XCTAssertEqual(e?.hdu, "STRINGS")
        XCTAssertTrue(e?.description.contains("8A") ?? false, e?.description ?? "")

        // Without the string and vector tables the file reads; the IMAGE HDU is skipped.
        ffopen(&fptr, path, READWRITE, &status)
        ffmahd(fptr, 5, nil, &status); ffdhdu(fptr, nil, &status)
        ffmahd(fptr, 4, nil, &status); ffdhdu(fptr, nil, &status)
        ffclos(fptr, &status)
        XCTAssertEqual(status, 0)
        let doc = try FITSIO.read(path)
        XCTAssertEqual(doc.tables.map(\.name), ["SMALLINTS"])
        XCTAssertEqual(try doc.table("SMALLINTS").integers("C1"), [-3, 200])
        XCTAssertEqual(try doc.table("SMALLINTS").integers("C2"), [3, 255])
    }

    func testShortestRoundTripDigits() {
        XCTAssertEqual(FITSIO.significantDigits(0.1), 15)
        XCTAssertEqual(FITSIO.significantDigits(Double.pi), 16)
        XCTAssertEqual(FITSIO.unquote("'it''s  '"), "it's")
    }
}
