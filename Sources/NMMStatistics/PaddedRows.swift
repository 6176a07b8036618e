/// Rows of doubles for the toy loop: 64-byte aligned, read and written eight at a time
/// (SIMD8<Double>, which beat SIMD4 and SIMD2 by 6–15% on baseline x86-64). A row of `bins`
/// values is padded to `padded(bins)`, a multiple of the SIMD width. The memory belongs to
/// whoever allocated it (free with `deallocate`).
enum PaddedRows {
    typealias V = SIMD8<Double>

    /// `bins` rounded up to a multiple of the SIMD width, 8.
    static func padded(_ bins: Int) -> Int {
        (bins + V.scalarCount - 1) / V.scalarCount * V.scalarCount
    }

    /// `n` doubles, 64-byte aligned, zeroed.
    static func allocate(_ n: Int) -> UnsafeMutablePointer<Double> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(n, 1) * 8, alignment: 64)
        let p = raw.bindMemory(to: Double.self, capacity: max(n, 1))
        p.initialize(repeating: 0, count: max(n, 1))
        return p
    }

    static func deallocate(_ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).deallocate()
    }

    /// Lanes p[i] … p[i + 7].
    @inline(__always)
    static func load(_ p: UnsafePointer<Double>, _ i: Int) -> V {
        UnsafeRawPointer(p + i).load(as: V.self)
    }

    /// v into p[i] … p[i + 7].
    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Double>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: V.self)
    }
}
