import Foundation
import XCTest
@testable import NMMCore

/// The `source` and `coherent` sections (issue 18): choices decode with the list of words, each
/// source kind takes its own keys, the flavour follows the source, every refusal names the key
/// and (through `ConfigLoader.load`) its line; every key of every config type is in the schema.
final class SourceConfigTests: XCTestCase {
    static let minimal = ConfigSchema.minimalExample
    /// The minimal config without its reactor section.
    static let noReactor = """
        experiment: t
        detector: {target: Ge, massKg: 1}
        inputs: {on: on.fits, off: off.fits}
        analysis: {windowKeV: [0.01, 1.3]}
        """

    func parse(_ text: String) throws -> AnalysisConfig {
        var c = try ConfigLoader.parse(text: text, file: "test.yaml")
        c.sourcePath = "test.yaml"
        try c.validate()
        return c
    }

    func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ConfigError? {
        do { _ = try parse(text); XCTFail("accepted:\n\(text)", file: file, line: line); return nil } catch let e as ConfigError { return e } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line); return nil
        }
    }

    func testWithoutTheNewSectionsNothingChanges() throws {
        let c = try parse(Self.minimal)
        XCTAssertEqual(c.sourceKind, .reactor)
        XCTAssertEqual(c.flavor, .antiNuE)
        XCTAssertFalse(c.coherentEnabled)
        XCTAssertEqual(String(decoding: c.sectionJSON(.source), as: UTF8.self), "null")
        XCTAssertEqual(String(decoding: c.sectionJSON(.coherent), as: UTF8.self), "null")
    }

    func testTheFlavourFollowsTheSource() throws {
        let lines = try parse(Self.minimal + "\nsource: {kind: reactor-lines}\n")
        XCTAssertEqual(lines.flavor, .nuE)
        let tritium = try parse(Self.noReactor + "\nsource: {kind: tritium, totalFluxPerCm2PerS: 6.0e14}\n")
        XCTAssertEqual(tritium.flavor, .antiNuE)
        XCTAssertEqual(try parse(Self.minimal + "\nsource: {kind: reactor-lines}\nneutrino: {flavor: nu_e}\n").flavor, .nuE)
        // A reactor keeps its what-if flavour (another species' couplings on the reactor spectrum).
        XCTAssertEqual(try parse(Self.minimal + "\nneutrino: {flavor: nu_mu}\n").flavor, .nuMu)
        let e = error(Self.minimal + "\nsource: {kind: reactor-lines}\nneutrino: {flavor: anti-nu_e}\n")
        XCTAssertEqual(e?.key, "neutrino.flavor")
        XCTAssertTrue(e?.message.contains("reactor-lines emits nu_e, found 'anti-nu_e'") ?? false, e?.message ?? "")
    }

    func testSourceKeysBelongToTheirKind() {
        let cases: [(String, String, String)] = [
            (Self.minimal, "source: {kind: reactor, chromiumShare: 0.5}", "source.chromiumShare"),
            (Self.minimal, "source: {kind: reactor-lines, activityCi: 1}", "source.activityCi"),
            (Self.minimal, "source: {kind: reactor-lines, chromiumShare: 1.5}", "source.chromiumShare"),
            (Self.minimal, "source: {kind: reactor-lines, neutrinosPerFission: -1}", "source.neutrinosPerFission"),
            (Self.minimal, "source: {kind: reactor-lines, totalFluxPerCm2PerS: 7.4e8}", "reactor"),
            (Self.noReactor, "source: {kind: reactor-lines}", "reactor"),
            (Self.noReactor, "source: {kind: reactor-lines, totalFluxPerCm2PerS: 7.4e8, neutrinosPerFission: 8.3e-4}",
             "source.neutrinosPerFission"),
            (Self.minimal, "source: {kind: tritium, totalFluxPerCm2PerS: 6.0e14}", "reactor"),
            (Self.noReactor, "source: {kind: tritium}", "source"),
            (Self.noReactor, "source: {kind: tritium, activityCi: 4.0e7}", "source.distanceM"),
            (Self.noReactor, "source: {kind: tritium, activityCi: 4.0e7, distanceM: 0.14, totalFluxPerCm2PerS: 6.0e14}", "source"),
            (Self.noReactor, "source: {kind: tritium, totalFluxPerCm2PerS: 6.0e14, endpointKeV: 0}", "source.endpointKeV"),
            (Self.noReactor, "source: {kind: reactor}", "reactor"),
            (Self.noReactor, "neutrino: {flavor: anti-nu_e}", "reactor"),
        ]
        for (base, extra, key) in cases {
            let e = error(base + "\n" + extra + "\n")
            XCTAssertEqual(e?.key, key, extra)
            XCTAssertEqual(e?.exitStatus, .dataError, extra)
        }
        XCTAssertNoThrow(try parse(Self.noReactor + "\nsource: {kind: tritium, activityCi: 4.0e7, distanceM: 0.14}\n"))
        XCTAssertNoThrow(try parse(Self.noReactor + "\nsource: {kind: reactor-lines, totalFluxPerCm2PerS: 7.4e8, chromiumShare: 1}\n"))
    }

    func testChoicesNameTheirWords() {
        let kind = error(Self.minimal + "\nsource: {kind: cobalt}\n")
        XCTAssertEqual(kind?.key, "source.kind")
        XCTAssertTrue(kind?.message.contains("expected reactor, reactor-lines or tritium, found 'cobalt'") ?? false, kind?.message ?? "")
        XCTAssertNotNil(kind?.line)
        let model = error(Self.minimal + "\ncoherent: {quenching: {model: birks}}\n")
        XCTAssertEqual(model?.key, "coherent.quenching.model")
        XCTAssertTrue(model?.message.contains("expected none, lindhard or table, found 'birks'") ?? false, model?.message ?? "")
    }

    func testCoherentSection() throws {
        let on = try parse(Self.minimal + "\ncoherent: {quenching: {model: lindhard, k: 0.162}}\n")
        XCTAssertTrue(on.coherentEnabled)
        XCTAssertFalse(try parse(Self.minimal + "\ncoherent: {enabled: false, quenching: {model: none}}\n").coherentEnabled)
        XCTAssertNoThrow(try parse(Self.minimal + "\ncoherent: {quenching: {model: table, table: [[0.5, 0.12], [5, 0.2]]}}\n"))
        let cases: [(String, String)] = [
            ("coherent: {enabled: true}", "coherent.quenching"),
            ("coherent: {quenching: {model: lindhard}}", "coherent.quenching.k"),
            ("coherent: {quenching: {model: lindhard, k: -1}}", "coherent.quenching.k"),
            ("coherent: {quenching: {model: none, k: 0.16}}", "coherent.quenching.k"),
            ("coherent: {quenching: {model: lindhard, k: 0.16, table: [[1, 0.2]]}}", "coherent.quenching.table"),
            ("coherent: {quenching: {model: table}}", "coherent.quenching.table"),
            ("coherent: {quenching: {model: table, table: [[1, 0.2], [0.5, 0.1]]}}", "coherent.quenching.table[1]"),
            ("coherent: {quenching: {model: table, table: [[1, 1.2]]}}", "coherent.quenching.table[0]"),
            ("coherent: {quenching: {model: table, table: [[1]]}}", "coherent.quenching.table[0]"),
            ("coherent: {quenching: {model: none, Y: 1}}", "coherent.quenching.Y"),
        ]
        for (extra, key) in cases {
            XCTAssertEqual(error(Self.minimal + "\n" + extra + "\n")?.key, key, extra)
        }
    }

    // Semantic refusals carry the line of their key (or of the nearest enclosing key in the file).
    func testLoadedConfigErrorsNameTheLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-source-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func load(_ text: String) -> ConfigError? {
            let path = dir.appendingPathComponent("c.yaml").path
            try? text.write(toFile: path, atomically: true, encoding: .utf8)
            do { _ = try ConfigLoader.load(path: path); return nil } catch { return error as? ConfigError }
        }
        let e = load(Self.minimal + "\nsource:\n  kind: reactor-lines\n  chromiumShare: 2\n")
        XCTAssertEqual(e?.key, "source.chromiumShare")
        XCTAssertEqual(e?.line, 11)
        XCTAssertTrue(e?.description.contains("c.yaml:11: source.chromiumShare: expected a share in [0, 1]") ?? false, e?.description ?? "")
        let table = load(Self.minimal + "\ncoherent:\n  quenching:\n    model: table\n    table:\n      - [1, 0.2]\n      - [0.5, 0.1]\n")
        XCTAssertEqual(table?.key, "coherent.quenching.table[1]")
        XCTAssertEqual(table?.line, 14)
        XCTAssertEqual(load(Self.minimal.replacingOccurrences(of: "massKg: 1.06", with: "massKg: 0"))?.line, 2)
    }

    /// Every stored property of every config type (Mirror lists nil optionals too) is a key of
    /// ConfigSchema at its path: a key added to a config struct and forgotten in the schema
    /// would be refused as unknown in every file.
    func testEveryConfigPropertyIsInTheSchema() throws {
        let full = try parse(Self.noReactor + """

            source: {kind: tritium, totalFluxPerCm2PerS: 6.0e14}
            neutrino: {flavor: anti-nu_e}
            coherent: {quenching: {model: none}}
            fit: {method: chi2}
            limit: {cl: 0.9}
            simulation: {rangeKeV: [0.01, 1.3], binWidthKeV: 0.01, onLiveTimeHours: 1, offLiveTimeHours: 1, backgroundPerKgKeVDay: 1}
            """)
        var withReactor = try parse(Self.minimal)
        withReactor.detector.resolution = ResolutionConfig(aKeV: 0, bKeV: 0, c: 0)
        var missing: [String] = []
        func check(_ value: Any, _ shape: ConfigSchema.Shape, _ path: String) {
            guard case .map(let fields) = shape else { return }
            for child in Mirror(reflecting: value).children {
                guard let label = child.label, label != "sourcePath", label != "sha256" else { continue }
                guard let sub = fields[label] else { missing.append(path + label); continue }
                let m = Mirror(reflecting: child.value)
                let unwrapped: Any? = m.displayStyle == .optional ? m.children.first?.value : child.value
                if let v = unwrapped, Mirror(reflecting: v).displayStyle == .struct { check(v, sub, path + label + ".") }
            }
        }
        check(full, ConfigSchema.node, "")
        check(withReactor, ConfigSchema.node, "")
        XCTAssertEqual(missing, [], "config properties missing from ConfigSchema")
        let sections = Mirror(reflecting: full).children.compactMap(\.label)
            .filter { !["experiment", "description", "sourcePath", "sha256"].contains($0) }
        XCTAssertEqual(Set(sections), Set(ConfigSection.allCases.map(\.rawValue)).subtracting(["experiment"]),
                       "every top-level section is a ConfigSection (its own hash, its stage-graph rows)")
    }

    // The new sections are documented by example: every key of `source` and `coherent` appears
    // in a shipped config (as a key or in a comment).
    func testTheNewKeysAppearInTheShippedConfigs() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("config")
        let text = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
            .map { try String(contentsOfFile: dir.appendingPathComponent($0).path, encoding: .utf8) }.joined(separator: "\n")
        for key in ["source", "kind", "neutrinosPerFission", "chromiumShare", "activityCi", "distanceM", "totalFluxPerCm2PerS",
                    "endpointKeV", "coherent", "enabled", "formFactor", "quenching", "model", "k", "table"] {
            XCTAssertTrue(text.contains("\(key):"), "no shipped config shows \(key)")
        }
    }
}
