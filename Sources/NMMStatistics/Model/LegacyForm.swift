import NMMCore

/// The fixed-parameter form of a model that the κ-only kernels and the legacy fits run on
/// (`FitInput` + `FitOptions`): one data set with the SM (known) and MM (signal) samples, for
/// χ² optionally the flat and linear ON-only terms with free normalisations, and at most a
/// Gaussian or free normalisation on SM alone and a Gaussian normalisation on SM and MM
/// together. Every config without other nuisances has this form, and its numbers are the
/// legacy code's to the last bit.
public struct LegacyForm: Sendable {
    public var input: FitInput
    public var options: FitOptions
    /// Model parameter name for each legacy parameter name that differs (e.g. "fluxNorm" → "flux").
    public var parameterNames: [String: String]

    /// The fit result with the model's parameter names.
    public func renamed(_ r: FitResult) -> FitResult {
        var out = r
        out.parameterNames = r.parameterNames.map { parameterNames[$0] ?? $0 }
        return out
    }
}

extension StatisticalModel {
    /// Names of the samples the model stage builds.
    public enum SampleName {
        public static let sm = "sm", mm = "mm", flat = "flat", linear = "linear"
    }

    /// The legacy form for `statistic`, or nil when the model needs the general likelihood.
    public func legacyForm(statistic: FitMethod, residualErrors: ResidualErrorRule = .pooled,
                           profileGrid: KappaGrid? = nil, maxIterations: Int? = nil) -> LegacyForm? {
        guard dataSets.count == 1, let d = dataSets.first,
              let sm = d.samples.first(where: { $0.name == SampleName.sm && $0.role == .known }),
              let mm = d.samples.first(where: { $0.name == SampleName.mm && $0.role == .signal }),
              sm.shapeVariations.isEmpty, mm.shapeVariations.isEmpty else { return nil }
        var names: [String: String] = [:]
        // Normalisations: one on SM alone (Gaussian or free), one on SM and MM together (Gaussian).
        let onBoth = Set(sm.modifiers).intersection(mm.modifiers)
        let smOnly = Set(sm.modifiers).subtracting(onBoth)
        guard onBoth.count <= 1, smOnly.count <= 1, Set(mm.modifiers) == onBoth else { return nil }
        var smConstraint = Constraint.nominal, fluxConstraint = Constraint.nominal
        if let name = smOnly.first {
            guard let m = modifier(named: name), m.kind == .normalisation else { return nil }
            switch m.constraint {
            case .gaussian(let s): smConstraint = .gaussian(mean: 1, sigma: s)
            case .free: smConstraint = .free
            case .logNormal, .fixed: return nil
            }
            names[FitParameter.smNorm.rawValue] = name
        }
        if let name = onBoth.first {
            guard let m = modifier(named: name), m.kind == .normalisation, case .gaussian(let s) = m.constraint else { return nil }
            fluxConstraint = .gaussian(mean: 1, sigma: s)
            names[FitParameter.fluxNorm.rawValue] = name
        }
        // ON-only residual terms: flat and linear, free, χ² only (the legacy Poisson fit has none).
        let others = d.samples.filter { $0.name != SampleName.sm && $0.name != SampleName.mm }
        var background = BackgroundTerms.none
        if !others.isEmpty {
            guard statistic == .chi2 else { return nil }
            let input0 = try? d.fitInput(smRate: sm.rate, mmRate: mm.rate)
            guard let input0 else { return nil }
            let dE = input0.binCentreKeV.map { $0 - input0.referenceEnergyKeV }
            func free(_ s: ModelSample) -> String? {
                guard s.role == .onOnly, s.modifiers.count == 1, let m = modifier(named: s.modifiers[0]),
                      m.kind == .normalisation, m.constraint == .free, s.shapeVariations.isEmpty else { return nil }
                return m.name
            }
            let flat = others.first { $0.name == SampleName.flat }, linear = others.first { $0.name == SampleName.linear }
            guard let flat, let flatName = free(flat), flat.rate.allSatisfy({ $0 == 1 }) else { return nil }
            names[FitParameter.backgroundConstant.rawValue] = flatName
            background = .flat
            if let linear {
                guard let linearName = free(linear), linear.rate == dE else { return nil }
                names[FitParameter.backgroundSlope.rawValue] = linearName
                background = .linear
            }
            guard others.count == (linear == nil ? 1 : 2) else { return nil }
        }
        // Every modifier of the model must be one of those mapped.
        guard Set(modifiers.map(\.name)) == Set(names.values) else { return nil }
        guard let input = try? d.fitInput(smRate: sm.rate, mmRate: mm.rate) else { return nil }
        let options = FitOptions(background: background, smNormalisation: smConstraint, fluxNormalisation: fluxConstraint,
                                 method: statistic, profileGrid: profileGrid, residualErrors: residualErrors,
                                 maxIterations: maxIterations)
        return LegacyForm(input: input, options: options, parameterNames: names.filter { $0.key != $0.value })
    }
}
