import Foundation
import NMMCore

/// Settings of the Bayesian upper limit.
public struct BayesianConfiguration: Sendable, Equatable {
    public var confidenceLevel: Double
    /// `.bayes` (flat in κ) and/or `.bayesMu` (flat in μ_ν), in the order returned.
    public var methods: [IntervalMethod]
    public var nuisanceIntegration: NuisanceIntegrationMethod
    /// Master seed of every draw (importance samples, pseudo-experiments).
    public var seed: UInt64
    /// Segments of the posterior scan of the observed data (the curves' resolution).
    public var scanSegments: Int
    /// Background-only pseudo-experiments for the expected limits (0: none).
    public var pseudoExperiments: Int
    /// Scan segments per pseudo-experiment (only the limit is kept).
    public var pseudoExperimentSegments: Int
    /// Worker threads for the pseudo-experiments (nil: all cores).
    public var threads: Int?

    public init(confidenceLevel: Double = 0.9, methods: [IntervalMethod] = [.bayes, .bayesMu],
                nuisanceIntegration: NuisanceIntegrationMethod = .automatic, seed: UInt64,
                scanSegments: Int = 100, pseudoExperiments: Int = 0, pseudoExperimentSegments: Int = 24,
                threads: Int? = nil) {
        self.confidenceLevel = confidenceLevel
        self.methods = methods
        self.nuisanceIntegration = nuisanceIntegration
        self.seed = seed
        self.scanSegments = scanSegments
        self.pseudoExperiments = pseudoExperiments
        self.pseudoExperimentSegments = pseudoExperimentSegments
        self.threads = threads
    }

    func validate() throws {
        guard confidenceLevel > 0, confidenceLevel < 1 else {
            throw StatisticsError.invalidOptions("confidence level must be in (0, 1) (got \(confidenceLevel))")
        }
        guard !methods.isEmpty, methods.allSatisfy({ $0 == .bayes || $0 == .bayesMu }), Set(methods).count == methods.count else {
            throw StatisticsError.invalidOptions("the Bayesian limit gives bayes and bayes-mu (got \(methods.map(\.rawValue)))")
        }
        guard scanSegments >= 8, scanSegments <= 100_000, pseudoExperimentSegments >= 8, pseudoExperimentSegments <= 100_000 else {
            throw StatisticsError.invalidOptions("posterior scans need 8…100000 segments")
        }
        guard pseudoExperiments == 0 || (pseudoExperiments >= 10 && pseudoExperiments <= ToyConfiguration.maxToys) else {
            throw StatisticsError.invalidOptions("need 0 or 10…\(ToyConfiguration.maxToys) pseudo-experiments (got \(pseudoExperiments))")
        }
        if let t = threads, t < 1 { throw StatisticsError.invalidOptions("threads must be ≥ 1 (got \(t))") }
        try nuisanceIntegration.validate()
    }
}

/// Bayesian upper limit on κ of a `StatisticalModel` (statistics.md §5): the posterior's
/// integral from 0 reaches CL at κ_up.
///  • Priors: `.bayes` flat in κ ≥ 0; `.bayesMu` flat in μ_ν ≥ 0 (∝ κ^(−1/2)), integrated in μ_ν.
///  • Nuisances are marginalised, not profiled (`BayesianIntegrand`): with the Poisson
///    statistic each bin's background b_i ≥ 0 has a flat prior and is integrated analytically
///    (a finite sum, `OnOffBackgroundMarginal`); with χ² there are no per-bin backgrounds and
///    L = exp(−χ²/2) with the engine's variance rule. Modifiers: the constraint term is the
///    prior (Gaussian in θ; log-normal: Gaussian in ln θ), free ones flat; integrated at each κ
///    by adaptive Gauss–Hermite quadrature around the conditional mode with the profile
///    Hessian's scale, or by seeded importance sampling (multivariate t) with the Monte Carlo
///    error of the limit from the importance weights (`NuisanceIntegrator`,
///    `ImportanceSamplingError`).
///  • The κ (or μ_ν) integral: GSL QAGS on the segments of a scan from 0 to where the posterior
///    is e^−30 below its peak (`PosteriorIntegration`); curves POSTERIOR (density per unit of
///    the prior's variable) and CDF on the scan's κ points.
///  • Expected limits: `pseudoExperiments` background-only pseudo-experiments drawn at the
///    conditional fit of the observed data at κ = 0, global observables drawn around θ̂(0) as
///    in `ModelToys` (`BayesianExpectedLimits`).
/// Streams: importance samples of the observed data from deriveSeed(seed, [samplingStream, 0]),
/// of pseudo-experiment e from [samplingStream, e + 1]; pseudo-experiment e's counts and global
/// observables from [expectedStream, e]. Results do not depend on the thread count.
public struct BayesianLimit: IntervalConstruction {
    /// Stream indices of `SeedSequence.deriveSeed` (arbitrary constants, distinct from the toy
    /// constructions' [j, block] and [UInt64.max, block]).
    static let samplingStream: UInt64 = 0xBA7E_5000
    static let expectedStream: UInt64 = 0xBA7E_5001

    public let model: StatisticalModel
    public let options: ModelFitOptions
    public let configuration: BayesianConfiguration
    let compiled: CompiledModel

    public init(model: StatisticalModel, options: ModelFitOptions, configuration: BayesianConfiguration) throws {
        try options.validate()
        try configuration.validate()
        self.model = model
        self.options = options
        self.configuration = configuration
        compiled = try CompiledModel(model)
    }

    public var methods: [IntervalMethod] { configuration.methods }

    func makePosterior() throws -> BayesianPosterior {
        try BayesianPosterior(compiled, options: options, method: configuration.nuisanceIntegration)
    }

    public func intervals(progress: ProgressHandler? = nil) throws -> [IntervalResult] {
        let cfg = configuration
        let posterior = try makePosterior()
        try posterior.integrand.loadObserved()
        try posterior.nuisances.drawSamples(seed: SeedSequence.deriveSeed(master: cfg.seed, indices: [Self.samplingStream, 0]))
        let expected = cfg.pseudoExperiments > 0
            ? try BayesianExpectedLimits(construction: self).run(progress: progress) : nil
        return try cfg.methods.map { method in
            let s = try posterior.posterior(method, confidenceLevel: cfg.confidenceLevel, segments: cfg.scanSegments)
            let mcError = try posterior.monteCarloError(method, s, confidenceLevel: cfg.confidenceLevel)
            let drew = posterior.nuisances.isSampling && posterior.integrand.dimension > 0
            var text = notes(method, posterior, expected)
            if let check = try posterior.quadratureCheck(method, s) {
                text.append("quadrature check: two more points per nuisance change ln m(κ_up) − ln m(0) by \(String(format: "%.1e", check))")
            }
            return IntervalResult(method: method, confidenceLevel: cfg.confidenceLevel,
                                  kappaUpper: BayesianPosterior.kappa(method, s.upper), monteCarloError: mcError,
                                  expected: expected?.bands[method], scanKappa: s.grid.map { BayesianPosterior.kappa(method, $0) },
                                  curves: [IntervalCurve(name: "POSTERIOR", values: s.density,
                                                         unit: method == .bayes ? "1/(1e-20 mu_B^2)" : "1/(1e-10 mu_B)"),
                                           IntervalCurve(name: "CDF", values: s.cdf)],
                                  toys: cfg.pseudoExperiments, seed: drew || cfg.pseudoExperiments > 0 ? cfg.seed : nil,
                                  notes: text)
        }
    }

    private func notes(_ method: IntervalMethod, _ posterior: BayesianPosterior, _ expected: BayesianExpectedLimits.Result?) -> [String] {
        var n: [String] = []
        n.append(method == .bayes
                 ? "prior flat in κ ≥ 0; POSTERIOR is the density per unit κ (1e-20 μ_B²)"
                 : "prior flat in μ_ν ≥ 0 (∝ κ^(−1/2) in κ), integrated in μ_ν = √κ; POSTERIOR is the density per unit μ_ν (1e-10 μ_B), κ_up = μ_up²")
        switch options.statistic {
        case .poisson:
            n.append("per-bin backgrounds b_i ≥ 0 marginalised with flat priors, analytically (finite binomial sum in log space)")
        case .chi2:
            n.append("χ² likelihood exp(−χ²/2), variance rule \(options.residualErrors.rawValue) as the fit computes it; no per-bin background parameters")
        }
        let d = posterior.integrand.dimension
        if d > 0 {
            let names = posterior.integrand.nuisances.map { compiled.parameterNames[$0] }.joined(separator: ", ")
            n.append("nuisances marginalised (\(names)): constraint term as prior (Gaussian in θ; log-normal: Gaussian in ln θ), free normalisations flat")
            switch posterior.nuisances.method {
            case .quadrature(let p):
                n.append("adaptive Gauss–Hermite quadrature, \(p) points per nuisance (\(posterior.nuisances.pointCount) per κ), centred at the conditional mode with the profile Hessian's scale")
            case .sampling(let s):
                n.append("importance sampling, \(s) multivariate-t (ν = \(NuisanceIntegrator.studentDegrees)) samples per κ around the conditional mode, reused at every κ; seed \(configuration.seed); MC error from the importance weights")
            case .automatic: break
            }
            if posterior.nuisances.dampedModes > 0 {
                n.append("\(posterior.nuisances.dampedModes) conditional fit(s) with a damped (not positive-definite) Hessian")
            }
        } else {
            n.append("no nuisance parameters besides the per-bin backgrounds")
        }
        n.append("κ integral: GSL QAGS on \(configuration.scanSegments) segments from 0 to where the posterior is e^−30 below its peak")
        if let expected {
            n.append("expected limits: \(configuration.pseudoExperiments) background-only pseudo-experiments at the κ = 0 conditional fit, global observables drawn as in the toys (\(expected.failed[method] ?? 0) failed)")
        }
        return n
    }
}
