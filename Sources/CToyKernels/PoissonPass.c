/* See include/CToyKernels.h. Operation order: KappaOnlyPoisson.pass in Swift, line by line
   (a * b * c is (a * b) * c in both languages); no contraction into FMA. */
#pragma clang fp contract(off)
#include "CToyKernels.h"

#if defined(__x86_64__)
#include "SIMD8.h"

int nmm_cpu_has_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 1 : 0;
}

__attribute__((always_inline)) static inline ptrdiff_t
pass_common(const NMMPoissonRows *rw, double kappa, const double *n, const double *m,
            double *uOut, double *bOut, ptrdiff_t start, ptrdiff_t count,
            const int third, const int safe) {
    const double *s0 = rw->s0, *d = rw->d, *sumScale = rw->sumScale, *fourSum = rw->fourSum,
                 *halfInvSum = rw->halfInvSum, *alphaD = rw->alphaD, *d2 = rw->d2, *d3 = rw->d3;
    double *gT = rw->gTerms, *hT = rw->hTerms, *jT = rw->jTerms;
    const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    for (ptrdiff_t i = start; i < count; i += 8) {
        v8 nv = LD(n, i), mv = LD(m, i), dv = LD(d, i);
        v8 s = LD(s0, i) + kappa * dv;
        v8 bq = LD(sumScale, i) * s - (nv + mv);
        m8 common;
        if (safe) {
            common = bq <= zero;
        } else {
            common = (s >= zero) & (nv > zero) & (mv > zero) & (bq <= zero);
        }
        if (__builtin_reduce_and(common) != -1) return i;
        v8 q = bq * bq + LD(fourSum, i) * (mv * s);
        v8 disc = __builtin_elementwise_sqrt(q);
        v8 b = (disc - bq) * LD(halfInvSum, i);
        v8 u = b + s;
        v8 nb2 = nv * (b * b);
        v8 p = mv * (u * u) + nb2;
        v8 r = 1.0 / (u * p);
        v8 ur = u * r;
        ST(u, uOut, i);
        ST(b, bOut, i);
        v8 npr = nv * p * r;
        ST(LD(alphaD, i) - npr * dv, gT, i);
        v8 w = (nv * mv) * ur;
        ST(w * LD(d2, i), hT, i);
        if (third) {
            v8 u3 = u * u * u;
            v8 c1 = nb2 * nv * b;
            v8 c2 = (mv * mv) * u3;
            v8 ur2 = ur * ur;
            ST(w * ur2 * (c1 - c2) * LD(d3, i), jT, i);
        }
    }
    return count;
}

#define VARIANT(name, third, safe) \
    __attribute__((target("avx2"), noinline)) static ptrdiff_t name( \
        const NMMPoissonRows *rw, double kappa, const double *n, const double *m, \
        double *uOut, double *bOut, ptrdiff_t start, ptrdiff_t count) { \
        return pass_common(rw, kappa, n, m, uOut, bOut, start, count, third, safe); \
    }
VARIANT(avx2_third_safe, 1, 1)
VARIANT(avx2_third_unsafe, 1, 0)
VARIANT(avx2_plain_safe, 0, 1)
VARIANT(avx2_plain_unsafe, 0, 0)

ptrdiff_t nmm_poisson_pass_common_avx2(const NMMPoissonRows *rw, double kappa,
                                       const double *n, const double *m,
                                       double *uOut, double *bOut,
                                       ptrdiff_t start, ptrdiff_t count, int third, int safe) {
    if (third) {
        return safe ? avx2_third_safe(rw, kappa, n, m, uOut, bOut, start, count)
                    : avx2_third_unsafe(rw, kappa, n, m, uOut, bOut, start, count);
    }
    return safe ? avx2_plain_safe(rw, kappa, n, m, uOut, bOut, start, count)
                : avx2_plain_unsafe(rw, kappa, n, m, uOut, bOut, start, count);
}

__attribute__((target("avx2"), noinline))
ptrdiff_t nmm_poisson_half_log_terms_avx2(const NMMPoissonRows *rw, const double *n, const double *m,
                                          ptrdiff_t start, ptrdiff_t count) {
    const double *alpha = rw->alpha, *beta = rw->beta, *uJ = rw->uJ, *bJ = rw->bJ, *uK = rw->uK, *bK = rw->bK;
    double *devT = rw->devTerms;
    const double near = NMM_ATANH_SHORT_LIMIT, far = NMM_ATANH_LONG_LIMIT, inf = __builtin_inf();
    const v8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
    for (ptrdiff_t i = start; i < count; i += 8) {
        v8 nv = LD(n, i), mv = LD(m, i);
        v8 uj = LD(uJ, i), bj = LD(bJ, i), uk = LD(uK, i), bk = LD(bK, i);
        v8 su = uk + uj, sb = bk + bj;
        v8 r = 1.0 / (su * sb);
        v8 zu = (uk - uj) * sb * r, zb = (bk - bj) * su * r;
        v8 lu, lb;
        m8 inNear = (zu <= near) & (zu >= -near) & (zb <= near) & (zb >= -near);
        if (__builtin_reduce_and(inNear) == -1) {
            lu = ATANH_SERIES(zu, 9);
            lb = ATANH_SERIES(zb, 9);
        } else {
            m8 outside = (zu > far) | (zu < -far) | (zb > far) | (zb < -far) | ~(r < inf);
            if (__builtin_reduce_or(outside) != 0) return i;
            lu = ATANH_SERIES(zu, 17);
            lb = ATANH_SERIES(zb, 17);
        }
        v8 linear = LD(alpha, i) * (uj - uk) + LD(beta, i) * (bj - bk);
        v8 halfLogs = nv * lu + mv * lb;
        ST(linear + (halfLogs + halfLogs), devT, i);
    }
    return count;
}

#else

ptrdiff_t nmm_poisson_half_log_terms_avx2(const NMMPoissonRows *rw, const double *n, const double *m,
                                          ptrdiff_t start, ptrdiff_t count) {
    (void)rw; (void)n; (void)m; (void)count;
    return start;
}

int nmm_cpu_has_avx2(void) { return 0; }

ptrdiff_t nmm_poisson_pass_common_avx2(const NMMPoissonRows *rw, double kappa,
                                       const double *n, const double *m,
                                       double *uOut, double *bOut,
                                       ptrdiff_t start, ptrdiff_t count, int third, int safe) {
    (void)rw; (void)kappa; (void)n; (void)m; (void)uOut; (void)bOut; (void)count; (void)third; (void)safe;
    return start;
}

#endif
