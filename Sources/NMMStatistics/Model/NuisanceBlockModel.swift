import Foundation
import NMMCore

/// A `CompiledModel` as the nuisance block kernels read it (issue 17): the expected ON-only
/// rate of every bin is a sum of basis templates whose coefficients are products of parameters,
///     S_i(p) = Σ_c C_c(p)·T_ci,   C_c(p) = Π_{q ∈ F_c} p_q · h_c(α),
/// with T_c a sample's nominal rate (h = 1) or one of its shape deltas, r⁺ − r⁰ (h = max(α, 0))
/// or r⁰ − r⁻ (h = min(α, 0)): `CompiledModel`'s "code 0" interpolation regrouped by
/// coefficient. Templates with the same coefficient (and both known or both not) are summed,
/// all-zero ones dropped. Every per-bin sum a fit needs is then a template-space sum
/// (Σ_i D′_i T_ci, Σ_i D″_i T_ci T_c′i, Σ_i w_i y_i T_ci); the rest is the chain rule in
/// parameter space (`derivatives`), independent of the bin count.
///
/// Rows are padded to a multiple of the SIMD width (`PaddedRows`): templates 0 and ON/OFF
/// scales 1 in the padding, where the toys' count rows hold 1, so padding adds nothing.
/// Read-only after init; each kernel owns one (workers do not share it).
final class NuisanceBlockModel {
    typealias V = PaddedRows.V
    let binCount: Int
    let paddedBins: Int
    let parameterCount: Int
    let templateCount: Int
    /// Template rows T_c (templateCount × paddedBins).
    let templates: UnsafeMutablePointer<Double>
    /// Rows T_c·T_c′ for c ≤ c′, packed upper triangle in row order (`pair(c, c′)`).
    let templateProducts: UnsafeMutablePointer<Double>
    let pairCount: Int
    /// Per template row and per product row: the padded range [start, end) of its non-zero blocks
    /// (empty for an all-zero product: templates of different data sets), so the template-space
    /// sums skip the blocks where a row is zero (a combination's data sets share no bins).
    let templateRange, pairRange: UnsafeMutablePointer<Int>
    /// ON and OFF scales α_i, β_i (kg·day·keV), padded with 1, their inverses, 1/(α_i + β_i) and
    /// 1/(2(α_i + β_i)) (the passes multiply instead of dividing).
    let alpha, beta, inverseAlpha, inverseBeta, inverseScaleSum, halfInverseScaleSum: UnsafeMutablePointer<Double>
    /// Coefficient structure: factors F_c at factors[factorStart[c] ..< factorStart[c + 1]],
    /// shape parameter (−1: none) and side (+1: max(α, 0), −1: min(α, 0)).
    let factorStart: UnsafeMutablePointer<Int>
    let factors: UnsafeMutablePointer<Int>
    let shapeParameter: UnsafeMutablePointer<Int>
    let shapeSide: UnsafeMutablePointer<Int>
    /// The template belongs to known samples (the `expected` χ² variance reads them).
    let isKnown: UnsafeMutablePointer<Bool>
    let constraints: [ModifierConstraint]
    let mustBePositive: UnsafeMutablePointer<Bool>
    let knownRateDependsOnFit: Bool
    /// Start (or held) value per parameter (`CompiledModel.startValues`).
    let startValues: [Double]
    /// κ and the fitted modifiers (unconditional fits), and the fitted modifiers alone (κ held).
    let freeLayout: NuisanceLayout
    let fixedLayout: NuisanceLayout
    /// Per parameter: 0 no constraint term, 1 Gaussian, 2 log-normal; and 1/σ².
    let constraintKind: UnsafeMutablePointer<Int>
    let inverseVariance: UnsafeMutablePointer<Double>
    /// Scratch of `derivatives` (parameters × templates; factor values and their prefix and
    /// suffix products), and the largest factor count of a template.
    private let hessianWork: UnsafeMutablePointer<Double>
    private let factorWork: UnsafeMutablePointer<Double>
    private let maxFactors: Int
    /// Scratch of `derivatives` for up to four fitted parameters: the Jacobian rows ∂C_c/∂p
    /// (lanes: slots) and the Hessian rows.
    private let jacobianRows: UnsafeMutablePointer<SIMD4<Double>>
    /// ln of the last global observable seen per log-normal parameter (a toy's fits read the
    /// same observable many times; NaN: none yet).
    private let lastGlobal, lastLogGlobal: UnsafeMutablePointer<Double>
    private let hessianRows: UnsafeMutablePointer<SIMD4<Double>>

    /// Kernels size their scratch by these; larger models stay on the general profiler.
    static let maxTemplates = 32
    static let maxParameters = 24

    /// Nil when the model is larger than the kernels' fixed limits.
    init?(_ compiled: CompiledModel) {
        let nb = compiled.binCount, np = PaddedRows.padded(nb)
        binCount = nb
        paddedBins = np
        parameterCount = compiled.parameterCount
        guard parameterCount <= Self.maxParameters else { return nil }

        struct Key: Hashable { var factors: [Int]; var shape: Int; var side: Int; var known: Bool }
        var keys: [Key] = [], rows: [[Double]] = []
        func add(_ key: Key, _ bins: Range<Int>, _ values: (Int) -> Double) {
            var row = [Double](repeating: 0, count: np)
            for i in bins { row[i] = values(i - bins.lowerBound) }
            guard row.contains(where: { $0 != 0 }) else { return }
            if let k = keys.firstIndex(of: key) {
                for i in bins { rows[k][i] += row[i] }
            } else {
                keys.append(key)
                rows.append(row)
            }
        }
        for s in 0..<compiled.sampleCount {
            let bins = compiled.sampleBins[s], ro = compiled.rateOffset[s], n = bins.count
            let f = Array(compiled.factors[compiled.factorStart[s]..<compiled.factorStart[s + 1]]).sorted()
            let known = compiled.isKnown[s]
            add(Key(factors: f, shape: -1, side: 0, known: known), bins) { compiled.rates[ro + $0] }
            for h in compiled.shapeStart[s]..<compiled.shapeStart[s + 1] {
                let q = compiled.shapeParameter[h], off = compiled.shapeOffset[h]
                add(Key(factors: f, shape: q, side: 1, known: known), bins) { compiled.shapeDeltas[off + $0] }
                add(Key(factors: f, shape: q, side: -1, known: known), bins) { compiled.shapeDeltas[off + n + $0] }
            }
        }
        guard !keys.isEmpty, keys.count <= Self.maxTemplates else { return nil }
        let nt = keys.count
        templateCount = nt
        pairCount = nt * (nt + 1) / 2
        templates = PaddedRows.allocate(nt * np)
        templateProducts = PaddedRows.allocate(pairCount * np)
        for c in 0..<nt { for i in 0..<np { templates[c * np + i] = rows[c][i] } }
        var pr = 0
        for c in 0..<nt {
            for d in c..<nt {
                for i in 0..<np { templateProducts[pr * np + i] = rows[c][i] * rows[d][i] }
                pr += 1
            }
        }
        func nonZeroBlocks(_ row: UnsafePointer<Double>, into range: UnsafeMutablePointer<Int>) {
            let width = PaddedRows.V.scalarCount
            guard let first = (0..<np).first(where: { row[$0] != 0 }),
                  let last = (0..<np).last(where: { row[$0] != 0 }) else {
                range[0] = 0; range[1] = 0
                return
            }
            range[0] = first / width * width
            range[1] = (last / width + 1) * width
        }
        templateRange = .allocate(capacity: 2 * max(nt, 1))
        pairRange = .allocate(capacity: 2 * max(pairCount, 1))
        for c in 0..<nt { nonZeroBlocks(templates + c * np, into: templateRange + 2 * c) }
        for r in 0..<pairCount { nonZeroBlocks(templateProducts + r * np, into: pairRange + 2 * r) }
        alpha = PaddedRows.allocate(np)
        beta = PaddedRows.allocate(np)
        halfInverseScaleSum = PaddedRows.allocate(np)
        inverseAlpha = PaddedRows.allocate(np)
        inverseBeta = PaddedRows.allocate(np)
        inverseScaleSum = PaddedRows.allocate(np)
        for i in 0..<np {
            alpha[i] = i < nb ? compiled.onScale[i] : 1
            beta[i] = i < nb ? compiled.offScale[i] : 1
            inverseAlpha[i] = 1 / alpha[i]
            inverseBeta[i] = 1 / beta[i]
            inverseScaleSum[i] = 1 / (alpha[i] + beta[i])
            halfInverseScaleSum[i] = 1 / (2 * (alpha[i] + beta[i]))
        }
        let flat = keys.flatMap(\.factors)
        factorStart = .allocate(capacity: nt + 1)
        factors = .allocate(capacity: max(flat.count, 1))
        shapeParameter = .allocate(capacity: nt)
        shapeSide = .allocate(capacity: nt)
        isKnown = .allocate(capacity: nt)
        var start = 0
        for c in 0..<nt {
            factorStart[c] = start
            for q in keys[c].factors { factors[start] = q; start += 1 }
            shapeParameter[c] = keys[c].shape
            shapeSide[c] = keys[c].side
            isKnown[c] = keys[c].known
        }
        factorStart[nt] = start
        maxFactors = keys.map(\.factors.count).max() ?? 0
        factorWork = .allocate(capacity: 3 * maxFactors + 2)
        factorWork.initialize(repeating: 0, count: 3 * maxFactors + 2)
        constraints = compiled.constraints.map { $0 }
        mustBePositive = .allocate(capacity: parameterCount)
        for q in 0..<parameterCount { mustBePositive[q] = compiled.mustBePositive[q] }
        knownRateDependsOnFit = compiled.knownRateDependsOnFit
        startValues = compiled.startValues.map { $0 }
        let rowRanges = templateRange, pairRanges = pairRange
        func layout(fittingKappa: Bool) -> NuisanceLayout {
            var l = NuisanceLayout(compiled.layout(fittingKappa: fittingKappa))
            // Each coefficient has at most one fitted factor and no fitted shape, and no fitted
            // parameter has a log-normal term: χ² at fixed weights is quadratic in the slots.
            l.linear = keys.allSatisfy { k in
                k.factors.filter { l.slot[$0] >= 0 }.count <= 1 && (k.shape < 0 || l.slot[k.shape] < 0)
            } && (0..<l.count).allSatisfy { k in
                if case .logNormal = compiled.constraints[l.free[k]] { return false }
                return true
            }
            l.setMonomials(templates: keys.map { ($0.factors, $0.shape) })
            l.setBlocks(moving: keys.map { k in k.factors.contains { l.slot[$0] >= 0 } || (k.shape >= 0 && l.slot[k.shape] >= 0) },
                        templateRange: rowRanges, pairRange: pairRanges, pair: { c, d in
                            c * nt - c * (c - 1) / 2 + (d - c) }, paddedBins: np)
            return l
        }
        freeLayout = layout(fittingKappa: true)
        fixedLayout = layout(fittingKappa: false)
        constraintKind = .allocate(capacity: parameterCount)
        inverseVariance = .allocate(capacity: parameterCount)
        lastGlobal = .allocate(capacity: max(parameterCount, 1))
        lastGlobal.initialize(repeating: .nan, count: max(parameterCount, 1))
        lastLogGlobal = .allocate(capacity: max(parameterCount, 1))
        lastLogGlobal.initialize(repeating: .nan, count: max(parameterCount, 1))
        jacobianRows = .allocate(capacity: nt)
        jacobianRows.initialize(repeating: SIMD4(repeating: 0), count: nt)
        hessianRows = .allocate(capacity: 4)
        hessianRows.initialize(repeating: SIMD4(repeating: 0), count: 4)
        hessianWork = .allocate(capacity: max(parameterCount * nt, 1))
        hessianWork.initialize(repeating: 0, count: max(parameterCount * nt, 1))
        for q in 0..<parameterCount {
            switch compiled.constraints[q] {
            case .gaussian(let s): constraintKind[q] = 1; inverseVariance[q] = 1 / (s * s)
            case .logNormal(let s): constraintKind[q] = 2; inverseVariance[q] = 1 / (s * s)
            case .free, .fixed: constraintKind[q] = 0; inverseVariance[q] = 0
            }
        }
    }

    deinit {
        for p in [templates, templateProducts, alpha, beta, inverseAlpha, inverseBeta, inverseScaleSum, halfInverseScaleSum] {
            PaddedRows.deallocate(p)
        }
        templateRange.deallocate(); pairRange.deallocate()
        factorStart.deallocate(); factors.deallocate(); shapeParameter.deallocate(); shapeSide.deallocate()
        isKnown.deallocate(); mustBePositive.deallocate(); constraintKind.deallocate(); inverseVariance.deallocate()
        hessianWork.deallocate(); factorWork.deallocate(); jacobianRows.deallocate(); hessianRows.deallocate()
        lastGlobal.deallocate(); lastLogGlobal.deallocate()
        freeLayout.deallocate(); fixedLayout.deallocate()
    }

    /// Index of the pair (c, d), c ≤ d, in `templateProducts`.
    @inline(__always)
    func pair(_ c: Int, _ d: Int) -> Int { c * templateCount - c * (c - 1) / 2 + (d - c) }

    /// Every parameter that must stay > 0 is.
    @inline(__always)
    func inDomain(_ p: UnsafePointer<Double>) -> Bool {
        for q in 0..<parameterCount where mustBePositive[q] && !(p[q] > 0) { return false }
        return true
    }

    /// h_c(α) of template c and its slope.
    @inline(__always)
    private func shapeFactor(_ c: Int, _ p: UnsafePointer<Double>) -> (h: Double, slope: Double) {
        let q = shapeParameter[c]
        guard q >= 0 else { return (1, 0) }
        let a = p[q]
        if shapeSide[c] > 0 { return a >= 0 ? (a, 1) : (0, 0) }
        return a >= 0 ? (0, 0) : (a, 1)
    }

    /// C_c(p) of every template into `out`.
    @inline(__always)
    func coefficients(_ p: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        for c in 0..<templateCount {
            var v = shapeFactor(c, p).h
            for k in factorStart[c]..<factorStart[c + 1] { v *= p[factors[k]] }
            out[c] = v
        }
    }

    /// S_i = Σ_c C_c T_ci for bins i…i+7 from the coefficients `coef`.
    @inline(__always)
    func signal(_ coef: UnsafePointer<Double>, _ i: Int) -> V {
        var s = V(repeating: 0)
        for c in 0..<templateCount { s += coef[c] * PaddedRows.load(templates + c * paddedBins, i) }
        return s
    }

    /// Parameter-space gradient and Hessian (slots of `layout`, row-major nf × nf) of
    /// f(C(p)) + Σ constraint terms, from the template-space gradient `e` = ∂f/∂C and Hessian
    /// `ht` (nt × nt, full) at p:
    ///     g_k = Σ_c e_c ∂_k C_c + ∂_k c,   H_kl = Σ_cd ∂_k C_c ht_cd ∂_l C_d + Σ_c e_c ∂²_kl C_c + ∂²_kl c.
    /// The Jacobian ∂_k C_c is sparse (a template depends on its few factors and at most one shape
    /// parameter, and a shape delta on its inactive side has none): its non-zeros go to
    /// `jacValue` with their (template, slot) in `jacIndex`
    /// (scratch of nt × nf values and 2 × nt × nf indices). Returns the constraint terms' sum.
    func derivatives(_ p: UnsafePointer<Double>, _ layout: NuisanceLayout, globals: UnsafePointer<Double>,
                     e: UnsafePointer<Double>, ht: UnsafePointer<Double>,
                     gradient g: UnsafeMutablePointer<Double>, hessian h: UnsafeMutablePointer<Double>,
                     jacValue jac: UnsafeMutablePointer<Double>, jacIndex: UnsafeMutablePointer<Int>) -> Double {
        if layout.monomials { return derivatives4(p, layout, globals: globals, e: e, ht: ht, gradient: g, hessian: h) }
        return derivativesByWalk(p, layout, globals: globals, e: e, ht: ht, gradient: g, hessian: h, jacValue: jac,
                                 jacIndex: jacIndex)
    }

    /// `derivatives` for any layout, by the template walk (`walkTemplates`) and sparse Jacobian.
    func derivativesByWalk(_ p: UnsafePointer<Double>, _ layout: NuisanceLayout, globals: UnsafePointer<Double>,
                           e: UnsafePointer<Double>, ht: UnsafePointer<Double>,
                           gradient g: UnsafeMutablePointer<Double>, hessian h: UnsafeMutablePointer<Double>,
                           jacValue jac: UnsafeMutablePointer<Double>, jacIndex: UnsafeMutablePointer<Int>) -> Double {
        let nt = templateCount, nf = layout.count
        for k in 0..<nf { g[k] = 0 }
        for k in 0..<(nf &* nf) { h[k] = 0 }
        var nnz = 0
        walkTemplates(p, layout, e: e, jacobian: { c, k, v in
            jacIndex[2 &* nnz] = c; jacIndex[2 &* nnz &+ 1] = k; jac[nnz] = v
            nnz &+= 1
        }, second: { k, l, r in
            h[k &* nf &+ l] += r
            h[l &* nf &+ k] += r
        })
        // Jᵀ·ht·J in two contiguous passes: A = Jᵀ·ht (row k = Σ over k's non-zeros v·ht[c, ·]),
        // then H[l, k] += v·A[k, c] over the non-zeros (c, l, v).
        let a = hessianWork
        for k in 0..<(nf &* nt) { a[k] = 0 }
        for i in 0..<nnz {
            let c = jacIndex[2 &* i], k = jacIndex[2 &* i &+ 1], v = jac[i]
            g[k] += e[c] * v
            let row = ht + c &* nt, ak = a + k &* nt
            for d in 0..<nt { ak[d] += v * row[d] }
        }
        for i in 0..<nnz {
            let c = jacIndex[2 &* i], l = jacIndex[2 &* i &+ 1], v = jac[i]
            let hl = h + l &* nf
            for k in 0..<nf { hl[k] += v * a[k &* nt &+ c] }
        }
        return addConstraints(p, layout, globals: globals, gradient: g, hessian: h)
    }

    /// `derivatives` for at most four fitted parameters (`NuisanceLayout.monomials`): every
    /// active template's coefficient is a monomial in the slots, C_c = H_c·Π_{k ∈ M_c} p_k (H_c:
    /// its held factors and, when held, its shape factor; an active shape side is the factor α,
    /// an inactive one makes C_c ≡ 0 near p). With the slots in four lanes, 1 outside M_c, the
    /// Jacobian row is H_c·(Π_{j≠k} q_j)_k, and ∂²C_c/∂p_k∂p_l (k ≠ l, both in M_c) is H_c times
    /// the product of the other two lanes: six values per template, accumulated weighted by
    /// e_c·H_c in two four-lane sums (`pairProducts`) — all without divisions (a factor may be
    /// 0: κ = 0). Jᵀ·ht·J is then nt² + nt·nf four-lane products.
    private func derivatives4(_ p: UnsafePointer<Double>, _ layout: NuisanceLayout, globals: UnsafePointer<Double>,
                              e: UnsafePointer<Double>, ht: UnsafePointer<Double>,
                              gradient g: UnsafeMutablePointer<Double>, hessian h: UnsafeMutablePointer<Double>) -> Double {
        typealias P = SIMD4<Double>
        let nt = templateCount, nf = layout.count, rows = jacobianRows, hr = hessianRows
        let zero = P(repeating: 0), one = P(repeating: 1)
        var slots = one
        for k in 0..<nf { slots[k] = p[layout.free[k]] }
        // Σ_c e_c H_c ∂²C_c/∂p_k∂p_l at (k, l) = (0,1), (2,3), (0,2), (1,3) and (0,3), (1,2).
        var pairsA = zero, pairsB = zero
        for c in 0..<nt {
            var mask = layout.laneMask[c], held = 1.0
            let qs = shapeParameter[c]
            if qs >= 0 {
                let a = p[qs]
                guard shapeSide[c] > 0 ? a >= 0 : a < 0 else { rows[c] = zero; continue }
                if layout.shapeSlot[c] >= 0 { mask += layout.shapeMask[c] } else { held = a }
            }
            for k in layout.heldStart[c]..<layout.heldStart[c &+ 1] { held *= p[layout.held[k]] }
            let q = slots.replacing(with: one, where: mask .== zero)
            rows[c] = held * Self.othersProduct(q) * mask
            guard layout.laneCount[c] >= 2 else { continue }
            let he = held * e[c]
            let (a, b) = Self.pairProducts(q)
            pairsA += he * (layout.pairMaskA[c] * a)
            pairsB += he * (layout.pairMaskB[c] * b)
        }
        hr[0] = P(0, pairsA[0], pairsA[2], pairsB[0])
        hr[1] = P(pairsA[0], 0, pairsB[1], pairsA[3])
        hr[2] = P(pairsA[2], pairsB[1], 0, pairsA[1])
        hr[3] = P(pairsB[0], pairsA[3], pairsA[1], 0)
        var grad = zero
        for c in 0..<nt {
            let jc = rows[c]
            guard jc != zero else { continue }
            grad += e[c] * jc
            var a = zero
            let htc = ht + c &* nt
            for d in 0..<nt { a += htc[d] * rows[d] }
            for k in 0..<nf { hr[k] += jc[k] * a }
        }
        for k in 0..<nf {
            g[k] = grad[k]
            for l in 0..<nf { h[k &* nf &+ l] = hr[k][l] }
        }
        return addConstraints(p, layout, globals: globals, gradient: g, hessian: h)
    }

    /// The products of lane pairs complementary to (0,1), (2,3), (0,2), (1,3): (q₂q₃, q₀q₁, q₁q₃,
    /// q₀q₂), and to (0,3), (1,2): (q₁q₂, q₀q₃, 0, 0).
    @inline(__always)
    private static func pairProducts(_ q: SIMD4<Double>) -> (SIMD4<Double>, SIMD4<Double>) {
        (SIMD4(q[2], q[0], q[1], q[0]) * SIMD4(q[3], q[1], q[3], q[2]), SIMD4(q[1], q[0], 0, 0) * SIMD4(q[2], q[3], 0, 0))
    }

    /// (Π_{j≠k} q_j)_k over four lanes: (q₁q₂q₃, q₀q₂q₃, q₀q₁q₃, q₀q₁q₂) by two shuffles.
    @inline(__always)
    private static func othersProduct(_ q: SIMD4<Double>) -> SIMD4<Double> {
        let swapped = SIMD4(q[1], q[0], q[3], q[2]), pairs = q * swapped
        return swapped * SIMD4(pairs[2], pairs[3], pairs[0], pairs[1])
    }

    /// The chain rule's template walk of `derivatives`: for every template c at p, each
    /// non-zero ∂C_c/∂p_k (slot k of `layout`) to `jacobian(c, k, value)` and each
    /// e_c·∂²C_c/∂p_k∂p_l, k ≠ l, to `second(k, l, value)` (to be added at (k, l) and (l, k)).
    /// Per template: the factor values v, prefix products pre[a] = Π_{b<a} v_b and suffix
    /// products suf[a] = Π_{b≥a} v_b, so Π_{b≠a} = pre[a]·suf[a+1] and Π_{b≠a,a′} (a < a′) =
    /// pre[a]·Π_{a<b<a′} v_b·suf[a′+1] without divisions (a factor may be 0: κ = 0).
    @inline(__always)
    private func walkTemplates(_ p: UnsafePointer<Double>, _ layout: NuisanceLayout, e: UnsafePointer<Double>,
                               jacobian: (Int, Int, Double) -> Void, second: (Int, Int, Double) -> Void) {
        let slot = layout.slot, fs = factorStart, fq = factors, sp = shapeParameter
        let v = factorWork, pre = factorWork + maxFactors, suf = factorWork + (2 &* maxFactors &+ 1)
        for c in 0..<templateCount {
            let f0 = fs[c], nfac = fs[c &+ 1] &- f0, ec = e[c]
            let (hc, hSlope) = shapeFactor(c, p)
            if hc == 0 && hSlope == 0 { continue }
            let qs = sp[c], ks = qs >= 0 ? slot[qs] : -1
            pre[0] = 1
            for a in 0..<nfac { v[a] = p[fq[f0 &+ a]]; pre[a &+ 1] = pre[a] * v[a] }
            suf[nfac] = 1
            var a = nfac
            while a > 0 { a &-= 1; suf[a] = suf[a &+ 1] * v[a] }
            for a in 0..<nfac {
                let ka = slot[fq[f0 &+ a]]
                guard ka >= 0 else { continue }
                let others = pre[a] * suf[a &+ 1]
                if hc != 0 {
                    jacobian(c, ka, others * hc)
                    // ∂²C/∂p_a∂p_b = Π_{rest} · h, for b > a.
                    var mid = hc * pre[a]
                    var b = a &+ 1
                    while b < nfac {
                        let kb = slot[fq[f0 &+ b]]
                        if kb >= 0 { second(ka, kb, ec * (mid * suf[b &+ 1])) }
                        mid *= v[b]
                        b &+= 1
                    }
                }
                // ∂²C/∂p_a∂α = Π_{others} · h′.
                if ks >= 0 && hSlope != 0 { second(ka, ks, ec * (others * hSlope)) }
            }
            if ks >= 0 && hSlope != 0 { jacobian(c, ks, pre[nfac] * hSlope) }
        }
    }

    /// Adds the constraint terms' gradient and Hessian (diagonal) of the free slots of `layout`
    /// at p; returns their sum (∞ outside a log-normal's domain).
    @inline(__always)
    private func addConstraints(_ p: UnsafePointer<Double>, _ layout: NuisanceLayout, globals: UnsafePointer<Double>,
                                gradient g: UnsafeMutablePointer<Double>, hessian h: UnsafeMutablePointer<Double>) -> Double {
        let nf = layout.count
        var penalty = 0.0
        for k in 0..<nf {
            let q = layout.free[k], kind = constraintKind[q]
            guard kind != 0 else { continue }
            let w = inverseVariance[q], theta = p[q]
            if kind == 1 {
                let d = globals[q] - theta
                penalty += d * d * w
                g[k] -= 2 * d * w
                h[k * nf + k] += 2 * w
            } else {
                // ModifierConstraint.logNormal: ((ln θ̃ − ln θ)/σ)² and its derivatives.
                guard theta > 0 else { return .infinity }
                let d = logGlobal(q, globals) - log(theta)
                penalty += d * d * w
                g[k] -= 2 * d * w / theta
                h[k * nf + k] += 2 * (1 + d) * w / (theta * theta)
            }
        }
        return penalty
    }

    /// ln globals[q], recomputed only when the observable changed.
    @inline(__always)
    private func logGlobal(_ q: Int, _ globals: UnsafePointer<Double>) -> Double {
        let g = globals[q]
        if g != lastGlobal[q] || g.isNaN {
            lastGlobal[q] = g
            lastLogGlobal[q] = log(g)
        }
        return lastLogGlobal[q]
    }

    /// Σ of the constraint terms of the free slots of `layout` at p.
    @inline(__always)
    func penalty(_ p: UnsafePointer<Double>, _ layout: NuisanceLayout, globals: UnsafePointer<Double>) -> Double {
        var s = 0.0
        for k in 0..<layout.count {
            let q = layout.free[k], kind = constraintKind[q]
            guard kind != 0 else { continue }
            let d = kind == 1 ? globals[q] - p[q] : (p[q] > 0 ? logGlobal(q, globals) - log(p[q]) : .infinity)
            s += d * d * inverseVariance[q]
        }
        return s
    }
}

/// A `ModelLayout` on owned pointers (no reference counting in the kernels' loops).
struct NuisanceLayout {
    let free: UnsafeMutablePointer<Int>
    let slot: UnsafeMutablePointer<Int>
    let count: Int
    /// Every template coefficient is linear in the free slots (set by `NuisanceBlockModel`).
    var linear = false
    /// At most four slots and no template with a fitted parameter twice: each template's
    /// coefficient is a monomial in the slots (`NuisanceBlockModel.derivatives4`). Per template:
    /// 1 in the lanes of its fitted factors, the lane of its shape parameter when fitted (or
    /// −1), its held factors (held[heldStart[c] ..< heldStart[c + 1]]) and its fitted lanes.
    private(set) var monomials = false
    private(set) var laneMask: UnsafeMutablePointer<SIMD4<Double>>
    private(set) var shapeMask: UnsafeMutablePointer<SIMD4<Double>>
    private(set) var shapeSlot: UnsafeMutablePointer<Int>
    private(set) var heldStart: UnsafeMutablePointer<Int>
    private(set) var held: UnsafeMutablePointer<Int>
    private(set) var laneCount: UnsafeMutablePointer<Int>
    /// Per template, 1 where both lanes of a pair are fitted factors of it (its shape lane
    /// included): pairs (0,1), (2,3), (0,2), (1,3) and (0,3), (1,2) (`pairProducts`).
    private(set) var pairMaskA: UnsafeMutablePointer<SIMD4<Double>>
    private(set) var pairMaskB: UnsafeMutablePointer<SIMD4<Double>>

    /// The padded bins [blockStart, blockEnd) where a template moves in this layout's fits (some
    /// factor or shape parameter fitted): a fit's later passes cover only these (a combination's
    /// data set without fitted parameters of its own stays put in the conditional fits). The
    /// template-space rows' ranges as the model's, empty for the templates that do not move
    /// (their e and h are never read: zero Jacobian rows).
    private(set) var blockStart = 0
    private(set) var blockEnd = 0
    private(set) var templateRange: UnsafeMutablePointer<Int>
    private(set) var pairRange: UnsafeMutablePointer<Int>

    init(_ layout: ModelLayout) {
        templateRange = .allocate(capacity: 1); pairRange = .allocate(capacity: 1)
        count = layout.count
        free = .allocate(capacity: max(count, 1))
        slot = .allocate(capacity: max(layout.slot.count, 1))
        for k in 0..<count { free[k] = layout.free[k] }
        for q in layout.slot.indices { slot[q] = layout.slot[q] }
        laneMask = .allocate(capacity: 1); shapeMask = .allocate(capacity: 1); shapeSlot = .allocate(capacity: 1)
        heldStart = .allocate(capacity: 1); held = .allocate(capacity: 1); laneCount = .allocate(capacity: 1)
        pairMaskA = .allocate(capacity: 1); pairMaskB = .allocate(capacity: 1)
    }

    /// The blocks and row ranges of the moving templates (`moving[c]`), from the model's ranges.
    mutating func setBlocks(moving: [Bool], templateRange model: UnsafePointer<Int>, pairRange modelPairs: UnsafePointer<Int>,
                            pair: (Int, Int) -> Int, paddedBins np: Int) {
        let nt = moving.count, pairs = nt * (nt + 1) / 2
        templateRange.deallocate(); pairRange.deallocate()
        templateRange = .allocate(capacity: 2 * max(nt, 1)); pairRange = .allocate(capacity: 2 * max(pairs, 1))
        templateRange.initialize(repeating: 0, count: 2 * max(nt, 1)); pairRange.initialize(repeating: 0, count: 2 * max(pairs, 1))
        var lo = np, hi = 0
        for c in 0..<nt where moving[c] {
            templateRange[2 * c] = model[2 * c]; templateRange[2 * c + 1] = model[2 * c + 1]
            if model[2 * c] < model[2 * c + 1] { lo = min(lo, model[2 * c]); hi = max(hi, model[2 * c + 1]) }
            for d in c..<nt where moving[d] {
                let r = pair(c, d)
                pairRange[2 * r] = modelPairs[2 * r]; pairRange[2 * r + 1] = modelPairs[2 * r + 1]
            }
        }
        (blockStart, blockEnd) = lo < hi ? (lo, hi) : (0, 0)
    }

    /// The monomial tables of the templates (their factor lists and shape parameters).
    mutating func setMonomials(templates: [(factors: [Int], shape: Int)]) {
        let nt = templates.count
        monomials = count <= 4 && templates.allSatisfy { t in
            let fitted = (t.factors + (t.shape >= 0 ? [t.shape] : [])).filter { slot[$0] >= 0 }
            return Set(fitted).count == fitted.count
        }
        for p in [laneMask, shapeMask, pairMaskA, pairMaskB] { p.deallocate() }
        for p in [shapeSlot, heldStart, held, laneCount] { p.deallocate() }
        laneMask = .allocate(capacity: max(nt, 1)); shapeMask = .allocate(capacity: max(nt, 1))
        pairMaskA = .allocate(capacity: max(nt, 1)); pairMaskB = .allocate(capacity: max(nt, 1))
        shapeSlot = .allocate(capacity: max(nt, 1)); laneCount = .allocate(capacity: max(nt, 1))
        heldStart = .allocate(capacity: nt + 1)
        let heldList = templates.flatMap { $0.factors.filter { slot[$0] < 0 } }
        held = .allocate(capacity: max(heldList.count, 1))
        var next = 0
        for (c, t) in templates.enumerated() {
            var mask = SIMD4<Double>(repeating: 0), lanes = 0
            heldStart[c] = next
            for q in t.factors {
                if slot[q] >= 0 && slot[q] < 4 { mask[slot[q]] = 1; lanes += 1 } else if slot[q] < 0 { held[next] = q; next += 1 }
            }
            var shape = SIMD4<Double>(repeating: 0)
            shapeSlot[c] = t.shape >= 0 ? slot[t.shape] : -1
            if shapeSlot[c] >= 0 && shapeSlot[c] < 4 { shape[shapeSlot[c]] = 1; lanes += 1 }
            laneMask[c] = mask
            shapeMask[c] = shape
            laneCount[c] = lanes
            let all = mask + shape
            pairMaskA[c] = SIMD4(all[0] * all[1], all[2] * all[3], all[0] * all[2], all[1] * all[3])
            pairMaskB[c] = SIMD4(all[0] * all[3], all[1] * all[2], 0, 0)
        }
        heldStart[nt] = next
    }

    func deallocate() {
        free.deallocate()
        slot.deallocate()
        templateRange.deallocate(); pairRange.deallocate()
        for p in [laneMask, shapeMask, pairMaskA, pairMaskB] { p.deallocate() }
        for p in [shapeSlot, heldStart, held, laneCount] { p.deallocate() }
    }
}
