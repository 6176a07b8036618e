/// The non-increasing weighted least-squares fit of a curve (isotonic regression by the
/// pool-adjacent-violators algorithm; Barlow, Bartholomew, Bremner & Brunk, "Statistical
/// Inference under Order Restrictions", 1972). A toy CLs or CLs+b curve falls with κ, but Monte
/// Carlo noise can make it rise between neighbouring grid points, and then it crosses 1 − CL
/// more than once; pooling the violators into their weighted mean restores one crossing (the
/// curve is returned unchanged where it is already non-increasing, so the interpolated limit is
/// then exactly pyhf's).
enum MonotoneFit {
    /// Fitted values and, per point, the summed weight of its pool (1/σ² of the pooled value when
    /// the weights are 1/σ²).
    static func nonIncreasing(_ values: [Double], weights: [Double]) -> (values: [Double], weights: [Double]) {
        var means: [Double] = [], sums: [Double] = [], counts: [Int] = []
        for (v, w) in zip(values, weights) {
            means.append(v)
            sums.append(w)
            counts.append(1)
            while means.count >= 2, means[means.count - 1] > means[means.count - 2] {
                let m2 = means.removeLast(), w2 = sums.removeLast(), c2 = counts.removeLast()
                let k = means.count - 1, w1 = sums[k]
                means[k] = w1 + w2 > 0 ? (means[k] * w1 + m2 * w2) / (w1 + w2) : 0.5 * (means[k] + m2)
                sums[k] = w1 + w2
                counts[k] += c2
            }
        }
        var fitted: [Double] = [], pooled: [Double] = []
        for k in means.indices {
            fitted += [Double](repeating: means[k], count: counts[k])
            pooled += [Double](repeating: sums[k], count: counts[k])
        }
        return (fitted, pooled)
    }
}
