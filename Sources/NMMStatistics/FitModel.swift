import NMMCore
/// The parameters a fit can have. `rawValue` is the name written into fit results.
public enum FitParameter: String, Sendable, CaseIterable {
    /// κ = μ_ν² in 10⁻²⁰ μ_B²; unbounded below.
    case kappa = "kappa"
    /// SM template normalisation a.
    case smNorm = "smNorm"
    /// Reactor flux normalisation f (scales SM and MM).
    case fluxNorm = "fluxNorm"
    /// χ² residual background c0, counts/(kg·keV·day).
    case backgroundConstant = "bgConstPerKgKeVDay"
    /// χ² residual background slope c1, counts/(kg·keV²·day).
    case backgroundSlope = "bgSlopePerKgKeV2Day"
}

/// A full set of model parameter values (fitted or held).
struct ModelPoint: Sendable, Equatable {
    var kappa: Double
    var smNorm: Double
    var fluxNorm: Double
    var bg0: Double
    var bg1: Double
}

/// Which parameters are fitted, in which order, and their Gaussian constraints.
struct ParameterLayout: Sendable {
    let parameters: [FitParameter]
    let kappaIndex: Int
    let smIndex: Int
    let fluxIndex: Int
    let bg0Index: Int
    let bg1Index: Int
    /// (index in θ, mean, sigma) of Gaussian-constrained parameters.
    let constraints: [(index: Int, mean: Double, sigma: Double)]

    var count: Int { parameters.count }

    init(parameters: [FitParameter], options: FitOptions) {
        self.parameters = parameters
        func idx(_ p: FitParameter) -> Int { parameters.firstIndex(of: p) ?? -1 }
        kappaIndex = idx(.kappa)
        smIndex = idx(.smNorm)
        fluxIndex = idx(.fluxNorm)
        bg0Index = idx(.backgroundConstant)
        bg1Index = idx(.backgroundSlope)
        var c: [(index: Int, mean: Double, sigma: Double)] = []
        if smIndex >= 0, case let .gaussian(m, s) = options.smNormalisation { c.append((smIndex, m, s)) }
        if fluxIndex >= 0, case let .gaussian(m, s) = options.fluxNormalisation { c.append((fluxIndex, m, s)) }
        constraints = c
    }

    /// The model point for fitted values θ; held parameters come from `base`.
    @inline(__always)
    func point(_ theta: [Double], base: ModelPoint) -> ModelPoint {
        var p = base
        if kappaIndex >= 0 { p.kappa = theta[kappaIndex] }
        if smIndex >= 0 { p.smNorm = theta[smIndex] }
        if fluxIndex >= 0 { p.fluxNorm = theta[fluxIndex] }
        if bg0Index >= 0 { p.bg0 = theta[bg0Index] }
        if bg1Index >= 0 { p.bg1 = theta[bg1Index] }
        return p
    }

    /// θ holding the values of `p` (for starting a fit).
    func theta(from p: ModelPoint) -> [Double] {
        parameters.map { par in
            switch par {
            case .kappa: p.kappa
            case .smNorm: p.smNorm
            case .fluxNorm: p.fluxNorm
            case .backgroundConstant: p.bg0
            case .backgroundSlope: p.bg1
            }
        }
    }

    /// Writes the values of `p` into t[0..<count] (no allocation; for starting a fit).
    @inline(__always)
    func fill(_ t: inout [Double], from p: ModelPoint) {
        if kappaIndex >= 0 { t[kappaIndex] = p.kappa }
        if smIndex >= 0 { t[smIndex] = p.smNorm }
        if fluxIndex >= 0 { t[fluxIndex] = p.fluxNorm }
        if bg0Index >= 0 { t[bg0Index] = p.bg0 }
        if bg1Index >= 0 { t[bg1Index] = p.bg1 }
    }

    /// Σ ((θ_k − mean)/σ)² of the constrained parameters.
    @inline(__always)
    func constraintChi2(_ theta: [Double]) -> Double {
        var s = 0.0
        for c in constraints { let d = (theta[c.index] - c.mean) / c.sigma; s += d * d }
        return s
    }
}

/// The rate model r_i = f·(a·SM_i + κ·MM_i) + c0 + c1·(E_i − E_ref) on the fitted bins,
/// with everything a fit needs precomputed from `FitInput` and `FitOptions`.
struct FitModel: Sendable {
    let binCount: Int
    let sm: [Double]
    let mm: [Double]
    /// E_i − E_ref, keV (bin centre minus the middle of the fit range).
    let dE: [Double]
    /// Counts per unit rate in bin i: t_on·Δ_i and t_off·Δ_i (kg·day·keV).
    let onScale: [Double]
    let offScale: [Double]
    let options: FitOptions
    /// Held values and start values of every parameter.
    let base: ModelPoint
    /// Whether the χ² background terms c0, c1 are part of this model (never for Poisson).
    let includeBackground: Bool

    init(input: FitInput, options: FitOptions, method: FitMethod) {
        binCount = input.binCount
        sm = input.smRate
        mm = input.mmRate
        let eRef = input.referenceEnergyKeV
        dE = input.binCentreKeV.map { $0 - eRef }
        let w = input.binWidthKeV
        onScale = w.map { $0 * input.onExposureKgDay }
        offScale = w.map { $0 * input.offExposureKgDay }
        self.options = options
        base = ModelPoint(kappa: options.kappaStart, smNorm: options.smNormalisation.centralValue,
                          fluxNorm: options.fluxNormalisation.centralValue, bg0: 0, bg1: 0)
        includeBackground = method == .chi2
    }

    private init(copying m: FitModel) {
        binCount = m.binCount
        sm = m.sm.map { $0 }
        mm = m.mm.map { $0 }
        dE = m.dE.map { $0 }
        onScale = m.onScale.map { $0 }
        offScale = m.offScale.map { $0 }
        options = m.options
        base = m.base
        includeBackground = m.includeBackground
    }

    /// A copy with its own array storage, for one worker thread: threads then never touch
    /// the same reference counts in the toy loop.
    func isolatedCopy() -> FitModel { FitModel(copying: self) }

    /// Fitted parameters, κ first unless κ is held (profile at fixed κ).
    func layout(fittingKappa: Bool) -> ParameterLayout {
        var p: [FitParameter] = fittingKappa ? [.kappa] : []
        if options.smNormalisation.isFitted { p.append(.smNorm) }
        if options.fluxNormalisation.isFitted { p.append(.fluxNorm) }
        if includeBackground {
            if options.background != .none { p.append(.backgroundConstant) }
            if options.background == .linear { p.append(.backgroundSlope) }
        }
        return ParameterLayout(parameters: p, options: options)
    }

    /// True when the model is linear in all fitted parameters (flux normalisation held):
    /// then one least-squares step is exact and the χ² profile in κ is an exact parabola.
    var isLinear: Bool { !options.fluxNormalisation.isFitted }

    /// Reactor signal rate s_i = f·(a·SM_i + κ·MM_i).
    @inline(__always)
    func signal(_ i: Int, _ p: ModelPoint) -> Double {
        p.fluxNorm * (p.smNorm * sm[i] + p.kappa * mm[i])
    }

    /// Residual-rate model of the χ² fit: signal + c0 + c1·(E_i − E_ref).
    @inline(__always)
    func residualModel(_ i: Int, _ p: ModelPoint) -> Double {
        Self.residualRate(sm: sm[i], mm: mm[i], dE: dE[i], p)
    }

    /// f·(a·SM + κ·MM) + c0 + c1·ΔE for one bin: the one formula of the residual model
    /// (the fit, the toys and the report's best-fit curve all evaluate it).
    @inline(__always)
    static func residualRate(sm: Double, mm: Double, dE: Double, _ p: ModelPoint) -> Double {
        p.fluxNorm * (p.smNorm * sm + p.kappa * mm) + p.bg0 + p.bg1 * dE
    }

    /// ∂(residual model)_i/∂θ_k for the fitted parameters of `layout`, into row[0..<count].
    @inline(__always)
    func fillDerivatives(_ i: Int, _ p: ModelPoint, _ layout: ParameterLayout, into row: inout [Double]) {
        if layout.kappaIndex >= 0 { row[layout.kappaIndex] = p.fluxNorm * mm[i] }
        if layout.smIndex >= 0 { row[layout.smIndex] = p.fluxNorm * sm[i] }
        if layout.fluxIndex >= 0 { row[layout.fluxIndex] = p.smNorm * sm[i] + p.kappa * mm[i] }
        if layout.bg0Index >= 0 { row[layout.bg0Index] = 1 }
        if layout.bg1Index >= 0 { row[layout.bg1Index] = dE[i] }
    }

    /// ∂²s_i/∂θ_k∂θ_l (only κ–f and a–f are non-zero), for the Poisson Hessian.
    @inline(__always)
    func signalSecondDerivative(_ i: Int, _ k: Int, _ l: Int, _ layout: ParameterLayout) -> Double {
        let f = layout.fluxIndex
        guard f >= 0, k != l, k == f || l == f else { return 0 }
        let other = k == f ? l : k
        if other == layout.kappaIndex { return mm[i] }
        if other == layout.smIndex { return sm[i] }
        return 0
    }
}
