import Foundation
import XCTest
@testable import NMMCore

final class ConfigTests: XCTestCase {
    static let minimal = ConfigSchema.minimalExample

    func parse(_ text: String) throws -> AnalysisConfig {
        var c = try ConfigLoader.parse(text: text, file: "test.yaml")
        c.sourcePath = "test.yaml"
        try c.validate()
        return c
    }

    func error(_ text: String) -> ConfigError? {
        do { _ = try parse(text); return nil } catch let e as ConfigError { return e } catch {
            XCTFail("unexpected error type \(error)"); return nil
        }
    }

    func testMinimalConfigParsesWithDefaults() throws {
        let c = try parse(Self.minimal)
        XCTAssertEqual(c.detector.massKg, 1.06)
        XCTAssertEqual(c.windowLowKeV, 12)
        XCTAssertEqual(c.fitMethod, .chi2)
        XCTAssertEqual(c.confidenceLevel, 0.9)
        XCTAssertEqual(c.flavor, .antiNuE)
        XCTAssertNil(c.reactor?.capturesPerFission, "left to the physics default (PhysicsSetup)")
    }

    func testDefaultConfigFileLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("config/default.yaml").path
        let c = try ConfigLoader.load(path: path)
        XCTAssertEqual(c.experiment, "default")
        XCTAssertEqual(c.sha256.count, 64)
        XCTAssertTrue(c.onPath.hasSuffix("Fixtures/default/on.fits"), c.onPath)
        XCTAssertFalse(c.onPath.contains(".."), "paths are standardised: \(c.onPath)")
    }

    func testEveryConfigFileInRepoLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("config")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertFalse(files.isEmpty)
        for f in files { XCTAssertNoThrow(try ConfigLoader.load(path: dir.appendingPathComponent(f).path), f) }
    }

    func testUnknownTopLevelKeyIsNamedWithLine() {
        let e = error(Self.minimal + "\nlimits: {cl: 0.9}\n")
        XCTAssertEqual(e?.key, "limits")
        XCTAssertEqual(e?.line, 9)
        XCTAssertTrue(e?.description.contains("did you mean 'limit'") ?? false, e?.description ?? "")
        XCTAssertTrue(e?.description.hasPrefix("test.yaml:9: limits: unknown key") ?? false, e?.description ?? "")
    }

    func testMisspeltNestedKeyIsNamed() {
        let text = Self.minimal.replacingOccurrences(of: "massKg: 1.06", with: "masKg: 1.06")
        let e = error(text)
        XCTAssertEqual(e?.key, "detector.masKg")
        XCTAssertTrue(e?.description.contains("did you mean 'massKg'") ?? false, e?.description ?? "")
    }

    func testMissingRequiredKey() {
        let text = Self.minimal.replacingOccurrences(of: "inputs: {on: on.fits, off: off.fits}\n", with: "")
        let e = error(text)
        XCTAssertEqual(e?.key, "inputs")
        XCTAssertTrue(e?.description.contains("required key is missing") ?? false)
    }

    func testWrongTypeNamesKeyAndLine() {
        let text = Self.minimal.replacingOccurrences(of: "massKg: 1.06", with: "massKg: heavy")
        let e = error(text)
        XCTAssertEqual(e?.key, "detector.massKg")
        XCTAssertEqual(e?.line, 2)
        XCTAssertTrue(e?.description.contains("expected a number") ?? false, e?.description ?? "")
    }

    func testSyntaxErrorHasLine() {
        let e = error("experiment: t\ndetector: {target: Ge, massKg: [1.06}\n")
        XCTAssertNotNil(e?.line)
        XCTAssertTrue(e?.description.contains("YAML syntax error") ?? false, e?.description ?? "")
    }

    func testSemanticChecks() {
        let cases: [(String, String, String)] = [
            ("massKg: 1.06", "massKg: 0", "detector.massKg"),
            ("massKg: 1.06", "massKg: -2", "detector.massKg"),
            ("Pu241: 0.08", "Pu241: 0.3", "reactor.fissionFractions"),
            ("Pu241: 0.08", "Pu241: 0.08, Th232: 0", "reactor.fissionFractions.Th232"),
            ("windowKeV: [12, 64]", "windowKeV: [64, 12]", "analysis.windowKeV"),
            ("windowKeV: [12, 64]", "windowKeV: [12]", "analysis.windowKeV"),
            ("distanceM: 28", "distanceM: -28", "reactor.distanceM"),
            ("distanceM: 28", "distanceM: 28\n  totalFluxPerCm2PerS: 6.4e12", "reactor"),
        ]
        for (from, to, key) in cases {
            let e = error(Self.minimal.replacingOccurrences(of: from, with: to))
            XCTAssertEqual(e?.key, key, "\(to)")
            XCTAssertEqual(e?.exitStatus, .dataError)
        }
    }

    func testOptionChecks() {
        let cases: [(String, String)] = [
            ("fit: {method: likelihood}", "fit.method"),
            ("limit: {cl: 1.5}", "limit.cl"),
            ("limit: {method: bayes}", "limit.method"),
            ("limit: {methods: [fc, cl]}", "limit.methods.[1]"),
            ("limit: {methods: [fc, cls, cls]}", "limit.methods"),
            ("limit: {methods: []}", "limit.methods"),
            ("neutrino: {flavor: nu_x}", "neutrino.flavor"),
            ("detector2: {}", "detector2"),
        ]
        for (extra, key) in cases {
            XCTAssertEqual(error(Self.minimal + "\n" + extra + "\n")?.key, key, extra)
        }
    }

    func testLimitMethodsParse() throws {
        let c = try parse(Self.minimal + "\nlimit: {methods: [fc, cls, clsb, asymptotic, bayes, bayes-mu]}\n")
        XCTAssertEqual(c.limit?.methods, IntervalMethod.allCases)
    }

    func testMissingFileIsExit66() {
        XCTAssertThrowsError(try ConfigLoader.load(path: "/nonexistent/x.yaml")) { e in
            XCTAssertEqual((e as? NMMError)?.exitStatus, .noInput)
        }
    }

    func testEmptyFile() {
        XCTAssertNotNil(error(""))
    }

    func testRelativePathsResolveAgainstConfigFolder() throws {
        var c = try parse(Self.minimal)
        c.sourcePath = "/data/exp/config.yaml"
        XCTAssertEqual(c.onPath, "/data/exp/on.fits")
        c.inputs.on = "/abs/on.csv"
        XCTAssertEqual(c.onPath, "/abs/on.csv")
    }

    func testEditDistance() {
        XCTAssertEqual(ConfigLoader.editDistance("massKg", "masKg"), 1)
        XCTAssertEqual(ConfigLoader.editDistance("", "abc"), 3)
        XCTAssertEqual(ConfigLoader.editDistance("limit", "limit"), 0)
    }
}
