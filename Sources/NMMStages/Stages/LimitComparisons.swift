import NMMCore
import NMMStatistics

/// The interval constructions of `limit.methods` other than Feldman–Cousins, run on the same
/// model, fit and grid settings as the FC toys (statistics.md §5): toy CLs and CLs+b share one
/// set of toys; asymptotic CLs uses the Asimov data set; the Bayesian limits integrate the
/// nuisances out. Each result goes into limit.fits as its own table (`LimitProduct.comparisons`).
struct LimitComparisons {
    var fit: FitProduct
    var model: StatisticalModel
    var options: ModelFitOptions
    var settings: LimitSettings

    /// The constructions needed for `methods` (fc excluded), each once, in the order of first use.
    func constructions(for methods: [IntervalMethod]) throws -> [any IntervalConstruction] {
        var made: [any IntervalConstruction] = []
        var covered = Set<IntervalMethod>()
        for m in methods where m != .fc && !covered.contains(m) {
            let c = try construction(for: m)
            covered.formUnion(c.methods)
            made.append(c)
        }
        return made
    }

    func construction(for method: IntervalMethod) throws -> any IntervalConstruction {
        throw InputError(file: nil, field: "limit.methods", "\(method.rawValue) is not available yet", status: .usage)
    }

    /// The results for `methods` (fc excluded), in the order of `methods`.
    func run(_ methods: [IntervalMethod], progress: ProgressHandler?) throws -> [IntervalResult] {
        var results: [IntervalMethod: IntervalResult] = [:]
        for c in try constructions(for: methods) {
            for r in try c.intervals(progress: progress) { results[r.method] = r }
        }
        return methods.compactMap { results[$0] }
    }
}
