import NMMCore
/// Dense linear algebra for the few (≤ 5) fit parameters, on caller-owned row-major
/// buffers, so the toy loops never allocate. Plain Swift: the matrices are tiny and the
/// stage layer does not call C.
enum SmallLinearAlgebra {
    /// In-place Cholesky factorisation A = L Lᵀ of the symmetric n × n matrix in `a`
    /// (lower triangle overwritten by L). Returns false if A is not positive definite.
    @inline(__always)
    static func cholesky(_ a: inout [Double], _ n: Int) -> Bool {
        a.withUnsafeMutableBufferPointer { cholesky($0.baseAddress!, n) }
    }

    /// The same on a caller-owned buffer (the nuisance kernels' Newton steps).
    @inline(__always)
    static func cholesky(_ a: UnsafeMutablePointer<Double>, _ n: Int) -> Bool {
        for j in 0..<n {
            var d = a[j * n + j]
            for k in 0..<j { d -= a[j * n + k] * a[j * n + k] }
            guard d > 0, d.isFinite else { return false }
            let ljj = d.squareRoot()
            a[j * n + j] = ljj
            for i in (j + 1)..<max(n, j + 1) {
                var s = a[i * n + j]
                for k in 0..<j { s -= a[i * n + k] * a[j * n + k] }
                a[i * n + j] = s / ljj
            }
        }
        return true
    }

    /// Solves L Lᵀ x = b in place (b becomes x), with L from `cholesky`.
    @inline(__always)
    static func choleskySolve(_ l: [Double], _ n: Int, _ b: inout [Double]) {
        l.withUnsafeBufferPointer { lp in b.withUnsafeMutableBufferPointer { choleskySolve(lp.baseAddress!, n, $0.baseAddress!) } }
    }

    @inline(__always)
    static func choleskySolve(_ l: UnsafePointer<Double>, _ n: Int, _ b: UnsafeMutablePointer<Double>) {
        for i in 0..<n {
            var s = b[i]
            for k in 0..<i { s -= l[i * n + k] * b[k] }
            b[i] = s / l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = b[i]
            for k in (i + 1)..<max(n, i + 1) { s -= l[k * n + i] * b[k] }
            b[i] = s / l[i * n + i]
        }
    }

    /// (A⁻¹)_kk from the Cholesky factor L, using `work` (length ≥ n) as scratch.
    @inline(__always)
    static func inverseDiagonal(_ l: [Double], _ n: Int, _ k: Int, work: inout [Double]) -> Double {
        for i in 0..<n { work[i] = i == k ? 1 : 0 }
        choleskySolve(l, n, &work)
        return work[k]
    }

    /// Full inverse of a symmetric positive-definite matrix (allocates; for results only).
    static func inverse(_ a: [[Double]]) -> [[Double]]? {
        let n = a.count
        var l = a.flatMap { $0 }
        guard cholesky(&l, n) else { return nil }
        var out = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var col = [Double](repeating: 0, count: n)
        for j in 0..<n {
            for i in 0..<n { col[i] = i == j ? 1 : 0 }
            choleskySolve(l, n, &col)
            for i in 0..<n { out[i][j] = col[i] }
        }
        return out
    }
}
