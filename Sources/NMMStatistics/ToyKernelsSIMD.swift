#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Lane-wise maths on `PaddedRows.V` for the toy kernels that the standard library does not
/// vectorise.
enum ToyKernelsSIMD {
    typealias V = PaddedRows.V

    /// √x lane by lane, correctly rounded (IEEE 754), so bit-identical to `Double.squareRoot()`.
    /// `SIMD8<Double>.squareRoot()` compiles to eight scalar square roots, each behind a branch
    /// to libm's `sqrt` for negative input (measured: the largest cost of the Poisson kernel);
    /// on x86-64 this is four SSE2 `sqrtpd` (baseline x86-64, no CPU flags needed).
    @inline(__always)
    static func squareRoot(_ x: V) -> V {
        #if arch(x86_64)
        let lo = x.lowHalf, hi = x.highHalf
        return V(lowHalf: SIMD4(lowHalf: _mm_sqrt_pd(lo.lowHalf), highHalf: _mm_sqrt_pd(lo.highHalf)),
                 highHalf: SIMD4(lowHalf: _mm_sqrt_pd(hi.lowHalf), highHalf: _mm_sqrt_pd(hi.highHalf)))
        #else
        return x.squareRoot()
        #endif
    }
}
