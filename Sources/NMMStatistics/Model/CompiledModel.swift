import NMMCore

/// A `StatisticalModel` flattened for evaluation: the bins of every data set concatenated,
/// and each sample reduced to (bins, nominal rates, multiplicative parameters, shape
/// parameters with their ±1σ deltas). Built once; workers copy it into their own buffers
/// (`ModelEvaluator`).
///
/// Parameters: index 0 is κ, index 1 + m is modifier m of `model.modifiers` (fixed modifiers
/// included, held at their value). A sample's expected rate in bin i is
///     F_s · r_si(α),   F_s = Π_{q ∈ factors(s)} p_q   (κ is a factor of the signal sample),
///     r_si(α) = r⁰_si + Σ_h [α_h ≥ 0 ? α_h·(r⁺ − r⁰) : α_h·(r⁰ − r⁻)]_si
/// (HistFactory "code 0": normalisations multiply, shape deltas add).
struct CompiledModel: Sendable {
    let model: StatisticalModel
    let binCount: Int
    /// Global bin range of each data set.
    let dataSetBins: [Range<Int>]
    /// Counts per unit rate, kg·day·keV: α_i = t_on·Δ_i, β_i = t_off·Δ_i.
    let onScale: [Double]
    let offScale: [Double]
    let onCounts: [Double]
    let offCounts: [Double]
    let parameterCount: Int
    /// Observed global observable per parameter (NaN for κ and unconstrained modifiers).
    let globalObservables: [Double]
    /// Constraint per parameter (κ: `.free`).
    let constraints: [ModifierConstraint]
    /// Parameter indices of the fitted modifiers (not κ), in model order.
    let fittedModifiers: [Int]
    /// Start (or held) value per parameter.
    var startValues: [Double]
    /// Parameters that must stay > 0: normalisations of the signal sample (κ would be
    /// undetermined at 0) and log-normal ones.
    let mustBePositive: [Bool]

    // Samples, flattened (CSR-style offsets).
    let sampleCount: Int
    let sampleBins: [Range<Int>]
    /// Offset of sample s's bins in `rates` (its data set's bin count long).
    let rateOffset: [Int]
    let rates: [Double]
    let isKnown: [Bool]
    let factorStart: [Int]
    let factors: [Int]
    let shapeStart: [Int]
    let shapeParameter: [Int]
    /// Offset in `shapeDeltas` of the (r⁺ − r⁰) deltas; the (r⁰ − r⁻) deltas follow them.
    let shapeOffset: [Int]
    let shapeDeltas: [Double]
    /// Some fitted modifier changes a known sample (the `expected` χ² variance then depends
    /// on the fitted nuisances).
    let knownRateDependsOnFit: Bool

    init(_ model: StatisticalModel) throws {
        try model.validate()
        self.model = model
        let mods = model.modifiers
        parameterCount = 1 + mods.count
        var index: [String: Int] = [:]
        for (m, mod) in mods.enumerated() { index[mod.name] = 1 + m }

        var bins: [Range<Int>] = [], alpha: [Double] = [], beta: [Double] = [], on: [Double] = [], off: [Double] = []
        for d in model.dataSets {
            let lo = alpha.count
            for i in 0..<d.binCount {
                let w = d.energyHighKeV[i] - d.energyLowKeV[i]
                guard w > 0, w.isFinite else {
                    throw StatisticsError.invalidInput("data set '\(d.name)' bin \(i): energy edges are not increasing")
                }
                guard d.onCounts[i] >= 0, d.offCounts[i] >= 0, d.onCounts[i].isFinite, d.offCounts[i].isFinite else {
                    throw StatisticsError.invalidInput("data set '\(d.name)' bin \(i): counts must be finite and ≥ 0")
                }
                alpha.append(d.onExposureKgDay * w)
                beta.append(d.offExposureKgDay * w)
                on.append(d.onCounts[i])
                off.append(d.offCounts[i])
            }
            bins.append(lo..<alpha.count)
        }
        binCount = alpha.count
        dataSetBins = bins
        onScale = alpha
        offScale = beta
        onCounts = on
        offCounts = off

        var g = [Double](repeating: .nan, count: parameterCount)
        var c = [ModifierConstraint](repeating: .free, count: parameterCount)
        var start = [Double](repeating: 0, count: parameterCount)
        var positive = [Bool](repeating: false, count: parameterCount)
        var fitted: [Int] = []
        for (m, mod) in mods.enumerated() {
            c[1 + m] = mod.constraint
            if mod.constraint.isConstrained { g[1 + m] = model.globalObservable(of: mod) }
            if mod.constraint.isFitted { fitted.append(1 + m) }
            switch mod.constraint {
            case .fixed(let v): start[1 + m] = v
            case .gaussian, .logNormal: start[1 + m] = model.globalObservable(of: mod)
            case .free:
                // An ON-only term starts at zero amplitude; any other free normalisation at 1.
                let onlyOnOnly = model.dataSets.allSatisfy { d in
                    d.samples.allSatisfy { !$0.modifiers.contains(mod.name) || $0.role == .onOnly }
                }
                start[1 + m] = onlyOnOnly ? 0 : 1
            }
            if case .logNormal = mod.constraint { positive[1 + m] = true }
        }
        globalObservables = g
        constraints = c
        fittedModifiers = fitted

        var sBins: [Range<Int>] = [], rOff: [Int] = [], r: [Double] = [], known: [Bool] = []
        var fStart = [0], fac: [Int] = [], hStart = [0], hPar: [Int] = [], hOff: [Int] = [], deltas: [Double] = []
        var knownDepends = false
        for (d, set) in model.dataSets.enumerated() {
            for s in set.samples {
                sBins.append(bins[d])
                rOff.append(r.count)
                r.append(contentsOf: s.rate)
                known.append(s.role == .known)
                var seen = Set<String>()
                if s.role == .signal { fac.append(0) }
                for name in s.modifiers {
                    guard seen.insert(name).inserted, let q = index[name] else {
                        throw StatisticsError.invalidInput("sample '\(s.name)' of data set '\(set.name)' names modifier '\(name)' twice")
                    }
                    let mod = mods[q - 1]
                    if s.role == .known && mod.constraint.isFitted { knownDepends = true }
                    switch mod.kind {
                    case .normalisation:
                        fac.append(q)
                        if s.role == .signal { positive[q] = true }
                    case .shape:
                        guard let v = s.shapeVariations[name] else { throw InternalError("validated shape variation missing") }
                        hPar.append(q)
                        hOff.append(deltas.count)
                        deltas.append(contentsOf: zip(v.up, s.rate).map { $0 - $1 })
                        deltas.append(contentsOf: zip(s.rate, v.down).map { $0 - $1 })
                    }
                }
                fStart.append(fac.count)
                hStart.append(hPar.count)
            }
        }
        for q in 1..<parameterCount where positive[q] {
            if case .fixed(let v) = c[q], !(v > 0) {
                throw StatisticsError.invalidInput("modifier '\(mods[q - 1].name)' scales the signal or is log-normal: its value must be > 0 (fixed at \(v))")
            }
            if start[q] <= 0 { start[q] = 1 }
        }
        startValues = start
        mustBePositive = positive
        sampleCount = sBins.count
        sampleBins = sBins
        rateOffset = rOff
        rates = r
        isKnown = known
        factorStart = fStart
        factors = fac
        shapeStart = hStart
        shapeParameter = hPar
        shapeOffset = hOff
        shapeDeltas = deltas
        knownRateDependsOnFit = knownDepends
    }

    /// Names of the parameters, κ first (all modifiers, fitted or not).
    var parameterNames: [String] { [StatisticalModel.poiName] + model.modifiers.map(\.name) }

    /// Number of constraint terms among the fitted modifiers.
    var fittedConstraintCount: Int { fittedModifiers.filter { constraints[$0].isConstrained }.count }

    /// The parameters fitted with κ free (κ, then the fitted modifiers) or held.
    func layout(fittingKappa: Bool) -> ModelLayout {
        ModelLayout(free: (fittingKappa ? [0] : []) + fittedModifiers, parameterCount: parameterCount)
    }
}

/// Which parameters a minimisation varies: `free[k]` is the parameter index of slot k, and
/// `slot[q]` the slot of parameter q (−1 when held).
struct ModelLayout: Sendable, Equatable {
    let free: [Int]
    let slot: [Int]

    init(free: [Int], parameterCount: Int) {
        self.free = free
        var s = [Int](repeating: -1, count: parameterCount)
        for (k, q) in free.enumerated() { s[q] = k }
        slot = s
    }

    var count: Int { free.count }
}
