#ifndef CTOYKERNELS_H
#define CTOYKERNELS_H
/* The common-case bin loop of the κ-only Poisson toy kernel (KappaOnlyPoisson.pass) in 256-bit
   AVX2 instructions, chosen at run time (NMMStatistics: ToyKernelsDispatch). Every IEEE
   operation is the one of the Swift loop, in the same order and without FMA, so the results
   are bit-identical to the SSE2 Swift code on every machine. */
#include <stddef.h>

/* Where the kernels' atanh series stand in for the logarithm ln((1 + z)/(1 − z)), truncation
   < 1e-18 relative: five terms for |z| ≤ NMM_ATANH_SHORT_LIMIT, nine for |z| ≤ NMM_ATANH_LONG_LIMIT
   (the Swift and the AVX2 loops read these, so both take the same branch). */
#define NMM_ATANH_SHORT_LIMIT 0.02
#define NMM_ATANH_LONG_LIMIT 0.1

/* Per-bin constant rows of one kernel (64-byte aligned, padded to multiples of 8) and the
   per-bin term rows that the Swift code sums in eight-lane order. */
typedef struct {
    const double *s0, *d, *sumScale, *fourSum, *halfInvSum, *alphaD, *d2, *d3;
    double *gTerms, *hTerms, *jTerms;
    /* For the deviance difference: α, β, the profiled means at κ_j and at κ, its terms. */
    const double *alpha, *beta, *uJ, *bJ, *uK, *bK;
    double *devTerms;
} NMMPoissonRows;

/* 1 when the CPU and the OS run AVX2 (256-bit) code, else 0. */
int nmm_cpu_has_avx2(void);

/* Bins start, start + 8, … < count (multiples of 8) at κ while each block of eight is in the
   common case: u, b into uOut, bOut and the terms of D′, D″ (and D‴ if third) into the rows.
   Returns the first block that is not (to be handled by the Swift fallback), or count.
   Only call when nmm_cpu_has_avx2() is 1. */
ptrdiff_t nmm_poisson_pass_common_avx2(const NMMPoissonRows *rows, double kappa,
                                       const double *n, const double *m,
                                       double *uOut, double *bOut,
                                       ptrdiff_t start, ptrdiff_t count, int third, int safe);

/* Half the deviance-difference terms of bins start, start + 8, … < count
   (KappaOnlyPoisson.halfLogTerms) into devTerms while each block's atanh series holds;
   returns the first block that needs the logarithm (to be handled in Swift), or count. */
ptrdiff_t nmm_poisson_half_log_terms_avx2(const NMMPoissonRows *rows, const double *n, const double *m,
                                          ptrdiff_t start, ptrdiff_t count);

/* The common-case loops of the Poisson toy kernel with nuisance parameters
   (NuisancePoissonKernel) in the same way: rows of its NuisanceBlockModel (64-byte aligned,
   padded to multiples of 8, templateCount rows of paddedBins for the templates). */
typedef struct {
    const double *templates, *alpha, *beta, *halfInvSum;
    ptrdiff_t templateCount, paddedBins;
} NMMNuisanceRows;

/* A row set of NuisancePoissonKernel: profiled u, b and the half derivatives D′/2, D″/2, D‴/2. */
typedef struct {
    double *u, *b, *d1, *d2, *d3;
} NMMNuisanceBins;

/* NuisancePoissonKernel.pass for bins start, start + 8, … < end while every lane of a
   block has n > 0 and m > 0: the signal Σ_c coef_c T_c, the interior root (either form, lane by
   lane by the sign of the signal) and u, b, D′/2, D″/2, D‴/2 into out. Returns the first block
   that is not (to be handled by the Swift fallback), or end. */
ptrdiff_t nmm_nuisance_pass_common_avx2(const NMMNuisanceRows *rows, const double *coef,
                                        const double *n, const double *m,
                                        const NMMNuisanceBins *out, ptrdiff_t start, ptrdiff_t end);

/* The per-bin terms of NuisancePoissonKernel.devianceDifference (D(a) − D(b) from the means
   uA, bA and uB, bB) of bins start, start + 8, … < end into terms while each block's atanh
   series holds; returns the first block that needs the logarithm (to be handled in Swift), or
   end. */
ptrdiff_t nmm_nuisance_deviance_terms_avx2(const NMMNuisanceRows *rows, const double *n, const double *m,
                                           const double *uA, const double *bA,
                                           const double *uB, const double *bB,
                                           double *terms, ptrdiff_t start, ptrdiff_t end);

/* The per-bin terms of NuisancePoissonKernel.taylorStep, ΔS·(D′/2 + ΔS·(½·D″/2 + ΔS·(⅙·D‴/2)))
   with ΔS = Σ_c coefStep_c T_c, of the bins start ..< end into terms. */
void nmm_nuisance_taylor_terms_avx2(const NMMNuisanceRows *rows, const double *coefStep,
                                    const NMMNuisanceBins *at, double *terms, ptrdiff_t start, ptrdiff_t end);

/* For each of rowCount rows y (count apart, count a multiple of 8),
   NuisanceVectorMath.dot(x, y, from: ranges[2r], to: ranges[2r + 1]) (the row's non-zero
   blocks) into sums[r]: two eight-lane accumulators, added, then the lanes by the same tree
   (NuisanceVectorMath.laneSum). */
void nmm_dot_sums_avx2(const double *x, const double *rows, const ptrdiff_t *ranges, ptrdiff_t rowCount,
                       ptrdiff_t count, double *sums);

/* The pass over the bins of the χ² toy kernel with nuisance parameters
   (NuisanceChiSquareKernel): rows of its NuisanceBlockModel (64-byte aligned, padded to
   multiples of 8; templateCount rows of paddedBins for the templates), α, 1/α, 1/β, 1/(α + β),
   and the indices of the known-rate templates in ascending order. */
typedef struct {
    const double *templates, *alpha, *inverseAlpha, *inverseBeta, *inverseScaleSum;
    const ptrdiff_t *known;
    ptrdiff_t knownCount, paddedBins;
} NMMChiSquareRows;

/* The χ² variance rules (ResidualErrorRule). */
typedef enum {
    NMM_CHI2_OBSERVED_COUNTS = 0,
    NMM_CHI2_POOLED = 1,
    NMM_CHI2_EXPECTED = 2
} NMMChiSquareRule;

/* Per-bin rows the pass writes: the weights w = 1/σ², w·(n/α − m/β) and σ². */
typedef struct {
    double *w, *wy, *variance;
} NMMChiSquareWeights;

/* NuisanceChiSquareKernel.weights over all bins: σ² by rule (NMM_CHI2_EXPECTED with the known
   rate Σ_j knownCoef[known_j] T_known_j, or 0 if knownCoef is NULL) into out, whose variance
   row holds the previous σ² on entry; unless first, the lane-wise maximum of the relative
   weight change |w·σ²_old − 1| over the blocks into change[0…7] (the caller takes the largest
   lane). Only call when nmm_cpu_has_avx2() is 1. */
void nmm_chi2_weigh_avx2(const NMMChiSquareRows *rows, NMMChiSquareRule rule, const double *knownCoef,
                         const double *n, const double *m, const NMMChiSquareWeights *out, int first,
                         double *change);
#endif
