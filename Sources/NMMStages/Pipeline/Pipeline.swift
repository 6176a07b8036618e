import Foundation
import Logging
import NMMCore
import NMMStatistics

/// File-level stage runs: read typed inputs, call the stage, write the typed output with
/// provenance (atomically). The CLI and `analyze` call these; each stage reruns alone.
/// Every input is checked against the config: a file made from other content of a config
/// section its chain read is refused (exit 65) unless `allowConfigMismatch`, and then the
/// acceptance is recorded in the output (CFGMISMn).
public struct Pipeline: Sendable {
    public let config: AnalysisConfig
    public let logger: Logger
    public var allowConfigMismatch: Bool
    let mismatches = MismatchLog()

    public init(config: AnalysisConfig, logger: Logger = Logger(label: "nmm"), allowConfigMismatch: Bool = false) {
        self.config = config
        self.logger = logger
        self.allowConfigMismatch = allowConfigMismatch
    }

    func provenance<P: StageProduct>(_ type: P.Type, parents: [String]) throws -> Provenance {
        let ps = try parents.map { Provenance.Parent(file: $0, sha256: try SHA256Hex.of(fileAt: $0)) }
        let sections = StageGraph.upstreamSections(of: StageGraph.stage(writing: P.kind)).map {
            Provenance.SectionHash(section: $0, sha256: config.sectionSHA256($0))
        }
        return Provenance(kind: P.kind, schemaVersion: P.schemaVersion, configSHA256: config.sha256, parents: ps,
                          sections: sections, configMismatches: mismatches.lines(for: parents))
    }

    func write<P: StageProduct>(_ product: P, to output: String, parents: [String]) throws {
        try StagePaths.prepareFolder(for: output)
        try ProductStore.write(product, provenance: try provenance(P.self, parents: parents), to: output)
        logger.info("wrote \(output) (\(P.kind.rawValue))")
    }

    func read<P: StageProduct>(_ type: P.Type, _ path: String) throws -> P {
        let (product, provenance) = try ProductStore.read(type, from: path)
        try checkSections(provenance, file: path)
        return product
    }

    /// Refuses (or, when allowed, records) an input made from other content of a config
    /// section than `config` holds now.
    public func checkSections(_ provenance: Provenance, file: String) throws {
        for (i, recorded) in provenance.sections.enumerated() {
            let current = config.sectionSHA256(recorded.section)
            guard current != recorded.sha256.lowercased() else { continue }
            if allowConfigMismatch {
                mismatches.add(file: file, section: recorded.section)
                logger.warning("\(file) was made from a different '\(recorded.section.rawValue)' section than \(config.sourcePath); used anyway (--allow-config-mismatch, recorded in the output)")
                continue
            }
            let stage = StageGraph.firstReader(of: recorded.section)?.rawValue ?? "first"
            throw ProductError.configMismatch(file: file, config: config.sourcePath.isEmpty ? "the config" : config.sourcePath,
                                              section: recorded.section, index: i + 1, recorded: recorded.sha256,
                                              current: current, rerunFrom: stage)
        }
    }

    @discardableResult
    public func ingest(output: String, onPath: String? = nil, offPath: String? = nil) throws -> SpectrumPair {
        let source = Ingest.source(config: config, onPath: onPath, offPath: offPath)
        let pair = try Ingest().run(source, config: config)
        try write(pair, to: output, parents: source.inputFiles)
        return pair
    }

    @discardableResult
    public func subtract(input: String, output: String) throws -> Residual {
        let residual = try Subtract().run(try read(SpectrumPair.self, input), config: config)
        try write(residual, to: output, parents: [input])
        logger.info("residual: \(residual.binCount) bins in [\(config.windowLowKeV), \(config.windowHighKeV)] keV, \(residual.usedCount) used")
        return residual
    }
}

extension Pipeline {
    @discardableResult
    public func templates(input: String, output: String) throws -> TemplateSet {
        let t = try Templates().run(try read(SpectrumPair.self, input), config: config)
        try write(t, to: output, parents: [input])
        logger.info("templates: \(t.smRate.count) bins, total flux \(t.totalFluxPerCm2PerS) /cm2/s")
        return t
    }

    /// Runs one stage on the default paths: its inputs are the outputs of the stages the graph
    /// names for it, in the graph's order.
    public func run(_ stage: StageName, paths: StagePaths, progress: ProgressHandler? = nil) throws {
        let inputs = paths.inputs(of: stage), output = paths.path(stage)
        switch stage {
        case .ingest: try ingest(output: output)
        case .subtract: try subtract(input: inputs[0], output: output)
        case .templates: try templates(input: inputs[0], output: output)
        case .model: try model(residual: inputs[0], templates: inputs[1], output: output)
        case .fit: try fit(model: inputs[0], output: output)
        case .limit:
            try limit(fit: inputs[0], model: inputs[1], output: output, jsonOutput: paths.limitJSON, progress: progress)
        case .report: try report(paths: paths)
        }
    }

    /// Runs the stages from `first` through `last` in the graph's order.
    public func run(from first: StageName, to last: StageName, paths: StagePaths, progress: ProgressHandler? = nil) throws {
        for spec in StageGraph.stages where spec.stage >= first && spec.stage <= last {
            try run(spec.stage, paths: paths, progress: progress)
        }
    }

    /// The limit line of an existing limit file.
    public func headline(limitPath: String) throws -> String {
        try read(LimitProduct.self, limitPath).headline
    }
}

extension Pipeline {
    @discardableResult
    public func model(residual: String, templates: String, output: String) throws -> ModelProduct {
        let r = try read(Residual.self, residual), t = try read(TemplateSet.self, templates)
        var model = try ModelBuild().run(r, t, config: config, residualFile: residual, templatesFile: templates)
        var parents = [residual, templates]
        for member in try combinationMembers(beside: output) {
            do {
                model = try model.combined(with: member.model)
            } catch let e as StatisticsError {
                throw InputError(file: member.file, field: "model.combine", "\(e)")
            }
            parents.append(member.file)
        }
        let product = ModelProduct(model)
        try write(product, to: output, parents: parents)
        let m = product.model
        logger.info("model: \(m.dataSets.count) data set(s), \(m.dataSets.map(\.binCount).reduce(0, +)) bins, parameters \(m.parameterNames.joined(separator: ", "))")
        return product
    }

    @discardableResult
    public func fit(model: String, output: String, method: FitMethod? = nil) throws -> FitProduct {
        let m = try read(ModelProduct.self, model).model
        let result = try Fit().run(m, config: config, method: method, modelFile: model)
        let product = FitProduct(result)
        try write(product, to: output, parents: [model])
        logger.info("fit (\(result.method.rawValue)): kappa = \(result.kappa) ± \(result.kappaError), minimum \(result.minimum) / \(result.ndof) dof, p = \(result.pValue)")
        for note in result.notes { logger.notice("fit: \(note)") }
        if !result.converged { logger.warning("fit did not converge; see CONVERGD in \(output)") }
        return product
    }
}
