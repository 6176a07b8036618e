import Foundation
import NMMCore
@testable import NMMStages
import NMMStatistics
import XCTest

/// Issue 15: the result as a HEPData record that `hepdata-validate -d DIR` (hepdata-validator,
/// pinned in scripts/interop-requirements.txt) accepts, for the default and MUNU analyses and
/// for a toy belt; every number reads back as a number under PyYAML (YAML 1.1).
final class HEPDataExportTests: XCTestCase {
    var folder: InteropFolder!

    override func setUpWithError() throws { folder = try InteropFolder() }
    override func tearDown() { folder = nil }

    struct Check: Decodable {
        var tables: Int
        var values: Int
        var strings: [String]
    }

    func record(_ c: InteropConfig, tables: [String]) throws {
        let (pipeline, paths) = try folder.run(c, to: .limit)
        let written = try pipeline.exportHEPData(spectra: paths.spectra, residual: paths.residual, templates: paths.templates,
                                                 fit: paths.fit, limit: paths.limit, output: paths.hepdataFolder)
        XCTAssertEqual(written.map { ($0 as NSString).lastPathComponent }, ["submission.yaml"] + tables.map { "\($0).yaml" })
        let r = try PythonTools.run("hepdata-validate", ["-d", paths.hepdataFolder])
        XCTAssertEqual(r.status, 0, "hepdata-validate: \(r.stdout) \(r.stderr)")
        XCTAssertTrue(r.stdout.contains("is valid"), r.stdout)
        let check = try PythonTools.script("hepdata_check.py", [paths.hepdataFolder], as: Check.self)
        XCTAssertEqual(check.tables, tables.count)
        XCTAssertEqual(check.strings, [], "numbers that PyYAML reads as strings")
        print("hepdata-validate [\(c.rawValue)]: valid, \(check.tables) tables, \(check.values) values")
    }

    func testDefaultRecordValidates() throws {
        try record(.standard, tables: ["spectra", "residual", "curves", "profile", "belt", "limit", "expected"])
    }

    func testMUNURecordValidates() throws {
        try record(.munu, tables: ["spectra", "residual", "curves", "profile", "belt", "limit", "expected"])
    }

    func testToyBeltRecordValidates() throws {
        try record(.toys, tables: ["spectra", "residual", "curves", "profile", "belt", "limit", "expected"])
    }

    /// The limit table holds the limit line's numbers, with CL and method as qualifiers.
    func testTheLimitTableHoldsTheLimit() throws {
        let (pipeline, paths) = try folder.run(.standard, to: .limit)
        try pipeline.exportHEPData(spectra: paths.spectra, residual: paths.residual, templates: paths.templates,
                                   fit: paths.fit, limit: paths.limit, output: paths.hepdataFolder)
        let limit = try ProductStore.read(LimitProduct.self, from: paths.limit).0
        let text = try String(contentsOfFile: paths.hepdataFolder + "/limit.yaml", encoding: .utf8)
        XCTAssertTrue(text.contains("value: \(YAMLText.number(limit.kappaUpper))"), text)
        XCTAssertTrue(text.contains("value: \(YAMLText.number(limit.muLimitBohr))"), text)
        XCTAssertTrue(text.contains("name: \"CL\"\n    value: 0.9"), text)
        XCTAssertTrue(text.contains("Feldman-Cousins, Gaussian belt"), text)
        XCTAssertTrue(text.contains("name: \"Reactor thermal power\"\n    value: 2900.0\n    units: \"MW\""), text)
    }
}
