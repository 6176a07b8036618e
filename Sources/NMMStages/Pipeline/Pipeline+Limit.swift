import Foundation
import NMMCore
import NMMStatistics

extension Pipeline {
    /// limit from the fit file (and, for toys, the model it was fitted to).
    @discardableResult
    public func limit(fit: String, model: String, output: String, jsonOutput: String?,
                      settings: LimitSettings? = nil, progress: ProgressHandler? = nil) throws -> LimitProduct {
        let s = try settings ?? LimitSettings(config: config)
        let f = try read(FitProduct.self, fit)
        if !f.converged { logger.warning("the fit in \(fit) did not converge (CONVERGD = F); its κ̂ and σ are used as they are") }
        if !f.covarianceAccurate { logger.warning("the covariance of the fit in \(fit) is inaccurate (COVACC = F)") }
        try Self.checkUsable(f, file: fit, needsSigma: s.method == .gaussian || s.kappaMax == nil)
        var product: LimitProduct
        switch s.method {
        case .gaussian:
            product = try Limit().gaussian(kappaHat: f.kappa, statError: f.kappaError, settings: s)
        case .toys:
            let (m, options) = try toyModel(model, statistic: f.method)
            let method = f.method
            logger.info("toy-MC belt: \(s.gridPoints) κ points × \(s.toysPerPoint) toys (\(method.rawValue)), seed \(s.seed)")
            do {
                product = try Limit().toys(fit: f, model: m, options: options, settings: s, progress: progress)
            } catch let e as StatisticsError {
                // Name the data the toys were fitted to (the statistics layer knows no files).
                let hint = if case .fitFailed = e { "; is κ degenerate with a nuisance on these data? see COVACC in the fit file" } else { "" }
                throw InputError(file: model, field: "toy belt", "\(e) (fit \(fit)\(hint))", status: e.exitStatus)
            }
            logToys(product)
        }
        let others = s.methods.filter { $0 != .fc }
        if !others.isEmpty {
            let (m, options) = try toyModel(model, statistic: f.method)
            logger.info("other interval constructions: \(others.map(\.rawValue).joined(separator: ", "))")
            do {
                product.comparisons = try LimitComparisons(fit: f, model: m, options: options, settings: s).run(others, progress: progress)
            } catch let e as StatisticsError {
                throw InputError(file: model, field: "limit.methods", "\(e) (fit \(fit))", status: e.exitStatus)
            }
        }
        // The neutrino section is checked against every input's chain: the templates were made for it.
        product.flavor = config.flavor
        product.fitConverged = f.converged
        product.fitCovarianceAccurate = f.covarianceAccurate
        if let jsonOutput {
            try StagePaths.prepareFolder(for: jsonOutput)
            try AtomicFile.checkWritable(jsonOutput)
        }
        // The Gaussian belt reads the fit alone; the toys refit pseudo-data of the model.
        let read = StageGraph.spec(.limit).inputs.filter { s.method == .toys || !others.isEmpty || $0 == .fit }
        let files: [StageName: String] = [.fit: fit, .model: model]
        try write(product, to: output, parents: read.compactMap { files[$0] })
        if let jsonOutput {
            try AtomicFile.writeData(Data((product.json(experiment: config.experiment) + "\n").utf8), to: jsonOutput)
        }
        return product
    }
}

extension Pipeline {
    /// Failed toys, the limit's Monte Carlo error and what the adaptive toys did (a warning
    /// when they missed their target).
    func logToys(_ product: LimitProduct) {
        if product.failedToys > 0 { logger.warning("\(product.failedToys) of \(product.totalToys) toy fits failed and were excluded") }
        if let e = product.kappaUpperError {
            logger.info("Monte Carlo error of κ_up: \(e) (\(100 * e / product.kappaUpper)%); \(product.totalToys) toys")
        }
        guard let a = product.adaptiveToys else { return }
        if a.targetMet {
            logger.info("adaptive toys: target σ_MC(κ_up)/κ_up ≤ \(a.settings.targetRelativeError) met after \(a.rounds) round(s)")
        } else {
            let now = product.kappaUpperError.map { "\($0 / product.kappaUpper)" } ?? "unknown (no upper crossing)"
            logger.warning("adaptive toys: target σ_MC(κ_up)/κ_up ≤ \(a.settings.targetRelativeError) not met (\(now)) after \(a.rounds) round(s), at most \(a.settings.maxToysPerPoint) toys per point; raise limit.maxToysPerPoint or toysPerPoint (MCTGTMET = F)")
        }
    }

    /// A limit needs a finite κ̂ and, for the Gaussian belt (and for the toy grid unless
    /// limit.kappaMax sets it), a finite σ_κ > 0 from an accurate covariance. A fit without
    /// one (singular or ill-conditioned covariance: COVACC = F) is bad input for the limit:
    /// its σ_κ is meaningless (often 1e15 or NaN) and so would be the limit.
    static func checkUsable(_ f: FitProduct, file: String, needsSigma: Bool) throws {
        guard f.kappa.isFinite else {
            throw InputError(file: file, field: "PARAMS kappa", "expected a finite fitted κ, found \(f.kappa) (CONVERGD = \(f.converged ? "T" : "F"))")
        }
        guard !needsSigma || (f.covarianceAccurate && f.kappaError.isFinite && f.kappaError > 0) else {
            throw InputError(file: file, field: "PARAMS kappa ERROR",
                             "expected an accurate error σ_κ > 0 to build the belt, found \(f.kappaError) with COVACC = \(f.covarianceAccurate ? "T" : "F")"
                             + " (κ is not constrained by these data, e.g. degenerate with a background term or a free normalisation;"
                             + " refit with fewer free terms, or for toys set limit.kappaMax)")
        }
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
                                     outputDirectory: paths.report, logY: logY, check: checkSections)
        for f in files { logger.info("wrote \(f)") }
        return files
    }
}
