internal import CGSL

/// Small helpers to move numbers between Swift arrays and GSL vectors/matrices.
/// Internal to NMMCore: only the GSL wrappers touch GSL types.
enum GSLBuffers {
    static func vector(_ values: [Double], routine: String) throws -> UnsafeMutablePointer<gsl_vector> {
        guard let v = gsl_vector_alloc(max(values.count, 1)) else {
            throw GSLError(routine: "gsl_vector_alloc", status: Int32(GSL_ENOMEM), context: routine)
        }
        for (i, x) in values.enumerated() { gsl_vector_set(v, i, x) }
        return v
    }

    static func matrix(rows: Int, columns: Int, routine: String) throws -> UnsafeMutablePointer<gsl_matrix> {
        guard let m = gsl_matrix_alloc(max(rows, 1), max(columns, 1)) else {
            throw GSLError(routine: "gsl_matrix_alloc", status: Int32(GSL_ENOMEM), context: routine)
        }
        return m
    }

    static func array(_ v: UnsafePointer<gsl_vector>) -> [Double] {
        (0..<v.pointee.size).map { gsl_vector_get(v, $0) }
    }

    /// Copies a GSL vector into an existing Swift array of the same length (no allocation).
    static func copy(_ v: UnsafePointer<gsl_vector>, into out: inout [Double]) {
        for i in 0..<out.count { out[i] = gsl_vector_get(v, i) }
    }

    static func rows(_ m: UnsafePointer<gsl_matrix>, count n: Int) -> [[Double]] {
        (0..<n).map { i in (0..<n).map { j in gsl_matrix_get(m, i, j) } }
    }
}
