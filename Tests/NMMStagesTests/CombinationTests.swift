import Foundation
import NMMCore
@testable import NMMStages
import NMMStatistics
import XCTest

/// Several data sets in one likelihood: with no shared nuisance the information adds, so on
/// the Asimov fixtures (every fit at κ̂ = 0, curvatures at the same point) the combined σ_κ is
/// 1/√(Σ 1/σ_i²); a shared nuisance must mean the same thing in both models.
final class CombinationTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-comb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A shipped config on its Asimov pair with the Poisson statistic, written beside the others.
    func asimovConfig(_ name: String, extra: String = "") throws -> String {
        var text = try String(contentsOf: Self.root.appendingPathComponent("config/\(name).yaml"), encoding: .utf8)
        text = TemplateVariationTests.withoutSystematics(text)
        text = text.replacingOccurrences(of: "../Fixtures/\(name)/on.fits", with: Self.root.path + "/Fixtures/\(name)/on-asimov.fits")
            .replacingOccurrences(of: "../Fixtures/\(name)/off.fits", with: Self.root.path + "/Fixtures/\(name)/off-asimov.fits")
            .replacingOccurrences(of: "method: chi2", with: "method: poisson")
        let path = dir.appendingPathComponent("\(name).yaml").path
        try (text + "\n" + extra + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func fit(_ configPath: String) throws -> FitResult {
        let config = try ConfigLoader.load(path: configPath)
        let paths = StagePaths(directory: dir.appendingPathComponent("build/\(config.experiment)").path)
        try Pipeline(config: config).run(from: .ingest, to: .fit, paths: paths)
        return try ProductStore.read(FitProduct.self, from: paths.fit).0.result
    }

    func testTheCombinedSigmaAddsTheInformationOfIndependentDataSets() throws {
        let texono = try fit(try asimovConfig("texono2003"))
        let munu = try fit(try asimovConfig("munu2005"))
        let combined = try fit(try asimovConfig("texono2003", extra: "model: {dataSet: texono, combine: [munu2005.yaml]}")
            .replacingOccurrences(of: "texono2003.yaml", with: "texono2003.yaml"))
        let expected = 1 / (1 / (texono.kappaError * texono.kappaError) + 1 / (munu.kappaError * munu.kappaError)).squareRoot()
        print("σ_κ TEXONO 2003 \(texono.kappaError), MUNU 2005 \(munu.kappaError), combined \(combined.kappaError), 1/√Σ1/σ² \(expected)")
        XCTAssertEqual(combined.kappaError, expected, accuracy: 0.01 * expected)
        XCTAssertEqual(combined.kappa, 0, accuracy: 0.01 * expected)
        XCTAssertLessThan(combined.kappaError, min(texono.kappaError, munu.kappaError))
    }

    func testASharedNuisanceMustBeTheSameQuantity() throws {
        let a = try ConfigLoader.load(path: try asimovConfig("texono2003",
            extra: "systematics:\n  - {name: flux, kind: normalisation, sigma: 0.03, samples: [sm, mm]}\nmodel: {combine: [munu2005.yaml]}"))
        _ = try asimovConfig("munu2005", extra: "systematics:\n  - {name: flux, kind: normalisation, sigma: 0.05, samples: [sm, mm]}")
        let paths = StagePaths(directory: dir.appendingPathComponent("build/t").path)
        XCTAssertThrowsError(try Pipeline(config: a).run(from: .ingest, to: .model, paths: paths)) { error in
            XCTAssertTrue("\(error)".contains("modifier 'flux'"), "\(error)")
            XCTAssertEqual((error as? NMMError)?.exitStatus, .dataError)
        }
    }

    func testASharedNuisanceIsOneParameter() throws {
        let flux = "systematics:\n  - {name: flux, kind: normalisation, sigma: 0.03, samples: [sm, mm]}"
        _ = try asimovConfig("munu2005", extra: flux)
        let combined = try fit(try asimovConfig("texono2003", extra: flux + "\nmodel: {combine: [munu2005.yaml]}"))
        XCTAssertEqual(combined.parameterNames, ["kappa", "flux"])
        XCTAssertTrue(combined.converged)
    }
}
