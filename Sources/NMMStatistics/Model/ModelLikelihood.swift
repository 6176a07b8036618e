import NMMCore

/// −2 ln L(κ, θ; data, global observables) of a `StatisticalModel` as a function, with its
/// analytic gradient and Hessian (statistics.md §1; `ModelEvaluator` has the formulas), for
/// callers that need the likelihood itself: exporters, cross-checks against other tools
/// (pyhf, iminuit), plots. Fits go through `ModelFit`, toys through `ModelToys`.
///
/// Parameters are `parameterNames`: "kappa", then the fitted (non-fixed) modifiers in model
/// order; fixed modifiers stay at their value. Poisson: the per-bin backgrounds are profiled
/// in closed form at every point (the function is the profile likelihood in b). χ²: the bin
/// weights are those of the observed data under `residualErrors` (for `expected`, at the
/// unconditional best fit's SM normalisation, as in the fit). The global observables are the
/// model's unless given.
public struct ModelLikelihood: Sendable {
    public let model: StatisticalModel
    public let statistic: FitMethod
    public let residualErrors: ResidualErrorRule
    let compiled: CompiledModel
    private let weights: [Double]

    public init(model: StatisticalModel, statistic: FitMethod, residualErrors: ResidualErrorRule = .expected) throws {
        compiled = try CompiledModel(model)
        self.model = model
        self.statistic = statistic
        self.residualErrors = residualErrors
        let prof = ModelProfiler(compiled, statistic: statistic, rule: residualErrors)
        prof.loadObserved()
        weights = prof.evaluator.weights
    }

    public var parameterNames: [String] { model.fittedParameterNames }

    private func evaluator(globalObservables: [String: Double]?) throws -> (ModelEvaluator, ModelLayout) {
        let e = ModelEvaluator(compiled, statistic: statistic, rule: residualErrors)
        e.setWeights(weights)
        if let globalObservables {
            for (name, g) in globalObservables {
                guard let m = model.modifiers.firstIndex(where: { $0.name == name }) else {
                    throw StatisticsError.invalidOptions("no modifier '\(name)' for a global observable")
                }
                e.setGlobal(1 + m, g)
            }
        }
        return (e, compiled.layout(fittingKappa: true))
    }

    private func full(_ parameters: [Double], _ layout: ModelLayout) throws -> [Double] {
        guard parameters.count == layout.count else {
            throw StatisticsError.invalidOptions("expected \(layout.count) parameter values (\(parameterNames.joined(separator: ", "))), got \(parameters.count)")
        }
        var p = compiled.startValues
        for (k, q) in layout.free.enumerated() { p[q] = parameters[k] }
        return p
    }

    /// −2 ln L and its gradient at `parameters` (in `parameterNames` order); +∞ (gradient NaN)
    /// outside the domain (a signal normalisation or log-normal modifier ≤ 0).
    public func evaluate(_ parameters: [Double], globalObservables: [String: Double]? = nil) throws
        -> (value: Double, gradient: [Double]) {
        let (e, layout) = try evaluator(globalObservables: globalObservables)
        let v = e.evaluate(try full(parameters, layout), layout, derivatives: true)
        guard v.isFinite else { return (v, [Double](repeating: .nan, count: layout.count)) }
        return (v, (0..<layout.count).map { e.gradient[$0] })
    }

    /// The Hessian of −2 ln L at `parameters` (full, or the Gauss–Newton part without the
    /// Σ D′ ∂²S term).
    public func hessian(_ parameters: [Double], gaussNewton: Bool = false,
                        globalObservables: [String: Double]? = nil) throws -> [[Double]] {
        let (e, layout) = try evaluator(globalObservables: globalObservables)
        _ = e.evaluate(try full(parameters, layout), layout, derivatives: true)
        let h = gaussNewton ? e.gaussNewton : e.hessian, n = layout.count
        return (0..<n).map { k in (0..<n).map { l in h[k * n + l] } }
    }
}
