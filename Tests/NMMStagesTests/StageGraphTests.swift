import Foundation
import NMMCore
@testable import NMMStages
import XCTest

/// The stage graph is the one description of the pipeline: every stage has one row, in
/// pipeline order, inputs before the stages that read them; the Makefile's stage rules are
/// generated from it; a stage records the sections of its whole chain.
final class StageGraphTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testEveryStageHasOneRowInPipelineOrderWithItsInputsBeforeIt() {
        XCTAssertEqual(StageGraph.stages.map(\.stage), StageName.allCases)
        for (i, spec) in StageGraph.stages.enumerated() {
            for input in spec.inputs {
                let j = StageGraph.stages.firstIndex { $0.stage == input }
                XCTAssertNotNil(j)
                XCTAssertLessThan(j ?? .max, i, "\(spec.stage) reads \(input), which must run before it")
            }
            XCTAssertFalse(spec.sections.isEmpty, "\(spec.stage) declares the config sections it reads")
        }
        for kind in ProductKind.allCases {
            let stage = StageGraph.stage(writing: kind)
            XCTAssertTrue(StageGraph.spec(stage).kind == kind || kind == .limitShard)
        }
    }

    func testTheCommittedMakefileRulesAreTheGraphs() throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent("mk/stages.mk"), encoding: .utf8)
        XCTAssertEqual(committed, StageGraph.makefileRules(),
                       "mk/stages.mk differs from the stage graph: regenerate it with `nmm makefile > mk/stages.mk`")
        for spec in StageGraph.stages {
            XCTAssertTrue(committed.contains("$(OUT)/\(spec.output):"), spec.output)
        }
        let makefile = try String(contentsOf: Self.root.appendingPathComponent("Makefile"), encoding: .utf8)
        XCTAssertTrue(makefile.contains("include mk/stages.mk"))
    }

    func testUpstreamSectionsFollowTheInputs() {
        XCTAssertEqual(StageGraph.upstreamSections(of: .ingest), [.inputs])
        XCTAssertEqual(StageGraph.upstreamSections(of: .fit),
                       [.detector, .reactor, .source, .neutrino, .coherent, .inputs, .analysis, .fit, .model, .systematics])
        XCTAssertEqual(StageGraph.upstreamSections(of: .limit),
                       [.detector, .reactor, .source, .neutrino, .coherent, .inputs, .analysis, .fit, .limit, .model, .systematics])
        XCTAssertFalse(StageGraph.upstreamSections(of: .report).contains(.simulation))
        XCTAssertEqual(StageGraph.firstReader(of: .analysis), .subtract)
        XCTAssertEqual(StageGraph.firstReader(of: .limit), .limit)
    }

    func config(_ text: String) throws -> AnalysisConfig { try ConfigLoader.parse(text: text, file: "t.yaml") }

    func testOnlyTheChangedSectionHashesChangeAndFormattingDoesNot() throws {
        let base = ConfigSchema.minimalExample + "\nlimit: {seed: 1, cl: 0.9}\n"
        let a = try config(base)
        let reformatted = try config("# a comment\n" + base.replacingOccurrences(of: "{seed: 1, cl: 0.9}", with: "\n  cl: 0.9\n  seed: 1"))
        for s in ConfigSection.allCases { XCTAssertEqual(a.sectionSHA256(s), reformatted.sectionSHA256(s), s.rawValue) }
        let b = try config(base.replacingOccurrences(of: "seed: 1", with: "seed: 2"))
        let changed = ConfigSection.allCases.filter { a.sectionSHA256($0) != b.sectionSHA256($0) }
        XCTAssertEqual(changed, [.limit])
        let stamps = StageName.allCases.filter { SectionStamps.content($0, config: a) != SectionStamps.content($0, config: b) }
        XCTAssertEqual(stamps, [.limit], "a new seed must touch the limit's stamp alone")
    }

    func testStampsAreRewrittenOnlyWhenTheirContentChanges() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-stamps-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let paths = StagePaths(directory: dir)
        let a = try config(ConfigSchema.minimalExample + "\nlimit: {seed: 1}\n")
        XCTAssertEqual(try SectionStamps.write(config: a, paths: paths).count, StageName.allCases.count)
        XCTAssertEqual(try SectionStamps.write(config: a, paths: paths), [])
        let b = try config(ConfigSchema.minimalExample + "\nlimit: {seed: 2}\n")
        XCTAssertEqual(try SectionStamps.write(config: b, paths: paths), [paths.sectionStamp(.limit)])
    }

    func testAChoiceWithAnUnknownWordNamesKeyLineAndTheChoices() throws {
        XCTAssertThrowsError(try config(ConfigSchema.minimalExample + "\nfit:\n  method: chi3\n")) { error in
            let e = error as? ConfigError
            XCTAssertEqual(e?.key, "fit.method")
            XCTAssertNotNil(e?.line)
            XCTAssertTrue("\(error)".contains("expected chi2 or poisson, found 'chi3'"), "\(error)")
        }
        XCTAssertEqual(try config(ConfigSchema.minimalExample + "\nfit: {residualErrors: observed}\n").fitResidualErrors, .observedCounts)
        XCTAssertEqual(try config(ConfigSchema.minimalExample).fitResidualErrors, .expected)
    }

    func testAMalformedSeedCardIsRefused() throws {
        let limit = try Limit().gaussian(kappaHat: 0.1, statError: 1, settings: LimitSettings(gridPoints: 5))
        var doc = limit.document()
        doc.primaryKeywords = doc.primaryKeywords.map { $0.name == "SEED" ? FITSKeyword("SEED", .string("12x"), "") : $0 }
        XCTAssertThrowsError(try LimitProduct(document: doc)) { error in
            XCTAssertTrue("\(error)".contains("SEED"), "\(error)")
        }
    }

    func testALimitFileOfTheOldSchemaIsRefusedWithTheVersions() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-old-\(UUID().uuidString).fits").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var doc = try Limit().gaussian(kappaHat: 0.1, statError: 1, settings: LimitSettings(gridPoints: 5)).document()
        doc.primaryKeywords = [FITSKeyword("NMMTYPE", .string("LIMIT")), FITSKeyword("NMMSCHEM", .int(1))] + doc.primaryKeywords
        try FITSIO.write(doc, to: path)
        XCTAssertThrowsError(try ProductStore.read(LimitProduct.self, from: path)) { error in
            XCTAssertTrue("\(error)".contains("unknown schema version 1 for LIMIT (this nmm reads 2)"), "\(error)")
        }
    }
}
