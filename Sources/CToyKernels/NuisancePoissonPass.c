/* See include/CToyKernels.h. Operation order: NuisancePoissonKernel (pass, rootFromBackground,
   rootFromOnRate, devianceDifference, taylorStep) and NuisanceBlockModel.signal in Swift, line by
   line (a * b * c is (a * b) * c in both languages, Swift's unary minus on a vector is 0 − x);
   no contraction into FMA. */
#pragma clang fp contract(off)
#include "CToyKernels.h"

#if defined(__x86_64__)
#include "SIMD8.h"

/* Lane by lane: a where the mask is set, else b (bit for bit). */
#define SELECT(mask, a, b) ((v8)(((mask) & (m8)(a)) | (~(mask) & (m8)(b))))
#define ALL(mask) (__builtin_reduce_and(mask) == -1)
#define ANY(mask) (__builtin_reduce_or(mask) != 0)

/* S of bins i…i+7 from the coefficients coef: from 0, template by template. */
#define SIGNAL(rw, coef, i) ({ \
    v8 s_ = zero; \
    for (ptrdiff_t c_ = 0; c_ < (rw)->templateCount; c_++) \
        s_ = s_ + (coef)[c_] * LD((rw)->templates + c_ * (rw)->paddedBins, (i)); \
    s_; })

/* s ≥ 0: the larger root in b; the cancellation-free form where bq > 0. */
#define ROOT_FROM_BACKGROUND(n, m, s, sum, half, bOut, uOut) do { \
    v8 bq_ = (sum) * (s) - ((n) + (m)); \
    v8 disc_ = __builtin_elementwise_sqrt(bq_ * bq_ + 4.0 * (sum) * ((m) * (s))); \
    v8 b_ = (disc_ - bq_) * (half); \
    m8 up_ = bq_ > zero; \
    if (ANY(up_)) b_ = SELECT(up_, 2.0 * (m) * (s) / (bq_ + disc_), b_); \
    (bOut) = b_; \
    (uOut) = b_ + (s); \
} while (0)

/* s < 0: the root in u = b + s. */
#define ROOT_FROM_ON_RATE(n, m, s, sum, half, bOut, uOut) do { \
    v8 bq_ = zero - ((sum) * (s) + (n) + (m)); \
    v8 disc_ = __builtin_elementwise_sqrt(bq_ * bq_ - 4.0 * (sum) * ((n) * (s))); \
    v8 u_ = (disc_ - bq_) * (half); \
    m8 up_ = bq_ > zero; \
    if (ANY(up_)) u_ = SELECT(up_, -2.0 * (n) * (s) / (bq_ + disc_), u_); \
    (bOut) = u_ - (s); \
    (uOut) = u_; \
} while (0)

__attribute__((target("avx2"), noinline))
ptrdiff_t nmm_nuisance_pass_common_avx2(const NMMNuisanceRows *rw, const double *coef,
                                        const double *n, const double *m,
                                        const NMMNuisanceBins *out, ptrdiff_t start, ptrdiff_t end) {
    const double *alpha = rw->alpha, *beta = rw->beta, *halfInvSum = rw->halfInvSum;
    double *uOut = out->u, *bOut = out->b, *d1 = out->d1, *d2 = out->d2, *d3 = out->d3;
    const ptrdiff_t count = end;
    const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    for (ptrdiff_t i = start; i < count; i += 8) {
        v8 nv = LD(n, i), mv = LD(m, i);
        if (!ALL((nv > zero) & (mv > zero))) return i;
        v8 a = LD(alpha, i);
        v8 s = SIGNAL(rw, coef, i);
        v8 sum = a + LD(beta, i), half = LD(halfInvSum, i);
        m8 positive = s >= zero;
        v8 b, u;
        if (ALL(positive)) {
            ROOT_FROM_BACKGROUND(nv, mv, s, sum, half, b, u);
        } else if (!ANY(positive)) {
            ROOT_FROM_ON_RATE(nv, mv, s, sum, half, b, u);
        } else {
            v8 b1, u1, b2, u2;
            ROOT_FROM_BACKGROUND(nv, mv, s, sum, half, b1, u1);
            ROOT_FROM_ON_RATE(nv, mv, s, sum, half, b2, u2);
            b = SELECT(positive, b1, b2);
            u = SELECT(positive, u1, u2);
        }
        v8 p = mv * (u * u) + nv * (b * b);
        v8 r = 1.0 / (u * p);
        ST(u, uOut, i);
        ST(b, bOut, i);
        ST(a - nv * p * r, d1, i);
        v8 nm = nv * mv, ur = u * r;
        ST(nm * ur, d2, i);
        ST(2.0 * nm * (nv * nv * (b * b * b) - mv * mv * (u * u * u)) * (ur * ur * ur), d3, i);
    }
    return count;
}

__attribute__((target("avx2"), noinline))
ptrdiff_t nmm_nuisance_deviance_terms_avx2(const NMMNuisanceRows *rw, const double *n, const double *m,
                                           const double *uA, const double *bA,
                                           const double *uB, const double *bB,
                                           double *terms, ptrdiff_t start, ptrdiff_t end) {
    const double *alpha = rw->alpha, *beta = rw->beta;
    const ptrdiff_t count = end;
    const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0}, one = zero + 1.0;
    const double limit = NMM_ATANH_LONG_LIMIT, near = NMM_ATANH_SHORT_LIMIT;
    for (ptrdiff_t i = start; i < count; i += 8) {
        v8 nv = LD(n, i), mv = LD(m, i);
        v8 ua = LD(uA, i), ub = LD(uB, i), ba = LD(bA, i), bb = LD(bB, i);
        v8 linear = LD(alpha, i) * (ua - ub) + LD(beta, i) * (ba - bb);
        m8 nz = nv == zero, mz = mv == zero;
        v8 x1 = SELECT(nz, one, ub), y1 = SELECT(nz, one, ua);
        v8 x2 = SELECT(mz, one, bb), y2 = SELECT(mz, one, ba);
        v8 s1 = x1 + y1, s2 = x2 + y2, r = 1.0 / (s1 * s2);
        v8 z1 = (x1 - y1) * s2 * r, z2 = (x2 - y2) * s1 * r;
        v8 az1 = SELECT(z1 < zero, zero - z1, z1), az2 = SELECT(z2 < zero, zero - z2, z2);
        if (!ALL((az1 <= limit) & (az2 <= limit))) return i;
        v8 l1, l2;
        if (ALL((az1 <= near) & (az2 <= near))) {
            l1 = 2.0 * ATANH_SERIES(z1, 9);
            l2 = 2.0 * ATANH_SERIES(z2, 9);
        } else {
            l1 = 2.0 * ATANH_SERIES(z1, 17);
            l2 = 2.0 * ATANH_SERIES(z2, 17);
        }
        ST(2.0 * (linear + nv * l1 + mv * l2), terms, i);
    }
    return count;
}

__attribute__((target("avx2"), noinline))
void nmm_nuisance_taylor_terms_avx2(const NMMNuisanceRows *rw, const double *coefStep,
                                    const NMMNuisanceBins *at, double *terms, ptrdiff_t start, ptrdiff_t end) {
    const double *d1 = at->d1, *d2 = at->d2, *d3 = at->d3;
    const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    for (ptrdiff_t i = start; i < end; i += 8) {
        v8 ds = SIGNAL(rw, coefStep, i);
        ST(ds * (LD(d1, i) + ds * (0.5 * LD(d2, i) + ds * ((1.0 / 6) * LD(d3, i)))), terms, i);
    }
}

__attribute__((target("avx2"), noinline))
void nmm_dot_sums_avx2(const double *x, const double *rows, const ptrdiff_t *ranges, ptrdiff_t rowCount,
                       ptrdiff_t count, double *sums) {
    typedef double v4 __attribute__((vector_size(32)));
    typedef double v2 __attribute__((vector_size(16)));
    const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    for (ptrdiff_t r = 0; r < rowCount; r++) {
        const double *y = rows + r * count;
        const ptrdiff_t end = ranges[2 * r + 1];
        v8 s0 = zero, s1 = zero;
        ptrdiff_t i = ranges[2 * r];
        for (; i + 16 <= end; i += 16) {
            s0 = s0 + LD(x, i) * LD(y, i);
            s1 = s1 + LD(x, i + 8) * LD(y, i + 8);
        }
        if (i < end) s0 = s0 + LD(x, i) * LD(y, i);
        v8 l = s0 + s1;
        v4 a = __builtin_shufflevector(l, l, 0, 1, 2, 3) + __builtin_shufflevector(l, l, 4, 5, 6, 7);
        v2 b = __builtin_shufflevector(a, a, 0, 1) + __builtin_shufflevector(a, a, 2, 3);
        sums[r] = b[0] + b[1];
    }
}

#else

ptrdiff_t nmm_nuisance_pass_common_avx2(const NMMNuisanceRows *rw, const double *coef,
                                        const double *n, const double *m,
                                        const NMMNuisanceBins *out, ptrdiff_t start, ptrdiff_t end) {
    (void)rw; (void)coef; (void)n; (void)m; (void)out; (void)end;
    return start;
}

ptrdiff_t nmm_nuisance_deviance_terms_avx2(const NMMNuisanceRows *rw, const double *n, const double *m,
                                           const double *uA, const double *bA,
                                           const double *uB, const double *bB,
                                           double *terms, ptrdiff_t start, ptrdiff_t end) {
    (void)rw; (void)n; (void)m; (void)uA; (void)bA; (void)uB; (void)bB; (void)terms; (void)end;
    return start;
}

/* Never called without AVX2 (ToyKernelsDispatch); defined for the link. */
void nmm_nuisance_taylor_terms_avx2(const NMMNuisanceRows *rw, const double *coefStep,
                                    const NMMNuisanceBins *at, double *terms, ptrdiff_t start, ptrdiff_t end) {
    (void)rw; (void)coefStep; (void)at; (void)terms; (void)start; (void)end;
}

void nmm_dot_sums_avx2(const double *x, const double *rows, const ptrdiff_t *ranges, ptrdiff_t rowCount,
                       ptrdiff_t count, double *sums) {
    (void)x; (void)rows; (void)ranges; (void)rowCount; (void)count; (void)sums;
}

#endif
