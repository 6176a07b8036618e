/* See include/CToyKernels.h. Operation order: NuisanceChiSquareKernel.weights (knownRates,
   expectedVariance, largerChange) in Swift, line by line (a * b * c is (a * b) * c in both languages,
   Swift's unary minus on a vector is 0 − x); no contraction into FMA. */
#pragma clang fp contract(off)
#include "CToyKernels.h"

#if defined(__x86_64__)
#include "SIMD8.h"

/* Lane by lane: a where the mask is set, else b (bit for bit). */
#define SELECT(mask, a, b) ((v8)(((mask) & (m8)(a)) | (~(mask) & (m8)(b))))
/* x, floored at one lane by lane: max(x, 1) as the Swift code writes it. */
#define AT_LEAST_ONE(x) SELECT((x) < one, one, (x))

/* The loop for one rule and `first` (constants after inlining: each case is its own loop). */
__attribute__((always_inline)) static inline void
weigh(const NMMChiSquareRows *rw, const NMMChiSquareRule rule, const double *knownCoef,
      const double *n, const double *m, const NMMChiSquareWeights *out, const int first, double *changeOut) {
    const double *alpha = rw->alpha, *inverseAlpha = rw->inverseAlpha, *inverseBeta = rw->inverseBeta,
                 *inverseSum = rw->inverseScaleSum, *templates = rw->templates;
    const ptrdiff_t *known = rw->known, knownCount = knownCoef ? rw->knownCount : 0, count = rw->paddedBins;
    double *w = out->w, *wy = out->wy, *varianceRow = out->variance;
    const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0}, one = zero + 1.0;
    v8 change = zero;
    for (ptrdiff_t i = 0; i < count; i += 8) {
        v8 nv = LD(n, i), mv = LD(m, i), ia = LD(inverseAlpha, i), ib = LD(inverseBeta, i);
        v8 variance;
        if (rule == NMM_CHI2_OBSERVED_COUNTS) {
            v8 vn = AT_LEAST_ONE(nv), vm = AT_LEAST_ONE(mv);
            variance = vn * (ia * ia) + vm * (ib * ib);
        } else if (rule == NMM_CHI2_POOLED) {
            v8 sum = nv + mv;
            v8 background = AT_LEAST_ONE(sum) * LD(inverseSum, i);
            variance = background * ia + background * ib;
        } else {
            v8 k = zero;
            for (ptrdiff_t j = 0; j < knownCount; j++) k = k + knownCoef[known[j]] * LD(templates + known[j] * count, i);
            v8 s = SELECT(k < zero, zero, k);
            v8 excess = nv + mv - LD(alpha, i) * s;
            v8 background = AT_LEAST_ONE(excess) * LD(inverseSum, i);
            variance = (background + s) * ia + background * ib;
        }
        v8 nw = 1.0 / variance;
        if (!first) {
            v8 rel = nw * LD(varianceRow, i) - one;
            v8 absRel = SELECT(rel < zero, zero - rel, rel);
            change = SELECT(absRel > change, absRel, change);
        }
        ST(variance, varianceRow, i);
        ST(nw, w, i);
        ST(nw * (nv * ia - mv * ib), wy, i);
    }
    ST(change, changeOut, 0);
}

__attribute__((target("avx2"), noinline))
void nmm_chi2_weigh_avx2(const NMMChiSquareRows *rw, NMMChiSquareRule rule, const double *knownCoef,
                         const double *n, const double *m, const NMMChiSquareWeights *out, int first,
                         double *change) {
#define WEIGH(r) (first ? weigh(rw, r, knownCoef, n, m, out, 1, change) : weigh(rw, r, knownCoef, n, m, out, 0, change))
    switch (rule) {
    case NMM_CHI2_OBSERVED_COUNTS: WEIGH(NMM_CHI2_OBSERVED_COUNTS); break;
    case NMM_CHI2_POOLED: WEIGH(NMM_CHI2_POOLED); break;
    case NMM_CHI2_EXPECTED: WEIGH(NMM_CHI2_EXPECTED); break;
    }
#undef WEIGH
}

#else

/* Never called without AVX2 (ToyKernelsDispatch); defined for the link. */
void nmm_chi2_weigh_avx2(const NMMChiSquareRows *rw, NMMChiSquareRule rule, const double *knownCoef,
                         const double *n, const double *m, const NMMChiSquareWeights *out, int first,
                         double *change) {
    (void)rw; (void)rule; (void)knownCoef; (void)n; (void)m; (void)out; (void)first; (void)change;
}

#endif
