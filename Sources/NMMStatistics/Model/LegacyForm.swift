import NMMCore

/// The fixed-parameter form of a model that the κ-only kernels and the legacy fits run on
/// (`FitInput` + `FitOptions`: κ, SM normalisation a, flux normalisation f, χ² background terms
/// c0, c1). When a model says no more than the legacy fit can, the stages run the legacy path
/// (its fast κ-only toy kernels, every existing number bit-identical); otherwise the model
/// engine (`ModelFit`, `ModelToys`).
///
/// "Legacy-shaped" (recognised by structure, not by names): one data set; one known sample (SM)
/// and the signal sample (MM); for χ² optionally an ON-only flat sample (rate 1 in every bin)
/// and an ON-only linear sample (rate E_i − E_ref, E_ref the middle of the fitted range), each
/// with its own free normalisation; modifiers only normalisations with a Gaussian, free or
/// fixed constraint — at most one on the SM sample alone (→ a) and at most one shared by SM and
/// MM (→ f); no shapes, no log-normal, no unused modifier. A Gaussian's mean is the model's
/// global observable (nominal 1). Every config without other nuisances has this form.
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

    /// The legacy roles of the modifiers of a legacy-shaped model (nil otherwise).
    struct LegacyRoles {
        var sm: ModelModifier?
        var flux: ModelModifier?
        var flat: ModelModifier?
        var linear: ModelModifier?
        var smSample: ModelSample
        var mmSample: ModelSample
    }

    func legacyRoles(statistic: FitMethod) -> LegacyRoles? {
        guard dataSets.count == 1, let d = dataSets.first, (try? validate()) != nil else { return nil }
        let known = d.samples.filter { $0.role == .known }, signal = d.samples.filter { $0.role == .signal }
        let onOnly = d.samples.filter { $0.role == .onOnly }
        guard known.count == 1, signal.count == 1, let smS = known.first, let mmS = signal.first,
              smS.shapeVariations.isEmpty, mmS.shapeVariations.isEmpty else { return nil }
        guard modifiers.allSatisfy({ m in
            guard m.kind == .normalisation else { return false }
            if case .logNormal = m.constraint { return false }
            return d.samples.contains { $0.modifiers.contains(m.name) }
        }) else { return nil }
        let smMods = Set(smS.modifiers), mmMods = Set(mmS.modifiers)
        guard mmMods.isSubset(of: smMods), mmMods.count <= 1, smMods.count - mmMods.count <= 1 else { return nil }
        var roles = LegacyRoles(smSample: smS, mmSample: mmS)
        roles.flux = mmMods.first.flatMap(modifier(named:))
        roles.sm = smMods.subtracting(mmMods).first.flatMap(modifier(named:))
        guard onOnly.isEmpty || statistic == .chi2, onOnly.count <= 2 else { return nil }
        guard let input = try? d.fitInput(smRate: smS.rate, mmRate: mmS.rate) else { return nil }
        let eRef = input.referenceEnergyKeV
        let dE = input.binCentreKeV.map { $0 - eRef }
        for s in onOnly {
            // Its own free normalisation, on this sample only.
            guard s.modifiers.count == 1, s.shapeVariations.isEmpty, let m = modifier(named: s.modifiers[0]),
                  m.constraint == .free, d.samples.filter({ $0.modifiers.contains(m.name) }).count == 1 else { return nil }
            if s.rate.allSatisfy({ $0 == 1 }) && roles.flat == nil {
                roles.flat = m
            } else if zip(s.rate, dE).allSatisfy({ abs($0 - $1) <= 1e-12 * max(1, abs($1)) }) && roles.linear == nil {
                roles.linear = m
            } else {
                return nil
            }
        }
        // The legacy linear term comes with the flat one (BackgroundTerms.linear = c0 + c1·ΔE).
        if roles.linear != nil && roles.flat == nil { return nil }
        return roles
    }

    private func legacyConstraint(_ m: ModelModifier?) -> Constraint {
        guard let m else { return .nominal }
        switch m.constraint {
        case .gaussian(let s): return .gaussian(mean: globalObservable(of: m), sigma: s)
        case .free: return .free
        case .fixed(let v): return .fixed(v)
        case .logNormal: preconditionFailure("log-normal modifiers are not legacy-shaped")
        }
    }

    /// The legacy form for `statistic`, or nil when the model needs the general likelihood.
    public func legacyForm(statistic: FitMethod, residualErrors: ResidualErrorRule = .expected,
                           profileGrid: KappaGrid? = nil, maxIterations: Int? = nil,
                           kappaStart: Double = 0) -> LegacyForm? {
        guard let roles = legacyRoles(statistic: statistic), let d = dataSets.first,
              let input = try? d.fitInput(smRate: roles.smSample.rate, mmRate: roles.mmSample.rate) else { return nil }
        let background: BackgroundTerms = roles.linear != nil ? .linear : roles.flat != nil ? .flat : .none
        let options = FitOptions(background: background, smNormalisation: legacyConstraint(roles.sm),
                                 fluxNormalisation: legacyConstraint(roles.flux), method: statistic,
                                 profileGrid: profileGrid, kappaStart: kappaStart, residualErrors: residualErrors,
                                 maxIterations: maxIterations)
        var names: [String: String] = [:]
        for (p, m) in [(FitParameter.smNorm, roles.sm), (.fluxNorm, roles.flux), (.backgroundConstant, roles.flat),
                       (.backgroundSlope, roles.linear)] {
            if let m, m.name != p.rawValue { names[p.rawValue] = m.name }
        }
        return LegacyForm(input: input, options: options, parameterNames: names)
    }

    /// `legacyForm` with the settings of model fit options.
    public func legacyForm(options: ModelFitOptions) -> LegacyForm? {
        legacyForm(statistic: options.statistic, residualErrors: options.residualErrors, profileGrid: options.profileGrid,
                   maxIterations: options.maxIterations, kappaStart: options.kappaStart)
    }

    /// The legacy form for a toy construction: as `legacyForm(options:)`, but nil when a
    /// modifier has a constraint and the global observables are to be resampled — the legacy
    /// construction keeps every auxiliary measurement at its observed value (statistics.md §2).
    public func legacyToyForm(options: ModelFitOptions, resampleGlobalObservables: Bool) -> LegacyForm? {
        if resampleGlobalObservables && modifiers.contains(where: { $0.constraint.isConstrained }) { return nil }
        return legacyForm(options: options)
    }

    /// The model of a legacy fit: samples "sm" (known), "mm" (signal) and, for χ² background
    /// terms, "flat" (rate 1) and "linear" (rate E − E_ref) ON-only samples (`SampleName`);
    /// modifiers named as the legacy parameters (`FitParameter.rawValue`), so fit results
    /// compare name by name. Held normalisations become fixed modifiers only when ≠ 1.
    public init(legacyInput input: FitInput, options: FitOptions, dataSetName: String = "data") {
        var mods: [ModelModifier] = [], globals: [String: Double] = [:]
        func add(_ p: FitParameter, _ c: Constraint) -> [String] {
            switch c {
            case .fixed(let v) where v == 1: return []
            case .fixed(let v): mods.append(ModelModifier(name: p.rawValue, kind: .normalisation, constraint: .fixed(v)))
            case .gaussian(let mean, let sigma):
                mods.append(.normalisation(p.rawValue, sigma: sigma))
                globals[p.rawValue] = mean
            case .free: mods.append(ModelModifier(name: p.rawValue, kind: .normalisation, constraint: .free))
            }
            return [p.rawValue]
        }
        let smMods = add(.smNorm, options.smNormalisation)
        let fluxMods = add(.fluxNorm, options.fluxNormalisation)
        var samples = [ModelSample(name: SampleName.sm, role: .known, rate: input.smRate, modifiers: smMods + fluxMods),
                       ModelSample(name: SampleName.mm, role: .signal, rate: input.mmRate, modifiers: fluxMods)]
        if options.method == .chi2 && options.background != .none {
            _ = add(.backgroundConstant, .free)
            samples.append(ModelSample(name: SampleName.flat, role: .onOnly, rate: [Double](repeating: 1, count: input.binCount),
                                       modifiers: [FitParameter.backgroundConstant.rawValue]))
            if options.background == .linear {
                _ = add(.backgroundSlope, .free)
                let eRef = input.referenceEnergyKeV
                samples.append(ModelSample(name: SampleName.linear, role: .onOnly, rate: input.binCentreKeV.map { $0 - eRef },
                                           modifiers: [FitParameter.backgroundSlope.rawValue]))
            }
        }
        let d = ModelDataSet(name: dataSetName, energyLowKeV: input.energyLowKeV, energyHighKeV: input.energyHighKeV,
                             onCounts: input.onCounts, offCounts: input.offCounts, onExposureKgDay: input.onExposureKgDay,
                             offExposureKgDay: input.offExposureKgDay, samples: samples)
        self.init(dataSets: [d], modifiers: mods, globalObservables: globals)
    }
}
