import Foundation
import NMMCore
import NMMStages
import NMMStatistics
import XCTest

/// Issue 16: nmm's asymptotic CLs (`AsymptoticCLs`) against pyhf's on the same workspace.
///
/// What is compared: the model stage's model exported with `PyhfExport.build` with the POI
/// bounded to [0, 20 σ̃] (so pyhf's "qtilde" fits κ̂ ≥ 0, as nmm's q̃ clips κ̂ at 0; the script
/// turns pyhf's warning for another lower bound into an error), then
/// `pyhf.infer.intervals.upper_limits.upper_limit(data, model, scan=None, level=1 − CL,
/// test_stat="qtilde", calctype="asymptotics")` — run as the `toms748_scan` it calls (rtol
/// 1e-4), because pyhf 0.7.6's `upper_limit` drops `level` when scan=None and returns 95% CL
/// limits whatever the level (scikit-hep/pyhf#2563; at 90% CL that is 20% high) — against nmm's
/// observed limit and its expected median, ±1σ, ±2σ, to 1e-3 (the brief asked for 1%; measured
/// agreement ≤ 6e-7 with pyhf's default fit tolerance); and pyhf's `hypotest` CLs, CLs+b, CLb and
/// expected CLs at ½, 1 and 1.5 × nmm's limit, to 1e-3 as well. Both use the joint Poisson ON/OFF
/// likelihood (nmm's `.poisson` statistic: pyhf's) and pyhf's Asimov convention (conditional fit
/// of the observed data at κ = 0, global observables at the fitted nuisances).
final class PyhfUpperLimitTests: XCTestCase {
    struct PyhfLimit: Decodable {
        struct Point: Decodable {
            var kappa: Double
            var cls: Double
            var clsb: Double
            var clb: Double
            var expected: [Double]
        }

        var pyhf: String
        var poi: String
        var poiBounds: [Double]
        var level: Double
        var observed: Double
        var expected: [Double]
        var points: [Point]

        enum CodingKeys: String, CodingKey {
            case pyhf, poi, level, observed, expected, points
            case poiBounds = "poi_bounds"
        }
    }

    var folder: InteropFolder!

    override func setUpWithError() throws { folder = try InteropFolder() }
    override func tearDown() { folder = nil }

    /// μ_ν in 1e-10 μ_B from κ = μ_ν² in 1e-20 μ_B².
    func muNu(_ kappa: Double) -> Double { kappa.squareRoot() }

    func check(label: String, model: StatisticalModel, cl: Double) throws {
        let export = try PyhfExport.build(model, kappaBounds: 0...(20 * PyhfExport.kappaScale(model)))
        XCTAssertEqual(export.notes, [], "\(label): the workspace is nmm's model exactly")
        let workspace = folder.path("\(label)-cls-workspace.json")
        try export.workspace.json().write(to: URL(fileURLWithPath: workspace))
        let clock = ContinuousClock(), start = clock.now
        let nmm = try AsymptoticCLs(model: model, options: ModelFitOptions(statistic: .poisson), confidenceLevel: cl).intervals()[0]
        let nmmTime = clock.now - start
        let expected = try XCTUnwrap(nmm.expected)
        let kappas = [0.5, 1, 1.5].map { $0 * nmm.kappaUpper }
        let pyStart = clock.now
        let py = try PythonTools.script("pyhf_upper_limit.py", [workspace, "\(cl)"] + kappas.map { "\($0)" }, as: PyhfLimit.self)
        let pyTime = clock.now - pyStart
        XCTAssertEqual(py.poiBounds.first, 0, "\(label): q̃ needs the POI's lower bound at 0 in pyhf")
        XCTAssertEqual(py.level, 1 - cl, accuracy: 1e-12)
        XCTAssertEqual(nmm.kappaUpper, py.observed, accuracy: 1e-3 * py.observed, "\(label): observed asymptotic CLs limit")
        XCTAssertEqual(py.expected.count, 5)
        for (k, (a, b)) in zip(expected.values, py.expected).enumerated() {
            XCTAssertEqual(a, b, accuracy: 1e-3 * b, "\(label): expected limit \(k - 2) σ")
        }
        let calc = try AsymptoticCLsProbe(model: model)
        for p in py.points {
            let v = try calc.values(atKappa: p.kappa)
            XCTAssertEqual(v.cls, p.cls, accuracy: 1e-3 * p.cls, "\(label): CLs at κ = \(p.kappa)")
            XCTAssertEqual(v.clsb, p.clsb, accuracy: 1e-3 * p.clsb, "\(label): CLs+b at κ = \(p.kappa)")
            XCTAssertEqual(v.clb, p.clb, accuracy: 1e-3 * p.clb, "\(label): CLb at κ = \(p.kappa)")
            for (a, b) in zip(v.expected, p.expected) { XCTAssertEqual(a, b, accuracy: 1e-3 * b, "\(label): expected CLs at κ = \(p.kappa)") }
        }
        func fmt(_ x: Double) -> String { String(format: "%.5g", x) }
        print("asymptotic CLs [\(label)] \(Int(cl * 100))% CL: nmm κ_up \(fmt(nmm.kappaUpper)) (μ_ν < \(fmt(muNu(nmm.kappaUpper)))e-10 μ_B), "
              + "pyhf \(py.pyhf) \(fmt(py.observed)) (μ_ν < \(fmt(muNu(py.observed)))e-10 μ_B), relative difference \(sci((nmm.kappaUpper - py.observed) / py.observed)); "
              + "expected −2…+2σ nmm \(expected.values.map(fmt)) pyhf \(py.expected.map(fmt)); "
              + "time nmm \(nmmTime), pyhf \(pyTime)")
    }

    func testDefaultConfig() throws {
        let (pipeline, paths) = try folder.run(.standard, to: .model)
        let model = try ProductStore.read(ModelProduct.self, from: paths.model).0.model
        try check(label: "default", model: model, cl: pipeline.config.confidenceLevel)
    }

    /// MUNU without its systematics (the legacy form, as the other pyhf tests).
    func testMUNU() throws {
        let (pipeline, paths) = try folder.run(.munu, to: .model)
        let model = try ProductStore.read(ModelProduct.self, from: paths.model).0.model
        try check(label: "munu2005", model: model, cl: pipeline.config.confidenceLevel)
    }

    /// The shipped MUNU analysis with its systematics (log-normal efficiency ±30% → normsys
    /// code1, reactor flux ±3% → lumi, the spectrum below 2 MeV → histosys code0): the Asimov
    /// data set's global observables at the fitted nuisances matter here.
    func testShippedMUNUWithSystematics() throws {
        var text = try String(contentsOf: InteropFolder.root.appendingPathComponent("config/munu2005.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "../Fixtures/", with: InteropFolder.root.path + "/Fixtures/")
        let file = folder.path("munu-shipped.yaml")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let pipeline = Pipeline(config: try ConfigLoader.load(path: file)), paths = StagePaths(directory: folder.path("munu-shipped"))
        try pipeline.run(from: .ingest, to: .model, paths: paths)
        let model = try ProductStore.read(ModelProduct.self, from: paths.model).0.model
        XCTAssertFalse(model.modifiers.isEmpty, "the shipped MUNU carries nuisances")
        try check(label: "munu2005-shipped", model: model, cl: pipeline.config.confidenceLevel)
    }
}

/// nmm's asymptotic CLs values at one κ (`AsymptoticCLs.curves(at:)`).
struct AsymptoticCLsProbe {
    let construction: AsymptoticCLs

    init(model: StatisticalModel) throws { construction = try AsymptoticCLs(model: model, options: ModelFitOptions(statistic: .poisson)) }

    func values(atKappa kappa: Double) throws -> (cls: Double, clsb: Double, clb: Double, expected: [Double]) {
        let curves = try construction.curves(at: [kappa])
        func curve(_ name: String) -> Double { curves.first { $0.name == name }?.values.first ?? .nan }
        return (curve("CLS"), curve("CLSB"), curve("CLB"), ["CLS_EXP_M2", "CLS_EXP_M1", "CLS_EXP_MED", "CLS_EXP_P1", "CLS_EXP_P2"].map(curve))
    }
}
