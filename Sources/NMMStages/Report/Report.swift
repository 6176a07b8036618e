import Foundation
import NMMCore
import NMMStatistics
import NMMPlot

/// report: reads the five stage files and writes build/<experiment>/report/ — spectra.svg,
/// residual.svg, belt.svg, profile.svg, sensitivity.svg, figure4.svg (seed Fig. 4 for the
/// config's source and target, computed from the config's physics sections; figure4-ee.svg
/// too when the config quenches) and index.html (figures inlined, summary table, provenance
/// of every input). All files are written atomically. The report
/// writes no typed file: it is the end of the pipeline.
public struct Report: Sendable {
    public init() {}

    /// The figure files, in page order, with their captions.
    static let figureCaptions: [(file: String, caption: String)] = [
        ("spectra.svg", "Reactor ON and OFF spectra with Poisson error bars (cf. seed Fig. 8a)."),
        ("residual.svg", "ON − OFF residual with the best fit, the Standard-Model expectation and the spectrum excluded at the limit (cf. seed Fig. 8b)."),
        ("belt.svg", "The Feldman–Cousins construction with the measured κ̂ and the interval."),
        ("profile.svg", "Profile of the fit statistic in κ with the confidence-level line."),
        ("methods.svg", "The limit under each interval construction of limit.methods, with each one's expected limit and bands under κ = 0."),
        ("sensitivity.svg", "Expected limit against exposure (seed Eq. 10 scaling for this setup only) with published experiments."),
        (Figure4Data.trueRecoilFile, "Seed Fig. 4 for this source and target: ν–e and coherent ν–N rates, SM and MM (10⁻¹⁰ μ_B), against the true recoil energy."),
        (Figure4Data.electronEquivalentFile, "The same against the electron-equivalent energy, with the config's quenching (what the detector sees)."),
    ]

    /// Writes the report into `outputDirectory` (created if needed) and returns the paths
    /// written. `logY` draws the spectra on a logarithmic rate axis.
    public func run(config: AnalysisConfig, spectraPath: String, residualPath: String, templatesPath: String,
                    fitPath: String, limitPath: String, outputDirectory: String, logY: Bool = false,
                    check: (Provenance, String) throws -> Void = { _, _ in }) throws -> [String] {
        let inputs = try ReportInputs.load(spectraPath: spectraPath, residualPath: residualPath,
                                           templatesPath: templatesPath, fitPath: fitPath, limitPath: limitPath, check: check)
        let figure4 = try Figure4Data.compute(config)
        let svgs = figures(inputs, config: config, logY: logY, figure4: figure4)
        try Self.makeFolder(outputDirectory)
        var written: [String] = []
        var entries: [IndexPage.FigureEntry] = []
        for (file, caption) in Self.figureCaptions {
            guard let svg = svgs[file] else { continue }
            let path = (outputDirectory as NSString).appendingPathComponent(file)
            try AtomicFile.writeData(Data(svg.utf8), to: path)
            written.append(path)
            let crossings = figure4.first { $0.file == file }.map { " " + $0.crossingsText } ?? ""
            entries.append(IndexPage.FigureEntry(file: file, caption: caption + crossings, svg: svg))
        }
        let index = (outputDirectory as NSString).appendingPathComponent("index.html")
        let combination = try CombinationTable.rows(inputs, config: config, reportDirectory: outputDirectory)
        try AtomicFile.writeData(Data(IndexPage().html(inputs, config: config, figures: entries, combination: combination).utf8),
                                 to: index)
        written.append(index)
        return written
    }

    /// The SVG text of every figure, by file name (seed Fig. 4 from `figure4`, see `Figure4Data`).
    func figures(_ inputs: ReportInputs, config: AnalysisConfig, logY: Bool, figure4: [Figure4Data] = []) -> [String: String] {
        var svgs = [
            "spectra.svg": SpectraFigure(logY: logY).figure(inputs, config: config).svg(),
            "residual.svg": ResidualFigure().figure(inputs, config: config).svg(),
            "belt.svg": BeltFigure().figure(inputs, config: config).svg(),
            "profile.svg": ProfileFigure().figure(inputs, config: config).svg(),
            "sensitivity.svg": SensitivityFigure().figure(inputs, config: config).svg(),
        ]
        if let m = MethodsFigure().figure(inputs, config: config) { svgs["methods.svg"] = m.svg() }
        for d in figure4 { svgs[d.file] = Figure4Figure().figure(d).svg() }
        return svgs
    }

    /// Creates the report folder; failing that is "cannot write output" (exit 73).
    static func makeFolder(_ dir: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            guard isDir.boolValue else { throw OutputError(file: dir, "exists and is not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw OutputError(file: dir, "cannot create the report folder: \(error.localizedDescription)")
        }
    }
}
