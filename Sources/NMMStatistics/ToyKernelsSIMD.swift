#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif
internal import CToyKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
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

/// Which instructions the toy kernels' hot loops run, chosen once per process: AVX2 (256-bit
/// square roots and divisions, the C loop of `CToyKernels`) when the CPU has it, else the
/// SSE2 Swift loop (baseline x86-64, and every other architecture). Both give the same t bit
/// for bit (same IEEE operations in the same order, no FMA; `ToyKernelsDispatchTests`).
/// `NMM_SIMD=sse2` in the environment forces the baseline (tests, A/B benchmarks).
enum ToyKernelsDispatch {
    enum Level: String, Sendable { case sse2, avx2 }

    /// The CPU runs AVX2 code (and the OS saves its registers).
    static let avx2Available: Bool = nmm_cpu_has_avx2() != 0

    /// The level kernels use unless told otherwise.
    static let current: Level = {
        if let forced = getenv("NMM_SIMD"), String(cString: forced).lowercased() == "sse2" { return .sse2 }
        return avx2Available ? .avx2 : .sse2
    }()
}
