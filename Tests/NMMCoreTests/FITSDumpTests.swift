import Foundation
@testable import NMMCore
import XCTest

/// `nmm inspect`: every card and cell as text, deterministic, with volatile cards left out on request.
final class FITSDumpTests: XCTestCase {
    func testDumpShowsCardsAndExactCells() throws {
        let dir = try TempDir()
        let doc = FITSDocument(primaryKeywords: [FITSKeyword("NMMTYPE", .string("LIMIT")), FITSKeyword("DATE", .string("2024-01-01T00:00:00"))],
                               tables: [FITSTable(name: "BELT", keywords: [FITSKeyword("SEED", .int(7))], columns: [
                                   FITSColumn("KAPPA", unit: "1e-20 mu_B2", .double([0.1, 1.0 / 3.0, .nan])),
                                   FITSColumn("NTOYS", unit: "", .int64([10, 20, 30])),
                                   FITSColumn("OK", unit: "", .bool([true, false, true])),
                               ])])
        try FITSIO.write(doc, to: dir.file("a.fits"))
        let full = try FITSDump.render(path: dir.file("a.fits"))
        XCTAssertTrue(full.contains("HDU 1 PRIMARY\n"), full)
        XCTAssertTrue(full.contains("HDU 2 BINTABLE BELT: 3 rows, 3 columns"), full)
        XCTAssertTrue(full.contains("  NMMTYPE = 'LIMIT"), full)
        XCTAssertTrue(full.contains("  DATE    = "), full)
        XCTAssertTrue(full.contains("  CHECKSUM= "), full)
        XCTAssertTrue(full.contains("  data: KAPPA [1D 1e-20 mu_B2] | NTOYS [1K] | OK [1L]"), full)
        XCTAssertTrue(full.contains("  2: 0.3333333333333333 | 20 | F\n"), full)
        XCTAssertTrue(full.contains("  3: nan | 30 | T\n"), full)

        // The same content written again: equal once DATE/CHECKSUM/DATASUM are left out.
        var later = doc
        later.primaryKeywords[1].value = .string("2025-06-30T12:00:00")
        try FITSIO.write(later, to: dir.file("b.fits"))
        let a = try FITSDump.render(path: dir.file("a.fits"), omitting: FITSDump.volatileKeywords)
        let b = try FITSDump.render(path: dir.file("b.fits"), omitting: FITSDump.volatileKeywords)
        XCTAssertEqual(a, b)
        XCTAssertFalse(a.contains("CHECKSUM") || a.contains("DATASUM") || a.contains("DATE "), a)
        XCTAssertNotEqual(full, try FITSDump.render(path: dir.file("b.fits")))

        // One ulp in one cell shows.
        var other = doc
        other.tables[0].columns[0].data = .double([0.1, (1.0 / 3.0).nextUp, .nan])
        try FITSIO.write(other, to: dir.file("c.fits"))
        XCTAssertNotEqual(a, try FITSDump.render(path: dir.file("c.fits"), omitting: FITSDump.volatileKeywords))
    }

    func testMissingFileIsExit66() throws {
        let e = assertThrows(FITSError.self) { _ = try FITSDump.render(path: "/nonexistent/x.fits") }
        XCTAssertEqual(e?.exitStatus, .noInput)
    }
}
