import NMMCore

/// The bridge between a `StatisticalModel` and the legacy fixed-parameter fit (`FitInput` +
/// `FitOptions`: κ, SM normalisation a, flux normalisation f, χ² background terms c0, c1).
/// When a model says no more than the legacy fit can, the stage runs the legacy path (its fast
/// κ-only toy kernels, every existing number bit-identical); otherwise the model engine.
///
/// "Legacy-shaped": one data set; one known sample (SM) and the signal sample (MM); for χ²
/// optionally an ON-only flat sample (rate 1 in every bin) and an ON-only linear sample (rate
/// E_i − E_ref, E_ref the middle of the fitted range), each with its own free normalisation;
/// modifiers only normalisations with a Gaussian, free or fixed constraint: at most one on the
/// SM sample alone (→ a) and at most one shared by SM and MM (→ f); no shapes, no log-normal,
/// no unused modifier.
extension StatisticalModel {
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
        guard known.count == 1, signal.count == 1, let smS = known.first, let mmS = signal.first else { return nil }
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
        let input = try? d.fitInput(smRate: smS.rate, mmRate: mmS.rate)
        guard let input else { return nil }
        let eRef = input.referenceEnergyKeV
        let dE = input.binCentreKeV.map { $0 - eRef }
        for s in onOnly {
            // Its own free normalisation, on this sample only.
            guard s.modifiers.count == 1, s.shapeVariations.isEmpty, let m = modifier(named: s.modifiers[0]),
                  m.constraint == .free, !smMods.contains(m.name) else { return nil }
            let users = d.samples.filter { $0.modifiers.contains(m.name) }.count
            guard users == 1 else { return nil }
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

    /// The legacy fit input and options equivalent to this model under `options`, or nil when
    /// the model is not legacy-shaped (see the type's doc). Fit results of the legacy path name
    /// their parameters by `FitParameter`; `renamingLegacyParameters` maps them to this model's.
    public func legacyForm(options: ModelFitOptions) -> (FitInput, FitOptions)? {
        guard let roles = legacyRoles(statistic: options.statistic), let d = dataSets.first,
              let input = try? d.fitInput(smRate: roles.smSample.rate, mmRate: roles.mmSample.rate) else { return nil }
        let background: BackgroundTerms = roles.linear != nil ? .linear : roles.flat != nil ? .flat : .none
        let fit = FitOptions(background: background, smNormalisation: legacyConstraint(roles.sm),
                             fluxNormalisation: legacyConstraint(roles.flux), method: options.statistic,
                             profileGrid: options.profileGrid, kappaStart: options.kappaStart,
                             residualErrors: options.residualErrors, maxIterations: options.maxIterations)
        return (input, fit)
    }

    /// `legacyForm(options:)` with default options for `statistic`.
    public func legacyForm(statistic: FitMethod) -> (FitInput, FitOptions)? {
        legacyForm(options: ModelFitOptions(statistic: statistic))
    }

    /// The legacy form for a toy construction: as `legacyForm(options:)`, but nil when a fitted
    /// modifier has a constraint and the global observables are to be resampled — the legacy
    /// construction keeps every auxiliary measurement at its observed value (statistics.md §2).
    public func legacyToyForm(options: ModelFitOptions, resampleGlobalObservables: Bool) -> (FitInput, FitOptions)? {
        if resampleGlobalObservables && modifiers.contains(where: { $0.constraint.isConstrained }) { return nil }
        return legacyForm(options: options)
    }

    /// A legacy fit result with its parameters named as this model names them.
    public func renamingLegacyParameters(_ result: FitResult, statistic: FitMethod) -> FitResult {
        guard let roles = legacyRoles(statistic: statistic) else { return result }
        let map: [String: String?] = [
            FitParameter.smNorm.rawValue: roles.sm?.name, FitParameter.fluxNorm.rawValue: roles.flux?.name,
            FitParameter.backgroundConstant.rawValue: roles.flat?.name,
            FitParameter.backgroundSlope.rawValue: roles.linear?.name,
        ]
        var r = result
        r.parameterNames = r.parameterNames.map { name in (map[name] ?? nil) ?? name }
        return r
    }

    /// The model of a legacy fit: samples "sm" (known), "mm" (signal) and, for χ² background
    /// terms, "bgFlat" (rate 1) and "bgLinear" (rate E − E_ref) ON-only samples; modifiers named
    /// as the legacy parameters (`FitParameter.rawValue`), so fit results compare name by name.
    /// Held normalisations become fixed modifiers only when they differ from 1.
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
        var samples = [ModelSample(name: "sm", role: .known, rate: input.smRate, modifiers: smMods + fluxMods),
                       ModelSample(name: "mm", role: .signal, rate: input.mmRate, modifiers: fluxMods)]
        if options.method == .chi2 && options.background != .none {
            _ = add(.backgroundConstant, .free)
            samples.append(ModelSample(name: "bgFlat", role: .onOnly, rate: [Double](repeating: 1, count: input.binCount),
                                       modifiers: [FitParameter.backgroundConstant.rawValue]))
            if options.background == .linear {
                _ = add(.backgroundSlope, .free)
                let eRef = input.referenceEnergyKeV
                samples.append(ModelSample(name: "bgLinear", role: .onOnly, rate: input.binCentreKeV.map { $0 - eRef },
                                           modifiers: [FitParameter.backgroundSlope.rawValue]))
            }
        }
        let d = ModelDataSet(name: dataSetName, energyLowKeV: input.energyLowKeV, energyHighKeV: input.energyHighKeV,
                             onCounts: input.onCounts, offCounts: input.offCounts, onExposureKgDay: input.onExposureKgDay,
                             offExposureKgDay: input.offExposureKgDay, samples: samples)
        self.init(dataSets: [d], modifiers: mods, globalObservables: globals)
    }
}
