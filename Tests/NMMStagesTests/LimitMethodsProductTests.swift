import Foundation
import NMMTestSupport
import XCTest
@testable import NMMCore
@testable import NMMStages
@testable import NMMStatistics

/// limit.methods in the products: each other construction's result round-trips through
/// limit.fits (LIM_<METHOD>), appears in limit.json and below the limit line, and the report
/// shows the methods table and methods.svg only when more than Feldman–Cousins ran.
final class LimitMethodsProductTests: XCTestCase {
    static func cls() -> IntervalResult {
        IntervalResult(method: .cls, confidenceLevel: 0.9, kappaUpper: 2.25, monteCarloError: 0.04,
                       expected: LimitBands(values: [1.1, 1.5, 2.0, 2.8, 3.9]),
                       scanKappa: [0, 1, 2, 3], curves: [IntervalCurve(name: "CLS", values: [1, 0.4, 0.12, 0.03]),
                                                         IntervalCurve(name: "CLB", values: [0.5, 0.5, 0.5, 0.5])],
                       toys: 12000, seed: 7, notes: ["q~ statistic", "b-only toys at the kappa = 0 fit"])
    }

    static func bayes() -> IntervalResult {
        IntervalResult(method: .bayes, confidenceLevel: 0.9, kappaUpper: 2.4, scanKappa: [0, 2, 4],
                       curves: [IntervalCurve(name: "POSTERIOR", values: [0.4, 0.1, 0.01], unit: "1/(1e-20 mu_B^2)"),
                                 IntervalCurve(name: "CDF", values: [0, 0.85, 1])], notes: ["Gauss-Hermite"])
    }

    func testMethodTablesRoundTripThroughLimitFits() throws {
        var product = ReportFixtures.temporary("m").limit()
        product.comparisons = [Self.cls(), Self.bayes()]
        let doc = product.document()
        XCTAssertEqual(doc.tables.map(\.name).filter { $0.hasPrefix("LIM_") }, ["LIM_CLS", "LIM_BAYES"])
        let dir = NSTemporaryDirectory() + "nmm-methods-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FITSIO.write(doc, to: dir + "/limit.fits")
        let back = try LimitProduct(document: try FITSIO.read(dir + "/limit.fits"))
        XCTAssertEqual(back.comparisons, product.comparisons)
        XCTAssertEqual(back.allMethodResults.map(\.method), [.fc, .cls, .bayes])
        XCTAssertEqual(try FITSIO.read(dir + "/limit.fits").table("LIM_CLS").column("KAPPA").unit, MagneticMomentUnits.kappaUnit)
    }

    func testAnUnknownMethodTableIsRefusedNamingIt() throws {
        var product = ReportFixtures.temporary("m").limit()
        product.comparisons = [Self.cls()]
        var doc = product.document()
        let i = doc.tables.firstIndex { $0.name == "LIM_CLS" }!
        let k = doc.tables[i].keywords.firstIndex { $0.name == "METHOD" }!
        doc.tables[i].keywords[k] = FITSKeyword("METHOD", .string("frequentist-ish"))
        XCTAssertThrowsError(try LimitProduct(document: doc)) { e in
            XCTAssertTrue("\(e)".contains("LIM_CLS METHOD") && "\(e)".contains("frequentist-ish"), "\(e)")
        }
    }

    func testJSONAndLinesCarryEveryMethod() throws {
        var product = ReportFixtures.temporary("m").limit()
        product.comparisons = [Self.cls(), Self.bayes()]
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(product.json(experiment: "x").utf8)) as? [String: Any])
        let methods = try XCTUnwrap(obj["methods"] as? [[String: Any]])
        XCTAssertEqual(methods.map { $0["method"] as? String }, ["fc", "cls", "bayes"])
        XCTAssertEqual(methods[1]["kappaUpperMonteCarloError"] as? Double, 0.04)
        XCTAssertEqual((methods[1]["expectedKappaUpper"] as? [Double])?[2], 2.0)
        XCTAssertNil(methods[2]["kappaUpperMonteCarloError"])
        let lines = product.methodLines
        XCTAssertEqual(lines.count, 2)
        // μ = 1.5e-10 at κ = 2.25; σ_μ = μ σ_κ/(2κ) = 1.5e-10 × 0.04/4.5 = 1.3e-12.
        XCTAssertTrue(lines[0].contains("CLs (toys)") && lines[0].contains("1.5e-10") && lines[0].contains("MC"), lines[0])
        XCTAssertFalse(lines[1].contains("MC"), lines[1])
        XCTAssertNil(ReportFixtures.temporary("m").limit().json(experiment: nil).range(of: "\"methods\""))
    }

    func testReportShowsTheMethodsOnlyWhenSeveralRan() throws {
        let f = ReportFixtures.temporary("m")
        defer { try? FileManager.default.removeItem(atPath: f.dir) }
        try f.writeAll()
        _ = try f.runReport()
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(f.reportDir)/methods.svg"))
        var product = f.limit()
        product.comparisons = [Self.cls(), Self.bayes()]
        try ProductStore.write(product, provenance: try ProductStore.read(LimitProduct.self, from: f.limitPath).1, to: f.limitPath)
        _ = try f.runReport()
        let svg = try String(contentsOfFile: "\(f.reportDir)/methods.svg", encoding: .utf8)
        let p = SVGProbe(svg)
        XCTAssertTrue(p.isWellFormed)
        for name in ["fc", "cls", "bayes", "cls ±1σ", "cls median"] { XCTAssertTrue(p.seriesNames.contains(name), "\(name): \(p.seriesNames)") }
        let html = try String(contentsOfFile: "\(f.reportDir)/index.html", encoding: .utf8)
        XCTAssertTrue(html.contains("One data set, several constructions"))
        XCTAssertTrue(html.contains(IntervalMethod.cls.question))
    }
}
