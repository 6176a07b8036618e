import Foundation
import NMMCore
@testable import NMMStages
import NMMStatistics
import XCTest

/// The templates stage's shape generators: ±1σ templates that bracket the nominal one, of a
/// size the physics makes plausible, written to templates.fits and read back, and carried by
/// the model stage into the shape modifiers of sm and mm.
final class TemplateVariationTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func munu(_ extra: String) throws -> AnalysisConfig {
        var text = try String(contentsOf: Self.root.appendingPathComponent("config/munu2005.yaml"), encoding: .utf8)
        text = Self.withoutSystematics(text).replacingOccurrences(of: "../Fixtures/", with: Self.root.path + "/Fixtures/") + "\n" + extra + "\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-var-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ConfigLoader.load(path: path)
    }

    /// The shipped file without its `systematics` block (the tests add their own).
    static func withoutSystematics(_ text: String) -> String {
        guard let start = text.range(of: "\nsystematics:"), let end = text.range(of: "\nlimit:", range: start.upperBound..<text.endIndex) else {
            return text
        }
        return text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "")
    }

    func testShapeTemplatesBracketTheNominalAndRoundTrip() throws {
        let config = try munu("""
            systematics:
              - {name: spectrumBelow2MeV, kind: shape, generator: reactorBelow2MeV, samples: [sm, mm]}
              - {name: energyScale, kind: shape, generator: energyScale, size: 0.02, samples: [sm, mm]}
            """)
        let pair = try Ingest().run(config: config, onPath: config.onPath, offPath: config.offPath)
        let t = try Templates().run(pair, config: config)
        XCTAssertEqual(Set(t.shapeVariations.keys), ["spectrumBelow2MeV", "energyScale"])
        for (name, v) in t.shapeVariations {
            for (sample, pair, nominal) in [("sm", v.sm!, t.smRate), ("mm", v.mm!, t.mmRate)] {
                let rel = nominal.indices.map { (pair.up[$0] - pair.down[$0]) / (2 * nominal[$0]) }
                let brackets = nominal.indices.filter { (pair.down[$0] - nominal[$0]) * (pair.up[$0] - nominal[$0]) < 0 }.count
                print("\(name) \(sample): ±1σ half-difference / nominal per bin \(rel.map { String(format: "%.4f", $0) })")
                XCTAssertGreaterThanOrEqual(brackets, nominal.count * 3 / 4, "\(name) \(sample): ±1σ should bracket the nominal")
                XCTAssertTrue(rel.allSatisfy { abs($0) < 0.3 }, "\(name) \(sample): \(rel)")
                XCTAssertTrue(rel.contains { abs($0) > 0.002 }, "\(name) \(sample): no variation")
            }
        }
        // The <2 MeV treatment matters at MUNU's 700 keV threshold (several per cent on SM).
        let below = t.shapeVariations["spectrumBelow2MeV"]!.sm!
        XCTAssertGreaterThan(abs(below.up[0] - below.down[0]) / (2 * t.smRate[0]), 0.01)
        let again = try TemplateSet(document: t.document())
        XCTAssertEqual(again.shapeVariations, t.shapeVariations)
    }

    func testTheNominalTemplatesDoNotChangeWithShapeNuisances() throws {
        let plain = try munu("")
        let shaped = try munu("systematics:\n  - {name: s, kind: shape, generator: energyScale, size: 0.01, samples: [sm]}")
        let pair = try Ingest().run(config: plain, onPath: plain.onPath, offPath: plain.offPath)
        let a = try Templates().run(pair, config: plain), b = try Templates().run(pair, config: shaped)
        XCTAssertEqual(a.smRate, b.smRate)
        XCTAssertEqual(a.mmRate, b.mmRate)
        XCTAssertTrue(a.shapeVariations.isEmpty)
    }

    func testAnEfficiencyShapeNeedsAnEfficiencyTable() throws {
        let config = try munu("systematics:\n  - {name: eff, kind: shape, generator: efficiency, size: 0.1, samples: [sm, mm]}")
        let pair = try Ingest().run(config: config, onPath: config.onPath, offPath: config.offPath)
        if config.detector.efficiency == nil {
            XCTAssertThrowsError(try Templates().run(pair, config: config)) { error in
                XCTAssertTrue("\(error)".contains("detector.efficiency"), "\(error)")
            }
        } else {
            XCTAssertNotNil(try Templates().run(pair, config: config).shapeVariations["eff"])
        }
    }
}

/// Event lists: the templates follow the ON power history (FLUXSCAL) and the log's fission fractions.
final class TemplateFluxScaleTests: XCTestCase {
    func testTheTemplatesScaleWithTheMeanOnPower() throws {
        let root = TemplateVariationTests.root
        var text = try String(contentsOf: root.appendingPathComponent("config/default.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "../Fixtures/", with: root.path + "/Fixtures/")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-fs-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try ConfigLoader.load(path: path)
        var pair = try Ingest().run(config: config, onPath: config.onPath, offPath: config.offPath)
        let nominal = try Templates().run(pair, config: config)
        pair.eventSelection = EventSelectionSummary(nominalPowerMW: 2900, onPowerFraction: 0.9, offPowerFraction: 0.05,
                                                    transitionMarginHours: 1, deadTimeFraction: 0, onTimeDays: 100,
                                                    offTimeDays: 20, onMeanPowerMW: 2755, offMeanPowerMW: 0, onEvents: 10,
                                                    offEvents: 5, onEventsBinned: 10, offEventsBinned: 5, onFissionFractions: nil)
        let scaled = try Templates().run(pair, config: config)
        let f = 2755.0 / 2900
        for i in nominal.smRate.indices {
            XCTAssertEqual(scaled.smRate[i], nominal.smRate[i] * f, accuracy: 1e-15 * nominal.smRate[i])
            XCTAssertEqual(scaled.mmRate[i], nominal.mmRate[i] * f, accuracy: 1e-15 * nominal.mmRate[i])
        }
        XCTAssertEqual(scaled.totalFluxPerCm2PerS, nominal.totalFluxPerCm2PerS * f, accuracy: 1)
        XCTAssertTrue(scaled.inputs.contains { $0.name == "FLUXSCAL" })
    }
}

/// CEvNS is its own sample of the model, and the quenching a shape nuisance (issue 18).
final class CoherentSampleTests: XCTestCase {
    func testCEvNSIsASampleAndQuenchingASystematic() throws {
        let root = TemplateVariationTests.root
        var text = try String(contentsOf: root.appendingPathComponent("config/conus-plus.yaml"), encoding: .utf8)
        text = TemplateVariationTests.withoutSystematics(text).replacingOccurrences(of: "../Fixtures/", with: root.path + "/Fixtures/")
            + "\nsystematics:\n  - {name: quenchingK, kind: shape, generator: quenching, size: 0.1, samples: [cevns, mm]}\n"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-coh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: path)
        let paths = StagePaths(directory: dir.appendingPathComponent("b").path)
        try Pipeline(config: config).run(from: .ingest, to: .fit, paths: paths)
        let model = try ProductStore.read(ModelProduct.self, from: paths.model).0.model
        let d = model.dataSets[0]
        XCTAssertEqual(d.samples.map(\.name), ["sm", "cevns", "mm"])
        let cevns = try XCTUnwrap(d.samples.first { $0.name == "cevns" })
        XCTAssertGreaterThan(cevns.rate.reduce(0, +), 0)
        let v = try XCTUnwrap(cevns.shapeVariations["quenchingK"])
        // A larger k puts more of each recoil into ionisation: the CEvNS spectrum moves up in energy.
        XCTAssertNotEqual(v.up, v.down)
        XCTAssertEqual(try XCTUnwrap(d.samples.first { $0.name == "sm" }).shapeVariations["quenchingK"], nil)
        let fit = try ProductStore.read(FitProduct.self, from: paths.fit).0
        XCTAssertEqual(fit.parameterNames, ["kappa", "smNorm", "quenchingK"])   // conus-plus frees the SM normalisation
        XCTAssertTrue(fit.kappaError.isFinite)
    }
}
