import Foundation
import XCTest
@testable import NMMCore

/// OGIP PHA inputs beyond gammapy's layout (which OGIPInterchangeTests covers): BACKSCAL and
/// AREASCAL as keywords, energies from the RESPFILE's EBOUNDS (XSPEC) or E_MIN/E_MAX columns,
/// QUALITY as a keyword, BACKFILE resolved against the PHA file's folder, inputs.off first.
final class OGIPSourceTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-ogip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func writePHA(_ name: String, counts: [Double], keywords: [FITSKeyword], energyColumns: Bool = false) throws {
        var columns = [FITSColumn("CHANNEL", unit: "", .int32([1, 2, 3])), FITSColumn("COUNTS", unit: "count", .double(counts))]
        if energyColumns {
            columns += [FITSColumn("E_MIN", unit: "eV", .double([12000, 13000, 14000])),
                        FITSColumn("E_MAX", unit: "eV", .double([13000, 14000, 15000]))]
        }
        try FITSIO.write(FITSDocument(tables: [FITSTable(name: "SPECTRUM", keywords: keywords, columns: columns)]), to: path(name))
    }

    func writeRMF(_ name: String) throws {
        let eb = FITSTable(name: "EBOUNDS", columns: [
            FITSColumn("CHANNEL", unit: "", .int32([1, 2, 3])),
            FITSColumn("E_MIN", unit: "keV", .double([12, 13, 14])), FITSColumn("E_MAX", unit: "keV", .double([13, 14, 15])),
        ])
        try FITSIO.write(FITSDocument(tables: [FITSTable(name: "MATRIX", columns: [FITSColumn("ENERG_LO", unit: "keV", .double([1]))]), eb]),
                         to: path(name))
    }

    /// XSPEC style: keywords, energies in the RMF named by RESPFILE, BACKFILE beside the PHA file.
    func testKeywordsRespfileAndBackfileBesideThePHAFile() throws {
        try writeRMF("data/det.rmf")
        try writePHA("data/src.pha", counts: [10, 20, 30], keywords: [
            FITSKeyword("EXPOSURE", .double(86400)), FITSKeyword("BACKSCAL", .double(0.5)), FITSKeyword("AREASCAL", .double(2)),
            FITSKeyword("QUALITY", .int(0)), FITSKeyword("BACKFILE", .string("bkg.pha")), FITSKeyword("RESPFILE", .string("det.rmf")),
        ])
        try writePHA("data/bkg.pha", counts: [1, 2, 3], keywords: [
            FITSKeyword("EXPOSURE", .double(43200)), FITSKeyword("BACKSCAL", .double(3)), FITSKeyword("RESPFILE", .string("det.rmf")),
        ])
        let source = OGIPSource(onPath: path("data/src.pha"), offPath: nil, massKg: 1.5)
        XCTAssertEqual(source.inputFiles, [path("data/src.pha"), path("data/bkg.pha"), path("data/det.rmf")])
        let input = try source.read()
        XCTAssertEqual(input.on.energyLowKeV, [12, 13, 14])
        XCTAssertEqual(input.off.counts, [1, 2, 3])
        XCTAssertEqual(input.on.liveTimeDays, 1)
        XCTAssertEqual(input.off.liveTimeDays, 0.5)
        XCTAssertEqual(input.on.massKg, 1.5)
        XCTAssertEqual(input.offExposureFactor, 3.0 * 1 / (0.5 * 2), "(BACKSCAL·AREASCAL)_off / (…)_on")
        XCTAssertNil(input.excludedBins)
    }

    /// E_MIN/E_MAX in SPECTRUM (eV, converted), QUALITY keyword ≠ 0 excludes every channel,
    /// and inputs.off wins over BACKFILE.
    func testEnergyColumnsQualityKeywordAndExplicitOff() throws {
        try writePHA("on.pha", counts: [1, 2, 3], keywords: [
            FITSKeyword("EXPOSURE", .int(100)), FITSKeyword("BACKFILE", .string("missing.pha")),
        ], energyColumns: true)
        try writePHA("off.pha", counts: [4, 5, 6], keywords: [FITSKeyword("EXPOSURE", .int(100)), FITSKeyword("QUALITY", .int(5))],
                     energyColumns: true)
        let input = try OGIPSource(onPath: path("on.pha"), offPath: path("off.pha"), massKg: 1).read()
        XCTAssertEqual(input.on.energyHighKeV, [13, 14, 15])
        XCTAssertEqual(input.excludedBins, [true, true, true])
        XCTAssertEqual(input.offExposureFactor, 1)
    }

    func testRateSpectraAndTypeIIAreRefusedByName() throws {
        try FITSIO.write(FITSDocument(tables: [FITSTable(name: "SPECTRUM", keywords: [FITSKeyword("EXPOSURE", .int(1))], columns: [
            FITSColumn("CHANNEL", unit: "", .int32([1])), FITSColumn("RATE", unit: "count/s", .double([1])),
        ])]), to: path("rate.pha"))
        XCTAssertThrowsError(try OGIPSpectrumReader.read(path("rate.pha"))) {
            XCTAssertTrue("\($0)".contains("RATE spectra are not read"), "\($0)")
        }
        try FITSIO.write(FITSDocument(tables: [FITSTable(name: "SPECTRUM", keywords: [FITSKeyword("HDUCLAS4", .string("TYPE:II"))])]),
                         to: path("typeII.pha"))
        XCTAssertThrowsError(try OGIPSpectrumReader.read(path("typeII.pha"))) { XCTAssertTrue("\($0)".contains("type II"), "\($0)") }
    }
}
