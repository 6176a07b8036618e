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

    /// The toy CLs construction when `methods` asks for cls or clsb (shards compute its slices).
    func clsToys(for methods: [IntervalMethod]) throws -> CLsToys? {
        guard methods.contains(.cls) || methods.contains(.clsb) else { return nil }
        return try construction(for: .cls) as? CLsToys
    }

    func construction(for method: IntervalMethod) throws -> any IntervalConstruction {
        switch method {
        case .bayes, .bayesMu:
            // One posterior machinery for both priors: the pseudo-experiments serve both.
            let priors = settings.methods.filter { $0 == .bayes || $0 == .bayesMu }
            let cfg = BayesianConfiguration(confidenceLevel: settings.confidenceLevel, methods: priors, seed: settings.seed,
                                            pseudoExperiments: settings.sensitivityToys, threads: settings.threads)
            return try BayesianLimit(model: model, options: options, configuration: cfg)
        case .cls, .clsb:
            // The FC belt's grid, toys and streams: the s+b toys are the FC toys (common random numbers).
            return try CLsToys(model: model, options: options, configuration: Limit().toyConfiguration(fit: fit, options: options, settings: settings))
        case .asymptotic:
            return try AsymptoticCLs(model: model, options: options, confidenceLevel: settings.confidenceLevel)
        case .fc:
            throw InputError(file: nil, field: "limit.methods", "fc is the headline construction, not a comparison", status: .software)
        }
    }

    /// The results for `methods` (fc excluded), in the order of `methods`.
    /// `clsScan`: the toy CLs scan joined from shards (then its toys are not redrawn).
    func run(_ methods: [IntervalMethod], clsScan: CLsToyScan? = nil, progress: ProgressHandler?) throws -> [IntervalResult] {
        var results: [IntervalMethod: IntervalResult] = [:]
        for c in try constructions(for: methods) {
            let rs = if let toys = c as? CLsToys, let clsScan { try toys.intervals(from: clsScan) } else { try c.intervals(progress: progress) }
            for r in rs { results[r.method] = r }
        }
        return methods.compactMap { results[$0] }
    }
}
