import NMMCore

/// One stage of the pipeline: its typed inputs (other stages' outputs), its output, and the
/// config sections it reads itself.
public struct StageSpec: Sendable, Equatable {
    public let stage: StageName
    /// The stages whose outputs this stage reads, in the order they become PARENTn (the limit's
    /// Gaussian belt reads only the fit; its toys read the model too).
    public let inputs: [StageName]
    /// NMMTYPE of the output; nil for the report (a folder of SVG and HTML).
    public let kind: ProductKind?
    /// The output, relative to build/<experiment>/ (for the report: the page make tracks).
    public let output: String
    /// Human-readable files written beside the output.
    public let sideOutputs: [String]
    /// The config sections this stage reads (its inputs carry the sections before it).
    public let sections: [ConfigSection]
}

/// The stage graph, written once: `Pipeline.run`, the PARENTn of every product, the config
/// sections recorded in (and checked against) every product, `nmm inputs`, `nmm stamps` and
/// the Makefile's stage rules (`nmm makefile` → mk/stages.mk, checked in a test) come from it.
public enum StageGraph {
    public static let stages: [StageSpec] = [
        StageSpec(stage: .ingest, inputs: [], kind: .spectra, output: "spectra.fits", sideOutputs: [],
                  sections: [.inputs]),
        StageSpec(stage: .subtract, inputs: [.ingest], kind: .residual, output: "residual.fits", sideOutputs: [],
                  sections: [.analysis]),
        StageSpec(stage: .templates, inputs: [.ingest], kind: .templates, output: "templates.fits", sideOutputs: [],
                  sections: [.detector, .reactor, .source, .neutrino, .coherent, .analysis, .systematics]),
        StageSpec(stage: .model, inputs: [.subtract, .templates], kind: .model, output: "model.fits", sideOutputs: [],
                  sections: [.fit, .model, .systematics]),
        StageSpec(stage: .fit, inputs: [.model], kind: .fit, output: "fit.fits", sideOutputs: [],
                  sections: [.fit]),
        StageSpec(stage: .limit, inputs: [.fit, .model], kind: .limit, output: "limit.fits",
                  sideOutputs: ["limit.json"], sections: [.limit, .fit, .neutrino, .source]),
        StageSpec(stage: .report, inputs: [.ingest, .subtract, .templates, .fit, .limit], kind: nil,
                  output: "report/index.html", sideOutputs: [],
                  sections: [.experiment, .detector, .reactor, .source, .neutrino, .coherent, .analysis]),
    ]

    public static func spec(_ stage: StageName) -> StageSpec {
        // Every StageName has a row (StageGraphTests checks it), so this cannot fail.
        stages.first { $0.stage == stage }!
    }

    /// The stage that writes files of this type (LIMITSHARD: slices of the limit stage).
    public static func stage(writing kind: ProductKind) -> StageName {
        switch kind {
        case .spectra: .ingest
        case .residual: .subtract
        case .templates: .templates
        case .model: .model
        case .fit: .fit
        case .limit, .limitShard: .limit
        }
    }

    /// Sections read by `stage` or by any stage before it, in `ConfigSection` order.
    public static func upstreamSections(of stage: StageName) -> [ConfigSection] {
        var seen = Set(spec(stage).sections)
        for input in spec(stage).inputs { seen.formUnion(upstreamSections(of: input)) }
        return ConfigSection.allCases.filter(seen.contains)
    }

    /// The first stage (in pipeline order) that reads `section`: where a rerun must start.
    public static func firstReader(of section: ConfigSection) -> StageName? {
        stages.first { $0.sections.contains(section) }?.stage
    }
}
