import Foundation
import Logging
import NMMCore
import NMMStatistics

/// File-level stage runs: read typed inputs, call the stage, write the typed output with
/// provenance (atomically). The CLI and `analyze` call these; each stage reruns alone.
public struct Pipeline: Sendable {
    public let config: AnalysisConfig
    public let logger: Logger

    public init(config: AnalysisConfig, logger: Logger = Logger(label: "nmm")) {
        self.config = config
        self.logger = logger
    }

    func provenance<P: StageProduct>(_ type: P.Type, parents: [String]) throws -> Provenance {
        let ps = try parents.map { Provenance.Parent(file: $0, sha256: try SHA256Hex.of(fileAt: $0)) }
        return Provenance(kind: P.kind, schemaVersion: P.schemaVersion, configSHA256: config.sha256, parents: ps)
    }

    func write<P: StageProduct>(_ product: P, to output: String, parents: [String]) throws {
        try StagePaths.prepareFolder(for: output)
        try ProductStore.write(product, provenance: try provenance(P.self, parents: parents), to: output)
        logger.info("wrote \(output) (\(P.kind.rawValue))")
    }

    func read<P: StageProduct>(_ type: P.Type, _ path: String) throws -> P {
        let (product, _) = try ProductStore.read(type, from: path)
        return product
    }

    @discardableResult
    public func ingest(output: String, onPath: String? = nil, offPath: String? = nil) throws -> SpectrumPair {
        let on = onPath ?? config.onPath, off = offPath ?? config.offPath
        let pair = try Ingest().run(config: config, onPath: on, offPath: off)
        try write(pair, to: output, parents: [on, off])
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

    /// Runs one stage with the default paths.
    public func run(_ stage: StageName, paths: StagePaths, progress: ProgressHandler? = nil) throws {
        switch stage {
        case .ingest: try ingest(output: paths.spectra)
        case .subtract: try subtract(input: paths.spectra, output: paths.residual)
        case .templates: try templates(input: paths.spectra, output: paths.templates)
        case .fit: try fit(residual: paths.residual, templates: paths.templates, output: paths.fit)
        case .limit:
            try limit(fit: paths.fit, residual: paths.residual, templates: paths.templates,
                      output: paths.limit, jsonOutput: paths.limitJSON, progress: progress)
        case .report: try report(paths: paths)
        }
    }

    /// The limit line of an existing limit file.
    public func headline(limitPath: String) throws -> String {
        try read(LimitProduct.self, limitPath).headline
    }
}

extension Pipeline {
    @discardableResult
    public func fit(residual: String, templates: String, output: String, method: FitMethod? = nil) throws -> FitProduct {
        let r = try read(Residual.self, residual), t = try read(TemplateSet.self, templates)
        let result = try Fit().run(r, t, config: config, method: method, residualFile: residual, templatesFile: templates)
        let product = FitProduct(result)
        try write(product, to: output, parents: [residual, templates])
        logger.info("fit (\(result.method.rawValue)): kappa = \(result.kappa) ± \(result.kappaError), minimum \(result.minimum) / \(result.ndof) dof, p = \(result.pValue)")
        for note in result.notes { logger.notice("fit: \(note)") }
        if !result.converged { logger.warning("fit did not converge; see CONVERGD in \(output)") }
        return product
    }
}
