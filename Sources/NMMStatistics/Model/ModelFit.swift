import NMMCore

/// How a `StatisticalModel` is fitted.
public struct ModelFitOptions: Sendable, Equatable {
    /// Poisson ON/OFF likelihood (per-bin backgrounds profiled) or χ² of the residual.
    public var statistic: FitMethod
    /// Bin variance of the χ² (ignored by the Poisson statistic).
    public var residualErrors: ResidualErrorRule
    /// κ grid of the profile in the fit result; nil = κ̂ ± 4σ_κ in 41 points.
    public var profileGrid: KappaGrid?
    /// Newton iteration cap per fit; nil = 200.
    public var maxIterations: Int?
    public var kappaStart: Double

    /// Defaults: the joint Poisson likelihood (statistics.md §3: it needs no variance rule)
    /// and, for χ², the `expected` variance.
    public init(statistic: FitMethod = .poisson, residualErrors: ResidualErrorRule = .expected,
                profileGrid: KappaGrid? = nil, maxIterations: Int? = nil, kappaStart: Double = 0) {
        self.statistic = statistic
        self.residualErrors = residualErrors
        self.profileGrid = profileGrid
        self.maxIterations = maxIterations
        self.kappaStart = kappaStart
    }

    func validate() throws {
        if let g = profileGrid { try g.validate(requireNonNegative: false) }
        if let n = maxIterations, n < 1 { throw StatisticsError.invalidOptions("maxIterations must be ≥ 1 (got \(n))") }
        guard kappaStart.isFinite else { throw StatisticsError.invalidOptions("κ start must be finite") }
    }
}

/// The fit of the nuisances at a fixed κ (one point of the profile).
public struct ConditionalFit: Sendable, Equatable {
    public var kappa: Double
    /// The fitted modifiers (model order) and their values at the conditional minimum.
    public var parameterNames: [String]
    public var values: [Double]
    /// −2 ln L (χ² or Poisson deviance, constraint terms included) at the conditional minimum.
    public var minimum: Double
    public var converged: Bool
}

/// Fits a `StatisticalModel` to its data (statistics.md §1): κ and every non-fixed modifier
/// by `ModelMinimizer` (Newton with the analytic gradient and Hessian of `ModelEvaluator`),
/// the per-bin backgrounds profiled in closed form.
///
///     let result = try ModelFit(model: model, options: ModelFitOptions(statistic: .poisson)).run()
///
/// The `FitResult`: parameterNames = "kappa" + the fitted modifiers in model order; covariance
/// = 2·H⁻¹ at the minimum with H the analytic Hessian of −2 ln L (Poisson deviance or χ²,
/// constraint terms included) — the curvature the κ profile has, as MINUIT's HESSE quotes it.
/// (`ChiSquareFit` quotes the Gauss–Newton 2JᵀWJ instead; the two agree when no nuisance
/// multiplies another parameter, e.g. flux held.) minimum = −2 ln L with constraint terms;
/// ndof = bins + constraint terms − fitted parameters; atLimit when a parameter that must stay
/// > 0 (a normalisation of the signal, a
/// log-normal one) ends below 1e-6; the κ profile with the nuisances refitted at each κ.
public struct ModelFit: Sendable {
    public let model: StatisticalModel
    public let options: ModelFitOptions
    let compiled: CompiledModel

    public init(model: StatisticalModel, options: ModelFitOptions = ModelFitOptions()) throws {
        try options.validate()
        compiled = try CompiledModel(model)
        self.model = model
        self.options = options
        let layout = compiled.layout(fittingKappa: true)
        guard compiled.binCount + compiled.fittedConstraintCount >= layout.count else {
            throw StatisticsError.tooFewBins(bins: compiled.binCount, constraints: compiled.fittedConstraintCount,
                                             parameters: layout.free.map { compiled.parameterNames[$0] })
        }
    }

    /// Names of the fitted parameters: "kappa", then the fitted modifiers.
    public var parameterNames: [String] { model.fittedParameterNames }

    func makeProfiler() -> ModelProfiler {
        var c = compiled
        if options.kappaStart != 0 { c = c.withKappaStart(options.kappaStart) }
        let p = ModelProfiler(c, statistic: options.statistic, rule: options.residualErrors,
                              maxIterations: options.maxIterations)
        return p
    }

    /// The fit of the nuisances with κ held.
    public func conditional(atKappa kappa: Double) throws -> ConditionalFit {
        let prof = makeProfiler()
        guard let s = prof.conditional(kappa) else {
            throw StatisticsError.fitFailed("\(options.statistic.rawValue) fit of the model at κ = \(kappa) found no finite minimum")
        }
        let free = prof.fixedLayout.free
        return ConditionalFit(kappa: kappa, parameterNames: free.map { compiled.parameterNames[$0] },
                              values: free.map { s.parameters[$0] }, minimum: s.value, converged: s.converged)
    }

    /// −2 ln L profiled over the nuisances at fixed κ.
    public func profiledMinimum(atKappa kappa: Double) throws -> Double { try conditional(atKappa: kappa).minimum }

    /// The best fit with covariance, goodness of fit and the κ profile.
    public func run() throws -> FitResult {
        let prof = makeProfiler()
        guard let best = prof.best() else {
            throw StatisticsError.fitFailed("\(options.statistic.rawValue) fit of the model found no finite minimum")
        }
        let layout = prof.freeLayout
        let chi2 = options.statistic == .chi2
        let h = prof.minimizer.hessianMatrix(at: best.parameters, layout, gaussNewton: false)
        let (covariance, accurate) = PoissonOnOffFit.covariance(fromDevianceHessian: h)
        var notes: [String] = []
        if best.usedSimplex { notes.append("Newton stalled; nmsimplex2 continued from its last point") }
        if !best.converged { notes.append("the minimiser stopped after \(best.iterations) iterations: not converged") }
        if !accurate { notes.append("covariance inaccurate: the Hessian of −2 ln L is (nearly) singular") }
        if !chi2 {
            var zero = 0
            _ = prof.evaluator.evaluate(best.parameters, layout, derivatives: false)
            for i in 0..<compiled.binCount {
                let e = prof.evaluator
                let b = OnOffProfile.profile(on: e.onCount(i), off: e.offCount(i), onScale: e.onScale(i),
                                             offScale: e.offScale(i), signal: e.expectedRate(i))
                if b.background <= 0 { zero += 1 }
            }
            if zero > 0 { notes.append("\(zero) bin(s) with the profiled background at its bound b = 0") }
        }
        if chi2 && options.residualErrors == .expected && compiled.knownRateDependsOnFit {
            notes.append("χ² variance (expected): SM rate at the fitted normalisations")
        }
        let atLimit = layout.free.contains { compiled.mustBePositive[$0] && best.parameters[$0] < 1e-6 }
        let kErr = covariance[0][0] > 0 ? covariance[0][0].squareRoot() : .nan
        let grid = options.profileGrid ?? FitResult.defaultProfileGrid(kappa: best.parameters[0], error: kErr)
        var profile: [ProfilePoint] = []
        // Each profile point starts from the best fit's nuisances (order-independent results).
        for k in grid.values {
            guard let s = prof.conditional(k, from: best.parameters) else {
                throw StatisticsError.fitFailed("\(options.statistic.rawValue) fit of the model at κ = \(k) (profile)")
            }
            profile.append(ProfilePoint(kappa: k, deltaChi2: s.value - best.value))
        }
        return FitResult(method: options.statistic, parameterNames: layout.free.map { compiled.parameterNames[$0] },
                         values: layout.free.map { best.parameters[$0] }, covariance: covariance, minimum: best.value,
                         ndof: compiled.binCount + compiled.fittedConstraintCount - layout.count,
                         converged: best.converged, covarianceAccurate: accurate, atLimit: atLimit,
                         iterations: best.iterations, profile: profile, notes: notes)
    }
}

extension CompiledModel {
    /// The same model with another κ start value.
    func withKappaStart(_ kappa: Double) -> CompiledModel {
        var c = self
        c.startValues[0] = kappa
        return c
    }
}
