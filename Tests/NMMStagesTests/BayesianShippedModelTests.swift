import Foundation
import NMMCore
@testable import NMMStages
@testable import NMMStatistics
import XCTest

/// The Bayesian limit on the shipped models (config/default.yaml: Poisson, κ only;
/// config/munu2005.yaml: χ² with three nuisances), built through the stages from the fixtures.
/// The numbers are printed (κ_up, μ_ν limits under both priors, runtime); the assertions are
/// the invariants every posterior must satisfy. Expected limits only with NMM_LONG_TESTS=1.
final class BayesianShippedModelTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func shipped(_ name: String) throws -> (StatisticalModel, ModelFitOptions, AnalysisConfig) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-bayes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try ConfigLoader.load(path: root.appendingPathComponent("config/\(name).yaml").path)
        let paths = StagePaths(directory: dir.path)
        try Pipeline(config: config).run(from: .ingest, to: .model, paths: paths)
        let model = try ProductStore.read(ModelProduct.self, from: paths.model).0.model
        return (model, FitSetup.modelOptions(config, statistic: config.fitMethod), config)
    }

    func testShippedModels() throws {
        let long = ProcessInfo.processInfo.environment["NMM_LONG_TESTS"] == "1"
        for name in ["default", "munu2005"] {
            let (model, options, config) = try Self.shipped(name)
            let cfg = BayesianConfiguration(confidenceLevel: config.confidenceLevel, seed: config.limit?.seed ?? 1,
                                            pseudoExperiments: long ? 30 : 0)   // bands exercised; the numbers in the notes came from 200 (release)
            let start = Date()
            let results = try BayesianLimit(model: model, options: options, configuration: cfg).intervals()
            let seconds = Date().timeIntervalSince(start)
            let fit = try ModelFit(model: model, options: options).run()
            print("\(name) (\(options.statistic.rawValue), nuisances \(model.fittedParameterNames.dropFirst())): κ̂ = \(fit.values[0]) ± \(fit.covariance[0][0].squareRoot()), \(String(format: "%.2f", seconds)) s")
            for r in results {
                let bands = r.expected.map { " expected κ_up median \($0.median) [±1σ \($0.minus1Sigma)…\($0.plus1Sigma), ±2σ \($0.minus2Sigma)…\($0.plus2Sigma)]" } ?? ""
                print("  \(r.method.rawValue): κ_up = \(r.kappaUpper) (μ_ν < \(r.kappaUpper.squareRoot()) × 1e-10 μ_B)\(bands)")
                for note in r.notes { print("    · \(note)") }
                XCTAssertTrue(r.kappaUpper > 0 && r.kappaUpper.isFinite)
                XCTAssertEqual(r.curves[1].values.last!, 1, accuracy: 1e-12)
                if let e = r.expected { XCTAssertLessThan(e.minus2Sigma, e.plus2Sigma) }
            }
            XCTAssertLessThan(results[1].kappaUpper, results[0].kappaUpper, "\(name): a prior flat in μ_ν favours small κ")
        }
    }
}
