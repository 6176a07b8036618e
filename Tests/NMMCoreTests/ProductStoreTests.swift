import Foundation
@testable import NMMCore
import XCTest

/// A tiny stage product: one table with an energy column and counts.
struct TinyResidual: StageProduct, Equatable {
    static var kind: ProductKind { .residual }
    static var schemaVersion: Int { 1 }
    var energyKeV: [Double]
    var counts: [Int64]
    var exposureDays: Double

    init(energyKeV: [Double], counts: [Int64], exposureDays: Double) {
        self.energyKeV = energyKeV
        self.counts = counts
        self.exposureDays = exposureDays
    }

    init(document: FITSDocument) throws {
        let t = try document.table("RESIDUAL")
        energyKeV = try t.energiesKeV("ENERGY")
        counts = try t.integers("COUNTS")
        exposureDays = try document.double("EXPOSURE")
    }

    func document() -> FITSDocument {
        FITSDocument(primaryKeywords: [FITSKeyword("EXPOSURE", .double(exposureDays), "[d]"),
                                       FITSKeyword("DATE", .string("1999-01-01T00:00:00"), "replaced by the store")],
                     tables: [FITSTable(name: "RESIDUAL", keywords: [FITSKeyword("BINWIDTH", .double(0.5), "[keV]")],
                                        columns: [FITSColumn("ENERGY", unit: "keV", .double(energyKeV)),
                                                  FITSColumn("COUNTS", unit: "count", .int64(counts))]),
                              FITSTable(name: "EXTRA", columns: [FITSColumn("X", unit: "", .bool([true]))])])
    }
}

/// The same type with a schema this nmm does not know.
struct TinyResidualV7: StageProduct {
    static var kind: ProductKind { .residual }
    static var schemaVersion: Int { 7 }
    let inner: TinyResidual
    init(_ inner: TinyResidual) { self.inner = inner }
    init(document: FITSDocument) throws { inner = try TinyResidual(document: document) }
    func document() -> FITSDocument { inner.document() }
}

/// A different type that reads the same tables.
struct TinyFit: StageProduct {
    static var kind: ProductKind { .fit }
    static var schemaVersion: Int { 1 }
    init(document: FITSDocument) throws {}
    func document() -> FITSDocument { FITSDocument() }
}

final class ProductStoreTests: XCTestCase {
    let product = TinyResidual(energyKeV: [1, 2, 3], counts: [10, 20, 30], exposureDays: 180.5)
    let configSHA = SHA256Hex.of(string: "[experiment]\nname = \"test\"\n")

    /// Writes a parent file and the product; returns (product path, parent path).
    func writeProduct(in dir: TempDir, parentName: String = "spectra.fits") throws -> (String, String) {
        let parent = dir.file(parentName)
        try FITSIO.write(FITSDocument(primaryKeywords: [FITSKeyword("RUN", .int(1))]), to: parent)
        let prov = Provenance(kind: .residual, schemaVersion: 1, configSHA256: configSHA,
                              parents: [.init(file: parent, sha256: try SHA256Hex.of(fileAt: parent))])
        let path = dir.file("residual.fits")
        try ProductStore.write(product, provenance: prov, to: path)
        return (path, parent)
    }

    func testRoundTripAndProvenance() throws {
        let dir = try TempDir()
        let (path, parent) = try writeProduct(in: dir)
        let (back, prov) = try ProductStore.read(TinyResidual.self, from: path)
        XCTAssertEqual(back, product)
        XCTAssertEqual(prov.kind, .residual)
        XCTAssertEqual(prov.schemaVersion, 1)
        XCTAssertEqual(prov.toolVersion, NMMVersion.string)
        XCTAssertEqual(prov.configSHA256, configSHA)
        XCTAssertEqual(prov.parents, [.init(file: parent, sha256: try SHA256Hex.of(fileAt: parent))])
        XCTAssertEqual(try ProductStore.readProvenance(from: path), prov)
        XCTAssertNotEqual(prov.date, "1999-01-01T00:00:00")
        XCTAssertEqual(ProductStore.staleParents(prov, relativeTo: nil), [])
        XCTAssertEqual(dir.contents(), ["residual.fits", "spectra.fits"])   // no temporary left
    }

    func testProvenanceKeywordsOnEveryHDU() throws {
        let dir = try TempDir()
        let (path, parent) = try writeProduct(in: dir)
        let doc = try FITSIO.read(path)
        let sha = try SHA256Hex.of(fileAt: parent)
        let headers = [("PRIMARY", doc.primaryKeywords)] + doc.tables.map { ($0.name, $0.keywords) }
        XCTAssertEqual(headers.count, 3)
        for (hdu, keywords) in headers {
            XCTAssertEqual(keywords.first(named: "NMMTYPE")?.value, .string("RESIDUAL"), hdu)
            XCTAssertEqual(keywords.first(named: "NMMSCHEM")?.value, .int(1), hdu)
            XCTAssertEqual(keywords.first(named: "NMMVERS")?.value, .string(NMMVersion.string), hdu)
            XCTAssertEqual(keywords.first(named: "CFGSHA")?.value, .string(configSHA), hdu)
            XCTAssertEqual(keywords.first(named: "PARENT1")?.value, .string("spectra.fits"), hdu)  // relative to the file
            XCTAssertEqual(keywords.first(named: "PSHA1")?.value, .string(sha), hdu)
            XCTAssertNotNil(keywords.first(named: "DATE"), hdu)
            XCTAssertEqual(keywords.filter { $0.name == "DATE" }.count, 1, hdu)
        }
        XCTAssertEqual(try doc.table("RESIDUAL").double("BINWIDTH"), 0.5)
    }

    func testLongParentPathUsesContinueCards() throws {
        let dir = try TempDir()
        let deep = "inputs/" + String(repeating: "very-long-folder-name-", count: 5) + "x"
        try FileManager.default.createDirectory(atPath: dir.file(deep), withIntermediateDirectories: true)
        let (path, parent) = try writeProduct(in: dir, parentName: deep + "/spectra.fits")
        let stored = try FITSIO.read(path).string("PARENT1")
        XCTAssertEqual(stored, deep + "/spectra.fits")
        XCTAssertGreaterThan(stored.count, 68)
        XCTAssertEqual(try ProductStore.read(TinyResidual.self, from: path).1.parents.first?.file, parent)
    }

    func testWrongTypeUnknownSchemaAndPlainFITS() throws {
        let dir = try TempDir()
        let (path, _) = try writeProduct(in: dir)
        let wrong = assertThrows(ProductError.self) { _ = try ProductStore.read(TinyFit.self, from: path) }
        XCTAssertEqual(wrong?.kind, .wrongType)
        XCTAssertEqual(wrong?.exitStatus, .dataError)
        XCTAssertEqual(wrong?.description, "\(path): expected an NMMTYPE = FIT file, found RESIDUAL")

        let v7 = dir.file("v7.fits")
        try ProductStore.write(TinyResidualV7(product), provenance: Provenance(kind: .residual, schemaVersion: 7,
                               configSHA256: configSHA, parents: []), to: v7)
        let schema = assertThrows(ProductError.self) { _ = try ProductStore.read(TinyResidual.self, from: v7) }
        XCTAssertEqual(schema?.kind, .unknownSchema)
        XCTAssertEqual(schema?.description, "\(v7): unknown schema version 7 for RESIDUAL (this nmm reads 1)")

        let plain = dir.file("plain.fits")
        try FITSIO.write(product.document(), to: plain)
        let none = assertThrows(ProductError.self) { _ = try ProductStore.read(TinyResidual.self, from: plain) }
        XCTAssertEqual(none?.kind, .notAStageFile)
        XCTAssertEqual(none?.description, "\(plain): not an nmm stage file (no NMMTYPE keyword)")
        XCTAssertEqual(assertThrows(ProductError.self) { _ = try ProductStore.readProvenance(from: plain) }?.kind,
                       .notAStageFile)

        let missing = assertThrows(FITSError.self) { _ = try ProductStore.read(TinyResidual.self, from: dir.file("no.fits")) }
        XCTAssertEqual(missing?.exitStatus, .noInput)
    }

    func testMismatchedProvenanceIsAnInternalError() throws {
        let dir = try TempDir()
        let prov = Provenance(kind: .fit, schemaVersion: 1, configSHA256: configSHA, parents: [])
        assertThrows(InternalError.self) { try ProductStore.write(product, provenance: prov, to: dir.file("x.fits")) }
        XCTAssertEqual(dir.contents(), [])
    }

    func testStaleParentIsDetectedAndMissingParentIsNot() throws {
        let dir = try TempDir()
        let (path, parent) = try writeProduct(in: dir)
        // The parent is rewritten with different content.
        try FITSIO.write(FITSDocument(primaryKeywords: [FITSKeyword("RUN", .int(2))]), to: parent)
        let e = assertThrows(ProductError.self) { _ = try ProductStore.read(TinyResidual.self, from: path) }
        XCTAssertEqual(e?.kind, .stale)
        XCTAssertEqual(e?.parent, parent)
        XCTAssertEqual(e?.exitStatus, .dataError)
        let text = e?.description ?? ""
        XCTAssertTrue(text.hasPrefix("\(path): input is stale: parent \(parent) changed since it was made (PSHA1 "), text)
        XCTAssertTrue(text.hasSuffix("; rerun the stage"), text)
        // Without the check it reads, and staleParents says why.
        let (_, prov) = try ProductStore.read(TinyResidual.self, from: path, checkStaleness: false)
        let stale = ProductStore.staleParents(prov, relativeTo: nil)
        XCTAssertEqual(stale.count, 1)
        XCTAssertEqual(stale.first?.reason, .changed(currentSHA256: try SHA256Hex.of(fileAt: parent)))

        // A parent that is gone is only reported, not an error.
        try FileManager.default.removeItem(atPath: parent)
        let (_, prov2) = try ProductStore.read(TinyResidual.self, from: path)
        XCTAssertEqual(ProductStore.staleParents(prov2, relativeTo: nil).map(\.reason), [.missing])
    }

    func testRelativeParentPaths() {
        let cwd = FileManager.default.currentDirectoryPath
        XCTAssertEqual(ProductPaths.normalize("a/./b/../c//d/"), "a/c/d")
        XCTAssertEqual(ProductPaths.normalize("../x/../../y"), "../../y")
        XCTAssertEqual(ProductPaths.normalize("/../a"), "/a")
        XCTAssertEqual(ProductPaths.join("build/x", "../y/t.fits"), "build/y/t.fits")
        XCTAssertEqual(ProductPaths.join(".", "t.fits"), "t.fits")
        XCTAssertEqual(ProductPaths.join("build/x", "/abs/t.fits"), "/abs/t.fits")
        XCTAssertEqual(ProductPaths.relative("build/x/spectra.fits", toFolder: "build/x"), "spectra.fits")
        XCTAssertEqual(ProductPaths.relative("build/t.fits", toFolder: "build/x"), "../t.fits")
        XCTAssertEqual(ProductPaths.relative(cwd + "/data/s.fits", toFolder: "out"), "../data/s.fits")
        XCTAssertEqual(ProductPaths.relative("/elsewhere/s.fits", toFolder: "/tmp/out"), "/elsewhere/s.fits")
        // Round trip as the store does it: stored relative to the product's folder, resolved back.
        let stored = ProductPaths.relative("build/x/spectra.fits", toFolder: "build/y")
        XCTAssertEqual(ProductPaths.join("build/y", stored), "build/x/spectra.fits")
        // staleParents resolves relative names against the given folder.
        let p = Provenance(kind: .fit, schemaVersion: 1, configSHA256: "", parents: [.init(file: "gone.fits", sha256: "00")])
        XCTAssertEqual(ProductStore.staleParents(p, relativeTo: "/nonexistent").first?.file, "/nonexistent/gone.fits")
    }

    func testSHA256Hex() throws {
        XCTAssertEqual(SHA256Hex.of(string: ""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256Hex.of(string: "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let dir = try TempDir()
        let path = dir.file("big.bin")
        let data = Data((0..<(3 * 1_048_576 + 17)).map { UInt8(truncatingIfNeeded: $0 &* 31) })  // crosses chunk edges
        try data.write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try SHA256Hex.of(fileAt: path), SHA256Hex.of(data: data))
        let e = assertThrows(InputError.self) { _ = try SHA256Hex.of(fileAt: dir.file("none")) }
        XCTAssertEqual(e?.exitStatus, .noInput)
    }
}
