import NMMCore
internal import CToyKernels

/// χ² t(κ) of model toys with nuisance parameters (issue 17), one pass over the bins per set
/// of weights and everything else in parameter space. With S_i = Σ_c C_c(p) T_ci
/// (`NuisanceBlockModel`) and fixed weights w_i,
///     χ²(p) = Σ_i w_i y_i² − 2 Σ_c C_c Y_c + Σ_cd C_c G_cd C_d + Σ constraint terms,
///     Y_c = Σ_i w_i y_i T_ci,   G_cd = Σ_i w_i T_ci T_di,
/// so after the pass (SIMD over bins) every fit of the toy costs O(templates²) per Newton
/// iteration, whatever the bin count. The fits mirror `ModelMinimizer` step for step (Newton
/// with the exact Hessian, Levenberg damping, Armijo backtracking, a final full step below a
/// Newton decrement of 1e-10) and `ModelProfiler` fit for fit (the `expected` rule's
/// reweighting rounds, the best fit, the κ = 0 fit when κ̂ < 0, the conditional fit), so they
/// land on the same minima; the line search compares values by the cancellation-free
/// difference (C₁ − C₂)·(G(C₁ + C₂) − 2Y) and Σ w y² never enters. A toy whose fit would need
/// the simplex returns nil (the caller refits it with `ModelProfiler`).
/// Buffers are owned; nothing allocates per toy.
final class NuisanceChiSquareKernel {
    typealias V = PaddedRows.V
    private typealias R = PaddedRows
    let model: NuisanceBlockModel
    let rule: ResidualErrorRule
    let maxIterations: Int
    private let nb, np, nt, npar: Int
    // Per-bin rows of the loaded toy: weights, weighted residuals and variances.
    private let w, wy, varianceRow: UnsafeMutablePointer<Double>
    // Template-space sums: Y (nt), G (nt × nt, full), and scratch.
    private let ySum, gram, coef, coefTrial, e, ht: UnsafeMutablePointer<Double>
    // Parameter space: points, gradient, Hessians, step, scratch.
    private let point, trial, grad, hess, factor, stepBuf, jac: UnsafeMutablePointer<Double>
    private let jacIndex: UnsafeMutablePointer<Int>
    private let bestPoint, condPoint: UnsafeMutablePointer<Double>
    /// The known-rate templates (ascending) and their count.
    private let knownIndex: UnsafeMutablePointer<Int>
    private let knownCount: Int
    /// The instructions of the pass (`ToyKernelsDispatch`).
    let simd: ToyKernelsDispatch.Level
    /// The model's rows and the rule for the AVX2 loop.
    private let cRows: UnsafeMutablePointer<NMMChiSquareRows>
    private let cRule: NMMChiSquareRule
    /// AVX2 scratch: the weight change's eight lanes, and the dot products (one per template or pair).
    private let lanes: UnsafeMutablePointer<Double>

    /// `simd`: the instructions of the pass (AVX2 falls back to SSE2 on a CPU without it).
    init(_ model: NuisanceBlockModel, rule: ResidualErrorRule, maxIterations: Int,
         simd: ToyKernelsDispatch.Level = ToyKernelsDispatch.current) {
        self.model = model
        self.rule = rule
        self.maxIterations = maxIterations
        nb = model.binCount; np = model.paddedBins; nt = model.templateCount; npar = model.parameterCount
        w = R.allocate(np); wy = R.allocate(np); varianceRow = R.allocate(np)
        func doubles(_ n: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        ySum = doubles(nt); gram = doubles(nt * nt); coef = doubles(nt); coefTrial = doubles(nt)
        e = doubles(nt); ht = doubles(nt * nt)
        let nf = npar
        point = doubles(npar); trial = doubles(npar); grad = doubles(nf); hess = doubles(nf * nf)
        factor = doubles(nf * nf); stepBuf = doubles(nf); jac = doubles(nt * nf); jacIndex = .allocate(capacity: max(2 * nt * nf, 1))
        bestPoint = doubles(npar); condPoint = doubles(npar)
        let known = (0..<nt).filter { model.isKnown[$0] }
        knownCount = known.count
        knownIndex = .allocate(capacity: max(known.count, 1))
        knownIndex.initialize(repeating: 0, count: max(known.count, 1))
        for (k, c) in known.enumerated() { knownIndex[k] = c }
        self.simd = simd == .avx2 && ToyKernelsDispatch.avx2Available ? .avx2 : .sse2
        cRows = .allocate(capacity: 1)
        cRows.initialize(to: NMMChiSquareRows(templates: model.templates, alpha: model.alpha, inverseAlpha: model.inverseAlpha,
                                              inverseBeta: model.inverseBeta, inverseScaleSum: model.inverseScaleSum,
                                              known: knownIndex, knownCount: knownCount, paddedBins: np))
        switch rule {
        case .observedCounts: cRule = NMM_CHI2_OBSERVED_COUNTS
        case .pooled: cRule = NMM_CHI2_POOLED
        case .expected: cRule = NMM_CHI2_EXPECTED
        }
        lanes = R.allocate(V.scalarCount * max(nt, model.pairCount, 1))
    }

    deinit {
        R.deallocate(w); R.deallocate(wy); R.deallocate(varianceRow)
        for p in [ySum, gram, coef, coefTrial, e, ht, point, trial, grad, hess, factor, stepBuf, jac,
                  bestPoint, condPoint] { p.deallocate() }
        jacIndex.deallocate(); knownIndex.deallocate(); cRows.deallocate()
        R.deallocate(lanes)
    }

    // MARK: The pass over the bins

    /// Weights of the loaded counts (for `expected`, with the known rate at `p`), then Y and G.
    /// Returns the largest relative change of a weight (∞ on the first call of a toy).
    @discardableResult
    private func weigh(_ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>, knownAt p: UnsafePointer<Double>?,
                       first: Bool) -> Double {
        let known = rule == .expected && p != nil
        if let p, known { model.coefficients(p, into: coefTrial) }
        let change: V
        if simd == .avx2 {
            change = weightsAVX2(n, m, known: known, first: first)
            templateSumsAVX2()
        } else {
            change = weights(n, m, known: known, first: first)
            templateSums()
        }
        return first ? .infinity : change.max()
    }

    /// w, wy and the variances of every bin (`FitInput.residualVariance` with the divisions by
    /// α, β, α + β as products); unless `first`, the lane-wise largest relative change of a
    /// weight. `known`: the `expected` rule's known rate from `coefTrial`, else 0.
    private func weights(_ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>, known: Bool, first: Bool) -> V {
        if known { knownRates() }
        let inverseAlpha = model.inverseAlpha, inverseBeta = model.inverseBeta, inverseSum = model.inverseScaleSum
        var change = V(repeating: 0), i = 0
        while i < np {
            let nv = R.load(n, i), mv = R.load(m, i), ia = R.load(inverseAlpha, i), ib = R.load(inverseBeta, i)
            let variance: V
            switch rule {
            case .observedCounts: variance = Self.atLeastOne(nv) * (ia * ia) + Self.atLeastOne(mv) * (ib * ib)
            case .pooled:
                let background = Self.atLeastOne(nv + mv) * R.load(inverseSum, i)
                variance = background * ia + background * ib
            case .expected: variance = expectedVariance(i, nv, mv, ia, ib, known ? R.load(wy, i) : V(repeating: 0))
            }
            let nw = 1 / variance
            if !first { change = Self.largerChange(change, nw, R.load(varianceRow, i)) }
            R.store(variance, varianceRow, i)
            R.store(nw, w, i)
            R.store(nw * (nv * ia - mv * ib), wy, i)
            i += V.scalarCount
        }
        return change
    }

    /// `weights` in the C loop (`nmm_chi2_weigh_avx2`).
    private func weightsAVX2(_ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>, known: Bool, first: Bool) -> V {
        var out = NMMChiSquareWeights(w: w, wy: wy, variance: varianceRow)
        nmm_chi2_weigh_avx2(cRows, cRule, known ? UnsafePointer(coefTrial) : nil, n, m, &out, first ? 1 : 0, lanes)
        return R.load(lanes, 0)
    }

    /// max(x, 1) lane by lane.
    @inline(__always)
    private static func atLeastOne(_ x: V) -> V {
        x.replacing(with: V(repeating: 1), where: x .< V(repeating: 1))
    }

    /// Σ over the known templates of C_c T_c (coefficients in `coefTrial`) into `wy`, which
    /// `weights` then overwrites (the C loop keeps it in registers: the same sums).
    private func knownRates() {
        var i = 0
        while i < np {
            var s = V(repeating: 0)
            for k in 0..<knownCount {
                let c = knownIndex[k]
                s += coefTrial[c] * R.load(model.templates + c * np, i)
            }
            R.store(s, wy, i)
            i += V.scalarCount
        }
    }

    /// `FitInput.residualVariance` of the `expected` rule with the divisions by α, β, α + β as
    /// products, from the known rate of bins i…i+7.
    @inline(__always)
    private func expectedVariance(_ i: Int, _ nv: V, _ mv: V, _ ia: V, _ ib: V, _ known: V) -> V {
        let zero = V(repeating: 0), s = known.replacing(with: zero, where: known .< zero)
        let excess = nv + mv - R.load(model.alpha, i) * s
        let background = Self.atLeastOne(excess) * R.load(model.inverseScaleSum, i)
        return (background + s) * ia + background * ib
    }

    /// `change` raised lane by lane to |w_new − w_old|/w_old = |w_new·σ²_old − 1|.
    @inline(__always)
    private static func largerChange(_ change: V, _ nw: V, _ oldVariance: V) -> V {
        let rel = nw * oldVariance - V(repeating: 1)
        let absRel = rel.replacing(with: -rel, where: rel .< V(repeating: 0))
        return change.replacing(with: absRel, where: absRel .> change)
    }

    /// Y and G from the rows `wy` and `w`.
    private func templateSums() {
        for c in 0..<nt { ySum[c] = dot(wy, model.templates + c * np, model.templateRange + 2 * c) }
        for c in 0..<nt {
            for d in c..<nt {
                let g = dot(w, model.templateProducts + model.pair(c, d) * np, model.pairRange + 2 * model.pair(c, d))
                gram[c * nt + d] = g
                gram[d * nt + c] = g
            }
        }
    }

    /// `templateSums` by the AVX2 dot products (the same sums, bit for bit).
    private func templateSumsAVX2() {
        nmm_dot_sums_avx2(wy, model.templates, model.templateRange, nt, np, lanes)
        for c in 0..<nt { ySum[c] = lanes[c] }
        nmm_dot_sums_avx2(w, model.templateProducts, model.pairRange, model.pairCount, np, lanes)
        for c in 0..<nt {
            for d in c..<nt {
                let g = lanes[model.pair(c, d)]
                gram[c * nt + d] = g
                gram[d * nt + c] = g
            }
        }
    }

    @inline(__always)
    private func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ range: UnsafePointer<Int>) -> Double {
        NuisanceVectorMath.dot(a, b, from: range[0], to: range[1])
    }

    // MARK: Parameter space

    /// χ²(p₁) − χ²(p₂) from coefficient vectors (constraint terms excluded).
    @inline(__always)
    private func difference(_ c1: UnsafePointer<Double>, _ c2: UnsafePointer<Double>) -> Double {
        var s = 0.0
        for c in 0..<nt {
            let dc = c1[c] - c2[c]
            guard dc != 0 else { continue }
            var r = -2 * ySum[c]
            for d in 0..<nt { r += gram[c * nt + d] * (c1[d] + c2[d]) }
            s += dc * r
        }
        return s
    }

    /// Gradient and Hessian at `point` (coefficients in `coef`); returns the constraint terms.
    private func derivatives(_ layout: NuisanceLayout, _ globals: UnsafePointer<Double>) -> Double {
        // ∂χ²/∂C = 2(GC − Y), ∂²χ²/∂C² = 2G.
        for c in 0..<nt {
            var s = -ySum[c]
            for d in 0..<nt { s += gram[c * nt + d] * coef[d] }
            e[c] = 2 * s
        }
        for k in 0..<(nt * nt) { ht[k] = 2 * gram[k] }
        return model.derivatives(point, layout, globals: globals, e: e, ht: ht, gradient: grad, hessian: hess,
                                 jacValue: jac, jacIndex: jacIndex)
    }

    /// Below this Newton decrement δ the final full step is taken and the fit stops. The general
    /// minimizer stops below 1e-10; here χ² is exactly quadratic in the template coefficients and
    /// they are multilinear in the parameters, so Newton converges quadratically with a small
    /// constant: after the final step from δ < 1e-7 the value is within ~δ² ≈ 1e-14 of the
    /// minimum (the parameters within ~1e-7 σ), far inside the 1e-10 agreement in t. It saves the
    /// step that only confirms convergence in most fits.
    static let finalDecrement = 1e-7

    /// Minimum over the free slots of `layout` from `start` into `out` (as `ModelMinimizer.minimize`);
    /// false where the general minimizer would go on with the simplex (or no finite start).
    private func minimize(_ layout: NuisanceLayout, from start: UnsafePointer<Double>, globals: UnsafePointer<Double>,
                          into out: UnsafeMutablePointer<Double>) -> Bool {
        let nf = layout.count
        for q in 0..<npar { point[q] = start[q] }
        guard model.inDomain(point) else { return false }
        model.coefficients(point, into: coef)
        var pen = derivatives(layout, globals)
        // Coefficients linear in the free slots and Gaussian (or no) constraints: χ² is quadratic
        // in them, so one undamped Newton step is its minimum (the general minimizer's iterations
        // land there too), unless it leaves the domain.
        if layout.linear, NuisanceNewton.step(gradient: grad, hessian: hess, nf, factor: factor, step: stepBuf,
                                              allowDamping: false) {
            for q in 0..<npar { trial[q] = point[q] }
            for k in 0..<nf { trial[layout.free[k]] += stepBuf[k] }
            if model.inDomain(trial) {
                for q in 0..<npar { out[q] = trial[q] }
                return true
            }
        }
        for _ in 0..<maxIterations {
            guard NuisanceNewton.step(gradient: grad, hessian: hess, nf, factor: factor, step: stepBuf) else { return false }
            var decrement = 0.0
            for k in 0..<nf { decrement -= grad[k] * stepBuf[k] }
            if decrement < Self.finalDecrement {
                for q in 0..<npar { trial[q] = point[q] }
                for k in 0..<nf { trial[layout.free[k]] += stepBuf[k] }
                if model.inDomain(trial) {
                    model.coefficients(trial, into: coefTrial)
                    let delta = difference(coefTrial, coef) + model.penalty(trial, layout, globals: globals) - pen
                    if delta.isFinite && delta <= 1e-12 { for q in 0..<npar { point[q] = trial[q] } }
                }
                for q in 0..<npar { out[q] = point[q] }
                return true
            }
            var scale = 1.0, accepted = false
            for _ in 0..<50 {
                for q in 0..<npar { trial[q] = point[q] }
                for k in 0..<nf { trial[layout.free[k]] += scale * stepBuf[k] }
                if model.inDomain(trial) {
                    model.coefficients(trial, into: coefTrial)
                    let delta = difference(coefTrial, coef) + model.penalty(trial, layout, globals: globals) - pen
                    if delta <= -1e-4 * scale * decrement { accepted = true; break }
                }
                scale *= 0.5
            }
            guard accepted else {
                guard decrement < 1e-6 else { return false }
                for q in 0..<npar { out[q] = point[q] }
                return true
            }
            for q in 0..<npar { point[q] = trial[q] }
            model.coefficients(point, into: coef)
            pen = derivatives(layout, globals)
        }
        return false
    }

    /// χ²(a) − χ²(b) with the constraint terms of `layout`'s free slots.
    private func valueDifference(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ layout: NuisanceLayout,
                                 _ globals: UnsafePointer<Double>) -> Double {
        model.coefficients(a, into: coef)
        model.coefficients(b, into: coefTrial)
        return difference(coef, coefTrial) + model.penalty(a, layout, globals: globals) - model.penalty(b, layout, globals: globals)
    }

    // MARK: Toys

    /// Loads a toy (rows `n`, `m` padded, global observables per parameter) and prepares the
    /// weights; then the best fit into `bestPoint`. False when a fit needs the general path.
    ///
    /// The `expected` rule with a fitted known rate needs the weights at the fixed point of "fit
    /// with the weights at p, reweight at the minimum", iterated (as `ModelMinimizer.prepareWeights`)
    /// until the weights change by ≤ 1e-12. The general path starts from the start values'
    /// weights; here the first weights are the generation point's (where the toy's fit lands up
    /// to its fluctuation): the same fixed point to the same 1e-12, in fewer rounds on some
    /// models. The last round's minimum is the best fit: the general path fits once more with
    /// the final weights, but they differ from that round's by ≤ 1e-12 (relative), which moves
    /// the minimum by as little and its value by the square of that. A toy whose weights do not
    /// settle within the rounds goes to the general path.
    private func prepare(_ n: UnsafePointer<Double>, _ m: UnsafePointer<Double>, globals: UnsafePointer<Double>,
                         start: UnsafePointer<Double>) -> Bool {
        weigh(n, m, knownAt: rule == .expected ? start : nil, first: true)
        guard rule == .expected && model.knownRateDependsOnFit else {
            return minimize(model.freeLayout, from: start, globals: globals, into: bestPoint)
        }
        var from = start
        for _ in 0..<ChiSquareProfiler.maxReweightings {
            guard minimize(model.freeLayout, from: from, globals: globals, into: bestPoint) else { return false }
            from = UnsafePointer(bestPoint)
            guard weigh(n, m, knownAt: bestPoint, first: false) > 1e-12 else { return true }
        }
        return false
    }

    /// The physical minimum's point: the best fit if κ̂ ≥ 0, else the fit at κ = 0 from it.
    private func physicalMinimum(_ globals: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) -> Bool {
        if bestPoint[0] >= 0 {
            for q in 0..<npar { out[q] = bestPoint[q] }
            return true
        }
        for q in 0..<npar { trial[q] = bestPoint[q] }
        trial[0] = 0
        for q in 0..<npar { out[q] = trial[q] }
        return minimize(model.fixedLayout, from: out, globals: globals, into: out)
    }

    /// κ̂ of the best fit (κ free, either sign) of the last `tValue`.
    private(set) var kappaHat = Double.nan
    /// The loaded toy's weights, best fit and physical minimum are in place (for `sameToy`).
    private var toyReady = false

    /// t(κ) of one toy; nil when a fit needs the general path. `sameToy`: the toy of the previous
    /// call, whose weights, best fit and physical minimum (in `physical`) are reused — the same
    /// numbers a fresh call computes, bit for bit.
    func tValue(kappa: Double, on n: UnsafePointer<Double>, off m: UnsafePointer<Double>, globals: UnsafePointer<Double>,
                start: UnsafePointer<Double>, physical: UnsafeMutablePointer<Double>, sameToy: Bool = false) -> Double? {
        if !sameToy {
            kappaHat = .nan
            toyReady = false
            guard prepare(n, m, globals: globals, start: start) else { return nil }
            kappaHat = bestPoint[0]
            guard physicalMinimum(globals, into: physical) else { return nil }
            toyReady = true
        } else if !toyReady {
            return nil
        }
        for q in 0..<npar { condPoint[q] = start[q] }
        condPoint[0] = kappa
        guard minimize(model.fixedLayout, from: condPoint, globals: globals, into: condPoint) else { return nil }
        // Both minima include the same constraint set (κ has none).
        let t = valueDifference(condPoint, physical, model.freeLayout, globals)
        return t.isNaN ? nil : max(t, 0)
    }

    /// t(κ_j) over `grid` into `out` (as `ModelProfiler.tValues`: each conditional fit starts
    /// from the previous point's); false when a fit needs the general path.
    func tValues(_ grid: [Double], on n: UnsafePointer<Double>, off m: UnsafePointer<Double>, globals: UnsafePointer<Double>,
                 start: UnsafePointer<Double>, physical: UnsafeMutablePointer<Double>,
                 into out: UnsafeMutablePointer<Double>) -> Bool {
        guard prepare(n, m, globals: globals, start: start), physicalMinimum(globals, into: physical) else { return false }
        for q in 0..<npar { condPoint[q] = bestPoint[q] }
        for (j, k) in grid.enumerated() {
            condPoint[0] = k
            guard minimize(model.fixedLayout, from: condPoint, globals: globals, into: condPoint) else { return false }
            let t = valueDifference(condPoint, physical, model.freeLayout, globals)
            guard !t.isNaN else { return false }
            out[j] = max(t, 0)
        }
        return true
    }

    /// For tests: the pass at p (a toy's first) and then at q, after each the rows w, wy, the
    /// variances, Y and G, and q's weight change.
    func componentsForTesting(_ p: UnsafePointer<Double>, _ q: UnsafePointer<Double>, _ n: UnsafePointer<Double>,
                              _ m: UnsafePointer<Double>) -> [Double] {
        var out: [Double] = []
        for (point, first) in [(p, true), (q, false)] {
            out.append(weigh(n, m, knownAt: point, first: first))
            for row in [w, wy, varianceRow] { out += (0..<np).map { row[$0] } }
            out += (0..<nt).map { ySum[$0] } + (0..<(nt * nt)).map { gram[$0] }
        }
        return out
    }
}
