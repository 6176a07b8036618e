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

extension ToyKernelsSIMD {
    /// √x lane by lane for four lanes (two `sqrtpd` on x86-64), correctly rounded.
    @inline(__always)
    static func squareRoot(_ x: SIMD4<Double>) -> SIMD4<Double> {
        #if arch(x86_64)
        return SIMD4(lowHalf: _mm_sqrt_pd(x.lowHalf), highHalf: _mm_sqrt_pd(x.highHalf))
        #else
        return x.squareRoot()
        #endif
    }

    /// Rows of `PaddedRows` read four lanes at a time (rows are padded to eight, so to four).
    enum Lanes4 {
        typealias V = SIMD4<Double>

        @inline(__always)
        static func load(_ p: UnsafePointer<Double>, _ i: Int) -> V {
            UnsafeRawPointer(p + i).load(as: V.self)
        }

        @inline(__always)
        static func store(_ v: V, _ p: UnsafeMutablePointer<Double>, _ i: Int) {
            UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: V.self)
        }
    }
}
