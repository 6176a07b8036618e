import Foundation
import NMMCore
import NMMStages
import NMMStatistics
import XCTest

/// The configs the interop tests export: the shipped default and MUNU configs, and the default
/// with nuisance parameters (legacy form: the fit section's or the systematics section's
/// normalisations; beyond it: a shape, a log-normal and a free line normalisation).
enum InteropConfig: String, CaseIterable {
    case standard = "default"
    case munu = "munu2005"
    /// systematics: a Gaussian ±10% normalisation on SM and MM (the flux), legacy form.
    case fluxSystematic
    /// fit section: ±20% on SM alone and ±10% on SM and MM: pyhf lumi + a histosys α.
    case twoNormalisations
    /// Beyond the legacy form: a log-normal ±5% and a Gaussian ±10% normalisation on SM and MM,
    /// and a free Gaussian line at 30 keV (the test adds a shape modifier: the templates stage
    /// does not write ±1σ templates yet).
    case beyondLegacy

    /// The default with the toy Neyman construction (few toys: the record's toy belt table).
    case toys

    var file: String { self == .munu ? "munu2005" : "default" }

    /// The shipped file without its `systematics` block (the tests add their own).
    static func withoutSystematics(_ text: String) -> String {
        guard let start = text.range(of: "\nsystematics:"), let end = text.range(of: "\nlimit:", range: start.upperBound..<text.endIndex) else {
            return text
        }
        return text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "")
    }

    /// Text edits of the shipped config file.
    func edit(_ text: String) -> String {
        switch self {
        case .standard: return text
        case .munu: return Self.withoutSystematics(text)   // the shipped nuisances are beyondLegacy's job
        case .toys:
            return text.replacingOccurrences(of: "\n  method: gaussian", with: "\n  method: toys")
                .replacingOccurrences(of: "toysPerPoint: 2000", with: "toysPerPoint: 100")
                .replacingOccurrences(of: "gridPoints: 60", with: "gridPoints: 12")
                .replacingOccurrences(of: "sensitivityToys: 1000", with: "sensitivityToys: 20")
        case .fluxSystematic:
            return text + "\nsystematics:\n  - {name: flux, kind: normalisation, sigma: 0.1, samples: [sm, mm]}\n"
        case .twoNormalisations:
            return text.replacingOccurrences(of: "\nfit:\n  method:", with: "\nfit:\n  smNormalisationSigma: 0.2\n  fluxNormalisationSigma: 0.1\n  method:")
        case .beyondLegacy:
            return text + """

                model: {linesKeV: [[30.0, 0.5]]}
                systematics:
                  - {name: efficiency, kind: normalisation, constraint: lognormal, sigma: 0.05, samples: [sm, mm]}
                  - {name: flux, kind: normalisation, sigma: 0.1, samples: [sm, mm]}

                """
        }
    }
}

/// A temporary folder with configs and stage files made in-process through `Pipeline`.
final class InteropFolder {
    static let root = PythonTools.packageRoot
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// The config (fixture paths made absolute), written beside the stage files and loaded.
    func config(_ c: InteropConfig) throws -> AnalysisConfig {
        var text = try String(contentsOf: Self.root.appendingPathComponent("config/\(c.file).yaml"), encoding: .utf8)
        text = c.edit(text.replacingOccurrences(of: "../Fixtures/", with: Self.root.path + "/Fixtures/"))
        let file = path("\(c.rawValue).yaml")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return try ConfigLoader.load(path: file)
    }

    /// Runs the stages ingest … `last` for `c` into <dir>/<config>/.
    func run(_ c: InteropConfig, to last: StageName) throws -> (Pipeline, StagePaths) {
        let p = Pipeline(config: try config(c)), paths = StagePaths(directory: path(c.rawValue))
        try p.run(from: .ingest, to: last, paths: paths)
        return (p, paths)
    }
}
