#ifndef CTOYKERNELS_SIMD8_H
#define CTOYKERNELS_SIMD8_H
/* Eight-lane vectors for the AVX2 loops (the width of the Swift code's SIMD8<Double>, so the
   lane-wise operations and the sums' lane order are the same). x86-64 only. */
#pragma clang fp contract(off)
#include "CToyKernels.h"

typedef double v8 __attribute__((vector_size(64), aligned(8)));
typedef long long m8 __attribute__((vector_size(64), aligned(8)));

#define LD(p, i) (*(const v8 *)((p) + (i)))
#define ST(v, p, i) (*(v8 *)((p) + (i)) = (v))

/* atanh(z) by its Taylor series to z^top (top odd), in Horner form from 1/top down to 1: top = 9
   for |z| ≤ 0.02 (KappaOnlyPoisson.atanhSeriesShort), 17 for |z| ≤ 0.1 (atanhSeries). The loop
   has constant bounds and is unrolled; 1.0 / k is the correctly rounded constant of the Swift
   literals. A macro, as a v8 argument would change the ABI between targets. Needs `zero`. */
#define ATANH_SERIES(z, top) ({ \
    v8 z2_ = (z) * (z); \
    v8 p_ = zero + 1.0 / (top); \
    for (int k_ = (top) - 2; k_ >= 1; k_ -= 2) p_ = p_ * z2_ + 1.0 / k_; \
    (z) * p_; })

#endif
