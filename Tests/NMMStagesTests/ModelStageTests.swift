import Foundation
import NMMCore
@testable import NMMStages
@testable import NMMStatistics
import XCTest

/// The model stage: config sections → StatisticalModel → model.fits and back; the fit reads it.
final class ModelStageTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The default config with `extra` appended (absolute fixture paths), loaded.
    func config(_ extra: String) throws -> AnalysisConfig {
        var text = try String(contentsOf: Self.root.appendingPathComponent("config/default.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "../Fixtures/", with: Self.root.path + "/Fixtures/") + "\n" + extra + "\n"
        let path = dir.appendingPathComponent("c-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigLoader.load(path: path)
    }

    func fit(_ c: AnalysisConfig) throws -> (StatisticalModel, FitResult) {
        let p = Pipeline(config: c), paths = StagePaths(directory: dir.appendingPathComponent(UUID().uuidString).path)
        try p.run(from: .ingest, to: .model, paths: paths)
        let model = try ProductStore.read(ModelProduct.self, from: paths.model).0.model
        return (model, try p.fit(model: paths.model, output: paths.fit).result)
    }

    func testTheModelFileReadsBackAsTheSameValue() throws {
        let c = try config("systematics:\n  - {name: flux, kind: normalisation, sigma: 0.1, samples: [sm, mm]}\nmodel: {linesKeV: [[10.37, 0.2]]}")
        let p = Pipeline(config: c), paths = StagePaths(directory: dir.path)
        try p.run(from: .ingest, to: .model, paths: paths)
        let (product, _) = try ProductStore.read(ModelProduct.self, from: paths.model)
        XCTAssertEqual(product.model.parameterNames, ["kappa", "line1Norm", "flux"])
        XCTAssertEqual(product.model.dataSets[0].samples.map(\.name), ["sm", "mm", "line1"])
        XCTAssertEqual(product.model.dataSets[0].samples[0].modifiers, ["flux"])
        let line = product.model.dataSets[0].samples[2].rate
        XCTAssertGreaterThan(line.max() ?? 0, 0)
        // The line's integral over the fitted bins (a unit line, 1 count/(kg·day)) ≤ 1.
        let widths = zip(product.model.dataSets[0].energyHighKeV, product.model.dataSets[0].energyLowKeV).map { $0 - $1 }
        XCTAssertLessThanOrEqual(zip(line, widths).map(*).reduce(0, +), 1 + 1e-12)
        let again = ModelProduct(product.model).document()
        XCTAssertEqual(try ModelProduct(document: again).model, product.model)
    }

    /// A new normalisation nuisance is a config entry: `systematics` with a Gaussian ±10% on SM
    /// and MM gives the same fit as the fit section's fluxNormalisationSigma, under its own name.
    func testANewNormalisationNuisanceIsAConfigChange() throws {
        let (_, legacy) = try fit(try config("").withFit { $0.fluxNormalisationSigma = 0.1 })
        let (model, named) = try fit(try config("systematics:\n  - {name: reactorFlux, kind: normalisation, sigma: 0.1, samples: [sm, mm]}"))
        XCTAssertEqual(model.parameterNames, ["kappa", "reactorFlux"])
        XCTAssertEqual(named.parameterNames, ["kappa", "reactorFlux"])
        XCTAssertEqual(legacy.parameterNames, ["kappa", "fluxNorm"])
        XCTAssertEqual(named.values, legacy.values)
        XCTAssertEqual(named.covariance, legacy.covariance)
        XCTAssertEqual(named.minimum, legacy.minimum)
        XCTAssertLessThan(abs(named.values[1] - 1), 0.5)
    }

    func testBadSystematicsNameKeyAndLine() throws {
        let cases: [(String, String, String)] = [
            ("systematics:\n  - {name: flux, kind: normalisation, sigma: 0.1, samples: [sm, cevns]}", "systematics[0].samples", "unknown sample 'cevns'"),
            ("systematics:\n  - {name: flux, kind: normalisation, sigma: -0.1, samples: [sm]}", "systematics[0].sigma", "σ > 0"),
            ("systematics:\n  - {name: flux, kind: normalisation, samples: [sm]}", "systematics[0].sigma", "σ > 0"),
            ("systematics:\n  - {name: s, kind: shape, samples: [sm]}", "systematics[0].generator", "reactorBelow2MeV"),
            ("systematics:\n  - {name: flux, kind: sideways, samples: [sm]}", "systematics[0].kind", "expected normalisation or shape"),
            ("systematics:\n  - {name: a, kind: normalisation, sigma: 0.1, samples: [sm]}\n  - {name: a, kind: normalisation, sigma: 0.1, samples: [mm]}",
             "systematics[1].name", "already a nuisance"),
            ("systematics:\n  - {name: a, kind: normalisation, sigma: 0.1, samples: [sm], colour: red}", "systematics.[0].colour", "unknown key"),
        ]
        for (extra, key, text) in cases {
            XCTAssertThrowsError(try config(extra), extra) { error in
                let e = error as? ConfigError
                XCTAssertEqual(e?.key?.replacingOccurrences(of: ".[", with: "["), key.replacingOccurrences(of: ".[", with: "["), "\(error)")
                XCTAssertNotNil(e?.line, "\(error)")
                XCTAssertTrue("\(error)".contains(text), "\(error)")
                XCTAssertEqual(e?.exitStatus, .dataError)
            }
        }
    }

    func testAShapeNuisanceReachesTheModelFromTheTemplatesAndIsRefusedWithout() throws {
        let c = try config("systematics:\n  - {name: spectrum, kind: shape, generator: energyScale, size: 0.01, samples: [sm, mm]}")
        let paths = StagePaths(directory: dir.path)
        try Pipeline(config: c).run(from: .ingest, to: .model, paths: paths)
        let model = try ProductStore.read(ModelProduct.self, from: paths.model).0.model
        XCTAssertEqual(model.modifier(named: "spectrum")?.kind, .shape)
        for s in model.dataSets[0].samples where s.name == "sm" || s.name == "mm" {
            XCTAssertEqual(s.shapeVariations["spectrum"]?.up.count, model.dataSets[0].binCount)
        }
        // Templates made without the nuisance: the section check refuses them; when the mismatch
        // is allowed on purpose, the model stage still cannot invent the ±1σ templates.
        let plain = try config("")
        try Pipeline(config: plain).run(.templates, paths: paths)
        XCTAssertThrowsError(try Pipeline(config: c).run(.model, paths: paths)) { error in
            XCTAssertTrue("\(error)".contains("'systematics' section"), "\(error)")
        }
        XCTAssertThrowsError(try Pipeline(config: c, allowConfigMismatch: true).run(.model, paths: paths)) { error in
            XCTAssertTrue("\(error)".contains("no ±1σ templates for the shape nuisance 'spectrum'"), "\(error)")
        }
    }
}

private extension AnalysisConfig {
    func withFit(_ change: (inout FitConfig) -> Void) -> AnalysisConfig {
        var c = self
        var f = c.fit!   // config/default.yaml has a fit section
        change(&f)
        c.fit = f
        return c
    }
}
