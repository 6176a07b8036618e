import NMMCore

/// −2 ln L of a compiled model for one loaded data set (ON/OFF counts and global
/// observables), with its analytic gradient and Hessian in the fitted parameters
/// (statistics.md §1). One instance per worker thread: it owns every buffer, so loading a toy
/// and evaluating never allocates.
///
///     −2 ln L(κ, θ) = Σ_i D_i(S_i(κ, θ)) + Σ_m c_m(θ_m; θ̃_m)
///
/// S_i: the summed expected ON-only rate of bin i (`CompiledModel`); c_m: the constraint terms
/// (`ModifierConstraint.penalty`). Per bin:
///  • Poisson: D_i is the ON/OFF deviance with the background b_i profiled in closed form
///    (`OnOffProfile`: deviance, dD/dS, d²D/dS²; by the envelope theorem the profiled b_i
///    contributes nothing to the first derivative);
///  • χ²: D_i = w_i (y_i − S_i)² with y_i = ON_i/α_i − OFF_i/β_i and w_i = 1/σ_i² of the
///    residual-error rule (`FitInput.residualVariance`). For `expected` the variance needs the
///    known (SM) rate: it is taken at the unconditional best fit of the loaded data, found by
///    iterating fit and weights (`ModelMinimizer.prepareWeights`), and then held for every fit
///    of that data set, so χ²(κ) is one function.
/// Chain rule: g = Σ_i D′_i ∂S_i + ∂c, H = Σ_i D″_i ∂S_i ∂S_iᵀ + Σ_i D′_i ∂²S_i + ∂²c; ∂²S_i is
/// non-zero only between two factors of one sample (κ·flux, SM norm·flux) and between a factor
/// and a shape parameter. `gaussNewton` keeps the Hessian without the Σ D′ ∂²S term (the
/// expected curvature; the χ² covariance as `ChiSquareFit` and GSL quote it).
final class ModelEvaluator {
    let compiled: CompiledModel
    let statistic: FitMethod
    let rule: ResidualErrorRule
    let binCount: Int
    let parameterCount: Int
    let maxFree: Int

    // Per bin.
    private let alpha, beta, on, off, y, w, signal, d1, d2, known: UnsafeMutablePointer<Double>
    // Per sample rate entry.
    private let rates, current, deltas: UnsafeMutablePointer<Double>
    private let sampleLo, sampleHi, rateOff, fStart, fac, hStart, hPar, hOff: UnsafeMutablePointer<Int>
    private let sampleCount: Int
    private let sampleKnown: [Bool]
    /// ∂S_i/∂x_k, bins × free slots.
    private let jac: UnsafeMutablePointer<Double>
    /// Global observables of the loaded data set, per parameter (NaN where unconstrained).
    private(set) var globals: [Double]
    let constraints: [ModifierConstraint]
    let mustBePositive: [Bool]
    private let startValues: [Double]
    /// Some fitted modifier changes a known sample (`CompiledModel.knownRateDependsOnFit`).
    var knownRateDependsOnFit: Bool { compiled.knownRateDependsOnFit }

    /// Gradient and Hessians (row-major, layout.count²) of the last evaluation with derivatives
    /// (owned buffers of maxFree and maxFree² doubles).
    let gradient: UnsafeMutablePointer<Double>
    let hessian: UnsafeMutablePointer<Double>
    let gaussNewton: UnsafeMutablePointer<Double>

    init(_ compiled: CompiledModel, statistic: FitMethod, rule: ResidualErrorRule) {
        self.compiled = compiled
        self.statistic = statistic
        self.rule = rule
        let nb = compiled.binCount
        binCount = nb
        parameterCount = compiled.parameterCount
        maxFree = 1 + compiled.fittedModifiers.count
        func doubles(_ n: Int, _ from: [Double]? = nil) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            if let from { for i in 0..<n { p[i] = from[i] } }
            return p
        }
        func ints(_ from: [Int]) -> UnsafeMutablePointer<Int> {
            let p = UnsafeMutablePointer<Int>.allocate(capacity: max(from.count, 1))
            p.initialize(repeating: 0, count: max(from.count, 1))
            for i in from.indices { p[i] = from[i] }
            return p
        }
        alpha = doubles(nb, compiled.onScale)
        beta = doubles(nb, compiled.offScale)
        on = doubles(nb, compiled.onCounts)
        off = doubles(nb, compiled.offCounts)
        y = doubles(nb); w = doubles(nb); signal = doubles(nb); d1 = doubles(nb); d2 = doubles(nb); known = doubles(nb)
        rates = doubles(compiled.rates.count, compiled.rates)
        current = doubles(compiled.rates.count)
        deltas = doubles(compiled.shapeDeltas.count, compiled.shapeDeltas)
        sampleCount = compiled.sampleCount
        sampleLo = ints(compiled.sampleBins.map(\.lowerBound))
        sampleHi = ints(compiled.sampleBins.map(\.upperBound))
        rateOff = ints(compiled.rateOffset)
        fStart = ints(compiled.factorStart)
        fac = ints(compiled.factors)
        hStart = ints(compiled.shapeStart)
        hPar = ints(compiled.shapeParameter)
        hOff = ints(compiled.shapeOffset)
        sampleKnown = compiled.isKnown.map { $0 }
        jac = doubles(nb * maxFree)
        globals = compiled.globalObservables.map { $0 }
        constraints = compiled.constraints.map { $0 }   // own storage: no shared refcounts across workers
        startValues = compiled.startValues.map { $0 }
        mustBePositive = compiled.mustBePositive.map { $0 }
        gradient = doubles(maxFree)
        hessian = doubles(maxFree * maxFree)
        gaussNewton = doubles(maxFree * maxFree)
        load(on: compiled.onCounts, off: compiled.offCounts, globals: compiled.globalObservables)
    }

    deinit {
        for p in [alpha, beta, on, off, y, w, signal, d1, d2, known, rates, current, deltas, jac, gradient, hessian, gaussNewton] {
            p.deallocate()
        }
        for p in [sampleLo, sampleHi, rateOff, fStart, fac, hStart, hPar, hOff] { p.deallocate() }
    }

    /// Loads a data set: counts per (concatenated) bin and global observables per parameter.
    /// χ² weights are set for `observed`/`pooled`; `expected` needs `setWeights(knownAt:)`.
    func load(on newOn: [Double], off newOff: [Double], globals newGlobals: [Double]) {
        for q in 0..<parameterCount { globals[q] = newGlobals[q] }
        newOn.withUnsafeBufferPointer { n in
            newOff.withUnsafeBufferPointer { m in loadCounts(n.baseAddress!, m.baseAddress!) }
        }
    }

    /// Loads counts from buffers (a toy row) and keeps the global observables.
    func loadCounts(_ newOn: UnsafePointer<Double>, _ newOff: UnsafePointer<Double>) {
        for i in 0..<binCount {
            on[i] = newOn[i]
            off[i] = newOff[i]
            y[i] = on[i] / alpha[i] - off[i] / beta[i]
        }
        if statistic == .chi2 { setWeights(knownAt: nil) }
    }

    func setGlobal(_ q: Int, _ value: Double) { globals[q] = value }

    func onCount(_ i: Int) -> Double { on[i] }
    func offCount(_ i: Int) -> Double { off[i] }
    func onScale(_ i: Int) -> Double { alpha[i] }
    func offScale(_ i: Int) -> Double { beta[i] }
    func weight(_ i: Int) -> Double { w[i] }
    /// S_i of the last evaluation.
    func expectedRate(_ i: Int) -> Double { signal[i] }

    /// χ² weights of the loaded counts; for `expected`, with the known rate at parameters `p`
    /// (nil: the start values). Returns the largest relative change of a weight.
    @discardableResult
    func setWeights(knownAt p: [Double]?) -> Double {
        let expected = rule == .expected
        if expected { knownRates(p ?? startValues) }
        var change = 0.0
        for i in 0..<binCount {
            let v = FitInput.residualVariance(on: on[i], off: off[i], onScale: alpha[i], offScale: beta[i], rule: rule,
                                              knownRate: expected ? known[i] : 0)
            let nw = 1 / v
            if w[i] > 0 { change = max(change, abs(nw - w[i]) / w[i]) } else { change = .infinity }
            w[i] = nw
        }
        return change
    }

    /// The χ² weights 1/σ_i² of the loaded data.
    var weights: [Double] { (0..<binCount).map { w[$0] } }

    /// Sets the χ² weights (e.g. those prepared on the same data by another evaluator).
    func setWeights(_ values: [Double]) { for i in 0..<binCount { w[i] = values[i] } }

    /// Σ over known samples of F_s·r_si at `p` into `known`.
    private func knownRates(_ p: [Double]) {
        for i in 0..<binCount { known[i] = 0 }
        for s in 0..<sampleCount where sampleKnown[s] {
            var f = 1.0
            for k in fStart[s]..<fStart[s + 1] { f *= p[fac[k]] }
            let lo = sampleLo[s], hi = sampleHi[s], ro = rateOff[s], n = hi - lo
            for i in lo..<hi { known[i] += f * rate(s, i - lo, n, ro, p) }
        }
    }

    /// F_s·r_si(α) of sample s (flattened index) in its data set's bins, at `p`.
    func sampleRate(_ s: Int, _ p: [Double]) -> [Double] {
        var f = 1.0
        for k in fStart[s]..<fStart[s + 1] { f *= p[fac[k]] }
        let lo = sampleLo[s], hi = sampleHi[s], ro = rateOff[s], n = hi - lo
        return (0..<n).map { f * rate(s, $0, n, ro, p) }
    }

    /// r_si(α): nominal plus the shape deltas.
    @inline(__always)
    private func rate(_ s: Int, _ j: Int, _ n: Int, _ ro: Int, _ p: [Double]) -> Double {
        var r = rates[ro + j]
        for h in hStart[s]..<hStart[s + 1] {
            let a = p[hPar[h]]
            r += a >= 0 ? a * deltas[hOff[h] + j] : a * deltas[hOff[h] + n + j]
        }
        return r
    }

    /// S_i at the full parameter vector `p` (read with `expectedRate(i)`), without the
    /// likelihood; false outside the domain (a parameter that must stay > 0 is not).
    func fillExpectedRates(_ p: [Double]) -> Bool {
        for q in 0..<parameterCount where mustBePositive[q] && !(p[q] > 0) { return false }
        for i in 0..<binCount { signal[i] = 0 }
        for s in 0..<sampleCount {
            var f = 1.0
            for k in fStart[s]..<fStart[s + 1] { f *= p[fac[k]] }
            let lo = sampleLo[s], hi = sampleHi[s], ro = rateOff[s], n = hi - lo
            for i in lo..<hi {
                let r = rate(s, i - lo, n, ro, p)
                current[ro + i - lo] = r
                signal[i] += f * r
            }
        }
        return true
    }

    /// −2 ln L at the full parameter vector `p` (κ, every modifier); with `derivatives`, the
    /// gradient and Hessians in the slots of `layout`. +∞ outside the domain.
    func evaluate(_ p: [Double], _ layout: ModelLayout, derivatives: Bool) -> Double {
        guard fillExpectedRates(p) else { return .infinity }
        let nb = binCount
        var value = 0.0
        switch statistic {
        case .poisson:
            for i in 0..<nb {
                let b = OnOffProfile.profile(on: on[i], off: off[i], onScale: alpha[i], offScale: beta[i], signal: signal[i])
                value += b.deviance
                d1[i] = b.slope
                d2[i] = b.curvature
            }
        case .chi2:
            for i in 0..<nb {
                let r = y[i] - signal[i]
                value += w[i] * r * r
                d1[i] = -2 * w[i] * r
                d2[i] = 2 * w[i]
            }
        }
        for q in layout.free where constraints[q].isConstrained {
            value += constraints[q].penalty(p[q], globalObservable: globals[q])
        }
        guard !value.isNaN else { return .infinity }
        if derivatives { fillDerivatives(p, layout) }
        return value
    }

    private func fillDerivatives(_ p: [Double], _ layout: ModelLayout) {
        let nf = layout.count, nb = binCount
        for k in 0..<(nb * nf) { jac[k] = 0 }
        for k in 0..<nf { gradient[k] = 0 }
        for k in 0..<(nf * nf) { hessian[k] = 0; gaussNewton[k] = 0 }
        let slot = layout.slot
        for s in 0..<sampleCount {
            let f0 = fStart[s], f1 = fStart[s + 1], h0 = hStart[s], h1 = hStart[s + 1]
            var anyFree = false
            for k in f0..<f1 where slot[fac[k]] >= 0 { anyFree = true }
            for h in h0..<h1 where slot[hPar[h]] >= 0 { anyFree = true }
            guard anyFree else { continue }
            let lo = sampleLo[s], hi = sampleHi[s], ro = rateOff[s], n = hi - lo
            var full = 1.0
            for k in f0..<f1 { full *= p[fac[k]] }
            // Factors: ∂S/∂p_q = Π_{others} · r; second derivatives between factor pairs.
            for a in f0..<f1 {
                let ka = slot[fac[a]]
                guard ka >= 0 else { continue }
                var others = 1.0
                for b in f0..<f1 where b != a { others *= p[fac[b]] }
                var sumD1R = 0.0
                for i in lo..<hi {
                    let r = current[ro + i - lo]
                    jac[i * nf + ka] += others * r
                    sumD1R += d1[i] * r
                }
                for b in f0..<f1 where b != a {
                    let kb = slot[fac[b]]
                    guard kb >= 0 else { continue }
                    var rest = 1.0
                    for c in f0..<f1 where c != a && c != b { rest *= p[fac[c]] }
                    hessian[ka * nf + kb] += rest * sumD1R
                }
                // Factor × shape: ∂²S/∂p_q∂α_h = Π_{others} · δ′.
                for h in h0..<h1 {
                    let kh = slot[hPar[h]]
                    guard kh >= 0 else { continue }
                    let base = p[hPar[h]] >= 0 ? hOff[h] : hOff[h] + n
                    var sumD1Delta = 0.0
                    for i in lo..<hi { sumD1Delta += d1[i] * deltas[base + i - lo] }
                    hessian[ka * nf + kh] += others * sumD1Delta
                    hessian[kh * nf + ka] += others * sumD1Delta
                }
            }
            for h in h0..<h1 {
                let kh = slot[hPar[h]]
                guard kh >= 0 else { continue }
                let base = p[hPar[h]] >= 0 ? hOff[h] : hOff[h] + n
                for i in lo..<hi { jac[i * nf + kh] += full * deltas[base + i - lo] }
            }
        }
        for i in 0..<nb {
            let g1 = d1[i], g2 = d2[i], row = i * nf
            for k in 0..<nf {
                let jk = jac[row + k]
                guard jk != 0 else { continue }
                gradient[k] += g1 * jk
                for l in 0...k { gaussNewton[k * nf + l] += g2 * jk * jac[row + l] }
            }
        }
        for k in 0..<nf {
            let q = layout.free[k]
            guard constraints[q].isConstrained else { continue }
            gradient[k] += constraints[q].penaltySlope(p[q], globalObservable: globals[q])
            gaussNewton[k * nf + k] += constraints[q].penaltyCurvature(p[q], globalObservable: globals[q])
        }
        for k in 0..<nf {
            for l in 0..<k { gaussNewton[l * nf + k] = gaussNewton[k * nf + l] }
        }
        for k in 0..<(nf * nf) { hessian[k] += gaussNewton[k] }
    }
}
