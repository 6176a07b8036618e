import Foundation
import NMMCore

extension Pipeline {
    /// limit from the fit file (and, for toys, the residual and templates it was made from).
    @discardableResult
    public func limit(fit: String, residual: String, templates: String, output: String, jsonOutput: String?,
                      settings: LimitSettings? = nil, progress: ProgressHandler? = nil) throws -> LimitProduct {
        let s = try settings ?? LimitSettings(config: config)
        let f = try read(FitProduct.self, fit)
        if !f.converged { logger.warning("the fit in \(fit) did not converge (CONVERGD = F); its κ̂ and σ are used as they are") }
        let product: LimitProduct
        switch s.method {
        case .gaussian:
            product = try Limit().gaussian(kappaHat: f.kappa, statError: f.kappaError, settings: s)
        case .toys:
            let r = try read(Residual.self, residual), t = try read(TemplateSet.self, templates)
            let input = try FitSetup.input(r, t, residualFile: residual, templatesFile: templates)
            guard let method = FitMethod(rawValue: f.method) else {
                throw InputError(file: fit, field: "METHOD", "expected chi2 or poisson, found '\(f.method)'")
            }
            let options = try FitSetup.options(config, method: method)
            logger.info("toy-MC belt: \(s.gridPoints) κ points × \(s.toysPerPoint) toys (\(method.rawValue)), seed \(s.seed)")
            product = try Limit().toys(fit: f, input: input, options: options, settings: s, progress: progress)
            if product.failedToys > 0 { logger.warning("\(product.failedToys) of \(product.totalToys) toy fits failed and were excluded") }
        }
        if let jsonOutput {
            try StagePaths.prepareFolder(for: jsonOutput)
            try AtomicFile.checkWritable(jsonOutput)
        }
        try write(product, to: output, parents: [fit] + (s.method == .toys ? [residual, templates] : []))
        if let jsonOutput {
            try AtomicFile.writeData(Data((product.json(experiment: config.experiment) + "\n").utf8), to: jsonOutput)
        }
        return product
    }
}

/// The limit machinery alone, from a published fit summary κ̂ ± σ_stat (± σ_sys).
public enum SummaryLimit {
    public static func compute(kappa: Double, statError: Double, sysError: Double, cl: Double) throws -> LimitProduct {
        guard cl > 0, cl < 1 else { throw InputError(file: nil, field: "--cl", "expected a confidence level in (0, 1), found \(cl)", status: .usage) }
        let settings = LimitSettings(method: .gaussian, confidenceLevel: cl, systematicError: sysError)
        return try Limit().gaussian(kappaHat: kappa, statError: statError, settings: settings)
    }
}

extension Pipeline {
    /// report: figures and index.html from the five stage files.
    @discardableResult
    public func report(paths: StagePaths, logY: Bool = false) throws -> [String] {
        let files = try Report().run(config: config, spectraPath: paths.spectra, residualPath: paths.residual,
                                     templatesPath: paths.templates, fitPath: paths.fit, limitPath: paths.limit,
                                     outputDirectory: paths.report, logY: logY)
        for f in files { logger.info("wrote \(f)") }
        return files
    }
}
