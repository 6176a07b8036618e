import Foundation
import Logging
import NMMCore
import NMMStatistics

/// Reproduces a published limit from its config and fixtures (issue: regression against the
/// published limits). Two data sets per experiment, both made by `nmm simulate` from the
/// published inputs: the Asimov pair (`on-asimov.fits`, `off-asimov.fits` beside the
/// config's inputs) gives nmm's expected limit without fluctuations; the Poisson pair (the
/// config's inputs) is analysed like real data, with the toy-MC belt and the κ = 0
/// sensitivity band. Each run writes its stage files under <buildRoot>/<experiment>/.
public struct RegressionRun: Sendable {
    public struct Row: Sendable {
        public var experiment: String
        public var publishedName: String
        public var publishedMuBohr: Double
        /// Asimov data, Gaussian belt: the expected limit and σ_κ of the fit.
        public var asimovMuBohr: Double
        public var asimovKappaSigma: Double
        /// The same without the config's `systematics` (statistical and fit-section terms only).
        public var asimovNoSystematicsMuBohr: Double
        /// Sensitivity of the Poisson data's toy belt: μ_ν at the quantiles −2σ, −1σ, median, +1σ, +2σ.
        public var expectedMuBohr: [Double]
        /// Limits on the Poisson data by fit method × limit method.
        public var dataLimits: [(fit: String, limit: String, kappaHat: Double, kappaSigma: Double, muBohr: Double)]
        public var statistic: String
        /// The Poisson data under every method of `settings.methods` (the config's fit statistic,
        /// toy FC first), and how the paper derived its limit.
        public var methodLimits: [IntervalResult] = []
        public var publishedMethod: String = ""

        public var ratio: Double { asimovMuBohr / publishedMuBohr }
        /// False when no band was computed (no sensitivity toys).
        public var publishedInsideOneSigma: Bool {
            guard expectedMuBohr.count == 5 else { return false }
            return publishedMuBohr >= expectedMuBohr[1] && publishedMuBohr <= expectedMuBohr[3]
        }
    }

    public var configPath: String
    public var buildRoot: String
    public var settings: LimitSettings
    public var logger: Logger

    public init(configPath: String, buildRoot: String, settings: LimitSettings, logger: Logger = Logger(label: "nmm")) {
        self.configPath = configPath
        self.buildRoot = buildRoot
        self.settings = settings
        self.logger = logger
    }

    public static func asimovPath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = url.deletingPathExtension().lastPathComponent + "-asimov." + url.pathExtension
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    public func run() throws -> Row {
        let config = try ConfigLoader.load(path: configPath)
        guard let published = PublishedLimit.forExperiment(config.experiment) else {
            throw InputError(file: configPath, field: "experiment",
                             "no published limit is recorded for '\(config.experiment)' (see Report/PublishedLimits.swift)")
        }
        let p = Pipeline(config: config, logger: logger)
        let base = (buildRoot as NSString).appendingPathComponent(config.experiment)

        // Expected limit: Asimov data, the config's fit method, Gaussian belt.
        let asimov = StagePaths(directory: (base as NSString).appendingPathComponent("asimov"))
        try p.ingest(output: asimov.spectra, onPath: Self.asimovPath(config.onPath), offPath: Self.asimovPath(config.offPath))
        try stagesToFit(p, asimov, method: nil)
        var gaussian = settings
        gaussian.method = .gaussian
        gaussian.methods = [.fc]   // the other methods run on the Poisson draw (below), not on the Asimov data
        let asimovLimit = try p.limit(fit: asimov.fit, model: asimov.model, output: asimov.limit, jsonOutput: asimov.limitJSON, settings: gaussian)
        let asimovFit = try ProductStore.read(FitProduct.self, from: asimov.fit).0
        // The same expected limit without the systematics section: what the nuisances cost.
        var bare = config
        bare.systematics = nil
        let pBare = Pipeline(config: bare, logger: logger)
        let noSys = StagePaths(directory: (base as NSString).appendingPathComponent("asimov-nosys"))
        try pBare.ingest(output: noSys.spectra, onPath: Self.asimovPath(config.onPath), offPath: Self.asimovPath(config.offPath))
        try stagesToFit(pBare, noSys, method: nil)
        let noSysLimit = try pBare.limit(fit: noSys.fit, model: noSys.model, output: noSys.limit, jsonOutput: nil, settings: gaussian)

        // The Poisson draw as data: both fit methods × both limit methods.
        let data = StagePaths(directory: (base as NSString).appendingPathComponent("data"))
        try p.ingest(output: data.spectra)
        var rows: [(String, String, Double, Double, Double)] = []
        var band: [Double] = []
        var statistic = ""
        var methodLimits: [IntervalResult] = []
        for method in [FitMethod.chi2, .poisson] {
            let dir = StagePaths(directory: (data.directory as NSString).appendingPathComponent(method.rawValue))
            try stagesToFit(p, dir, method: method, spectra: data.spectra)
            for limitMethod in LimitMethod.allCases {
                var s = settings
                s.method = limitMethod
                // The sensitivity band comes from the config's fit method's toys.
                let wantBand = limitMethod == .toys && method == config.fitMethod
                if !wantBand { s.sensitivityToys = 0 }
                if !wantBand { s.methods = [.fc] }
                let out = (dir.directory as NSString).appendingPathComponent("limit-\(limitMethod.rawValue).fits")
                let l = try p.limit(fit: dir.fit, model: dir.model, output: out,
                                    jsonOutput: nil, settings: s)
                rows.append((method.rawValue, limitMethod.rawValue, l.kappaHat, l.kappaSigma, l.muLimitBohr))
                if wantBand, let sens = l.sensitivity {
                    band = sens.kappaUpper.map { MagneticMomentUnits.muBohr(kappa: $0) }
                    statistic = l.statistic?.rawValue ?? ""
                }
                if wantBand { methodLimits = l.allMethodResults }
            }
        }
        return Row(experiment: config.experiment, publishedName: published.name, publishedMuBohr: published.muLimitBohr,
                   asimovMuBohr: asimovLimit.muLimitBohr, asimovKappaSigma: asimovFit.kappaError,
                   asimovNoSystematicsMuBohr: noSysLimit.muLimitBohr,
                   expectedMuBohr: band, dataLimits: rows, statistic: statistic,
                   methodLimits: methodLimits, publishedMethod: published.method)
    }

    private func stagesToFit(_ p: Pipeline, _ paths: StagePaths, method: FitMethod?, spectra: String? = nil) throws {
        let spectraPath = spectra ?? paths.spectra
        try p.subtract(input: spectraPath, output: paths.residual)
        try p.templates(input: spectraPath, output: paths.templates)
        try p.model(residual: paths.residual, templates: paths.templates, output: paths.model)
        try p.fit(model: paths.model, output: paths.fit, method: method)
    }
}
