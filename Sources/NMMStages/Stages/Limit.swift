import Foundation
import NMMCore
import NMMStatistics

/// Settings of the limit stage: the config's limit section with CLI overrides.
public struct LimitSettings: Sendable {
    public var method: LimitMethod
    public var confidenceLevel: Double
    public var seed: UInt64
    public var toysPerPoint: Int
    public var gridPoints: Int
    public var kappaMax: Double?
    public var sensitivityToys: Int
    public var maxFailedFraction: Double
    public var threads: Int?
    /// Systematic error on κ added in quadrature to the statistical one (Gaussian belt).
    public var systematicError: Double
    /// The interval constructions to run (`limit.methods`); `fc` (the headline) always runs.
    public var methods: [IntervalMethod] = [.fc]
    /// Toys: add toys near the upper crossing until σ_MC(κ_up)/κ_up ≤ this (nil: a fixed
    /// toysPerPoint everywhere; `AdaptiveToys`).
    public var targetRelativeError: Double?
    /// Adaptive toys: at most this many toys at one grid point (nil: 50 × toysPerPoint).
    public var maxToysPerPoint: Int?

    public init(config: AnalysisConfig) throws {
        method = config.limitMethod
        confidenceLevel = config.confidenceLevel
        seed = config.seed
        toysPerPoint = config.toysPerPoint
        gridPoints = config.gridPoints
        kappaMax = config.limit?.kappaMax
        sensitivityToys = config.sensitivityToys
        maxFailedFraction = config.maxFailedFraction
        threads = nil
        systematicError = 0
        methods = config.limit?.methods ?? [.fc]
        targetRelativeError = config.limit?.targetRelativeError
        maxToysPerPoint = config.limit?.maxToysPerPoint
    }

    public init(method: LimitMethod = .gaussian, confidenceLevel: Double = 0.9, seed: UInt64 = 1, toysPerPoint: Int = 1000,
                gridPoints: Int = 60, kappaMax: Double? = nil, sensitivityToys: Int = 1000, maxFailedFraction: Double = 0.01,
                threads: Int? = nil, systematicError: Double = 0, targetRelativeError: Double? = nil,
                maxToysPerPoint: Int? = nil) {
        self.targetRelativeError = targetRelativeError
        self.maxToysPerPoint = maxToysPerPoint
        self.method = method
        self.confidenceLevel = confidenceLevel
        self.seed = seed
        self.toysPerPoint = toysPerPoint
        self.gridPoints = gridPoints
        self.kappaMax = kappaMax
        self.sensitivityToys = sensitivityToys
        self.maxFailedFraction = maxFailedFraction
        self.threads = threads
        self.systematicError = systematicError
    }

    /// The κ grid of the belt: 0 … κ_max, κ_max = max(κ̂, 0) + 5σ unless set.
    public func kappaGrid(kappaHat: Double, sigma: Double) -> [Double] {
        let top = kappaMax ?? (max(kappaHat, 0) + 5 * sigma)
        return (0..<gridPoints).map { top * Double($0) / Double(gridPoints - 1) }
    }

    /// The adaptive toys' target and cap (never below toysPerPoint, which `--toys` may have
    /// raised); nil without a target.
    public var adaptiveToys: AdaptiveToySettings? {
        targetRelativeError.map {
            AdaptiveToySettings(targetRelativeError: $0,
                                maxToysPerPoint: max(maxToysPerPoint ?? AdaptiveToySettings.defaultMaxToys(toysPerPoint: toysPerPoint),
                                                     toysPerPoint))
        }
    }
}

/// limit: Feldman–Cousins unified interval on κ ≥ 0, either with the analytic belt for a
/// Gaussian measurement of κ (σ from the fit, ⊕ a systematic error) or by the Neyman
/// construction with toy Monte Carlo on the profile-likelihood statistic of the fit method.
public struct Limit: Sendable {
    public init() {}

    /// The analytic Gaussian belt, from a fitted κ̂ ± σ (the pipeline or a published summary).
    public func gaussian(kappaHat: Double, statError: Double, settings: LimitSettings) throws -> LimitProduct {
        guard kappaHat.isFinite else { throw InputError(file: nil, field: "kappa", "expected a finite fitted κ, found \(kappaHat)") }
        guard statError.isFinite, statError > 0 else {
            throw InputError(file: nil, field: "kappa error", "expected a statistical error > 0, found \(statError)")
        }
        guard settings.systematicError.isFinite, settings.systematicError >= 0 else {
            throw InputError(file: nil, field: "sys error", "expected a systematic error ≥ 0, found \(settings.systematicError)")
        }
        let sigma = FeldmanCousinsGaussian.combinedSigma(stat: statError, sys: settings.systematicError)
        let fc = try FeldmanCousinsGaussian(cl: settings.confidenceLevel)
        let interval = fc.interval(measured: kappaHat, sigma: sigma)
        let grid = settings.kappaGrid(kappaHat: kappaHat, sigma: sigma)
        let regions = grid.map { fc.acceptanceRegion(mu: $0 / sigma) }
        let belt = LimitProduct.Belt.gaussian(.init(kappa: grid, acceptLow: regions.map { $0.lower * sigma },
                                                    acceptHigh: regions.map { $0.upper * sigma }))
        let bands = fc.sensitivity(sigma: sigma)
        return LimitProduct(method: .gaussian, statistic: nil, confidenceLevel: settings.confidenceLevel,
                            kappaHat: kappaHat, kappaSigma: sigma, kappaLower: interval.lower, kappaUpper: interval.upper,
                            seed: settings.seed, belt: belt,
                            sensitivity: .init(quantiles: LimitBands.quantiles, kappaUpper: bands.values, pseudoExperiments: 0),
                            failedToys: 0, totalToys: 0)
    }

    /// The κ-only/legacy toys when they are exact for this model, else the model toys with
    /// resampled global observables (statistics.md §2) — `StatisticalModel.beltConstruction`.
    func construction(fit: FitProduct, model: StatisticalModel, options: ModelFitOptions,
                      settings: LimitSettings) throws -> any BeltConstruction {
        try model.beltConstruction(options: options, configuration: toyConfiguration(fit: fit, options: options, settings: settings))
    }

    /// The toys' grid (0 … κ̂ + 5σ unless limit.kappaMax), counts, seed, statistic and threads.
    func toyConfiguration(fit: FitProduct, options: ModelFitOptions, settings: LimitSettings) -> ToyConfiguration {
        let statistic: ToyStatistic = options.statistic == .poisson ? .poisson : .chi2
        let grid = settings.kappaGrid(kappaHat: fit.kappa, sigma: fit.kappaError)
        return ToyConfiguration(kappaGrid: grid, confidenceLevel: settings.confidenceLevel,
                                toysPerPoint: settings.toysPerPoint, seed: settings.seed, statistic: statistic,
                                threads: settings.threads, maxFailureFraction: settings.maxFailedFraction)
    }

    /// The toy-MC Neyman construction on the fit's data and templates.
    public func toys(fit: FitProduct, model: StatisticalModel, options: ModelFitOptions, settings: LimitSettings,
                     progress: ProgressHandler? = nil) throws -> LimitProduct {
        let c = try construction(fit: fit, model: model, options: options, settings: settings)
        let belt = try adapted(try c.belt(points: nil, progress: progress), construction: c, settings: settings, progress: progress)
        return try product(belt: belt, construction: c, model: model, fit: fit, settings: settings, progress: progress)
    }

    /// The first-pass belt with the adaptive toys added (a single run and a merge alike; the
    /// shards compute the first pass only).
    func adapted(_ belt: ToyBelt, construction c: any BeltConstruction, settings: LimitSettings,
                 progress: ProgressHandler?) throws -> ToyBelt {
        guard let adaptive = settings.adaptiveToys else { return belt }
        return try c.addingToys(to: belt, settings: adaptive, progress: progress)
    }

    /// One slice (shard `index` of `count`, 1-based) of the toy belt's grid.
    public func toysShard(fit: FitProduct, model: StatisticalModel, options: ModelFitOptions, settings: LimitSettings,
                          index: Int, count: Int, progress: ProgressHandler? = nil) throws -> LimitShard {
        let c = try construction(fit: fit, model: model, options: options, settings: settings)
        let points = ToyBelt.shardPoints(index: index, count: count, gridPoints: c.configuration.kappaGrid.count)
        let belt = try c.belt(points: points, progress: progress)
        return LimitShard(index: index, count: count, belt: belt, points: points, kappaHat: fit.kappa, kappaSigma: fit.kappaError)
    }

    /// Joins every shard of one construction and finishes it as a single run would.
    public func merge(_ shards: [LimitShard], fit: FitProduct, model: StatisticalModel, options: ModelFitOptions,
                      settings: LimitSettings, progress: ProgressHandler? = nil) throws -> LimitProduct {
        let c = try construction(fit: fit, model: model, options: options, settings: settings)
        let belt = try ToyBelt.joining(shards.map { ($0.points, $0.belt) })
        guard belt.kappaGrid == c.configuration.kappaGrid, belt.seed == c.configuration.seed,
              belt.toysPerPoint == c.configuration.toysPerPoint, belt.statistic == c.configuration.statistic,
              belt.confidenceLevel == c.configuration.confidenceLevel else {
            throw InputError(file: nil, field: "shards",
                             "the shards were made with other limit settings (grid, seed, toys, statistic or CL) than this merge")
        }
        return try product(belt: try adapted(belt, construction: c, settings: settings, progress: progress), construction: c,
                           model: model, fit: fit, settings: settings, progress: progress)
    }

    func product(belt: ToyBelt, construction: any BeltConstruction, model: StatisticalModel, fit: FitProduct, settings: LimitSettings,
                 progress: ProgressHandler?) throws -> LimitProduct {
        let grid = belt.kappaGrid, statistic = belt.statistic
        guard let interval = belt.interval else {
            throw InputError(file: nil, field: "limit", "no κ on the grid [0, \(grid.last ?? 0)] is accepted at \(settings.confidenceLevel) CL; raise limit.kappaMax")
        }
        var sensitivity: LimitProduct.Sensitivity? = nil
        if settings.sensitivityToys > 0 {
            let s = try construction.sensitivity(belt: belt, pseudoExperiments: settings.sensitivityToys, progress: progress)
            sensitivity = .init(quantiles: LimitBands.quantiles, kappaUpper: s.bands.values, pseudoExperiments: s.pseudoExperiments)
        }
        let product = LimitProduct.Belt.toys(.init(kappa: grid, criticalValue: belt.criticalValues, observed: belt.observedValues,
                                                   toys: belt.toysAtPoint.map(Int64.init),
                                                   failures: belt.failuresPerPoint.map(Int64.init),
                                                   criticalValueError: belt.criticalValueErrors))
        let failed = belt.failuresPerPoint.reduce(0, +)
        var result = LimitProduct(method: .toys, statistic: statistic, confidenceLevel: settings.confidenceLevel,
                                  kappaHat: fit.kappa, kappaSigma: fit.kappaError, kappaLower: interval.lower,
                                  kappaUpper: interval.upper, seed: settings.seed, belt: product, sensitivity: sensitivity,
                                  failedToys: failed, totalToys: belt.totalToys)
        result.kappaLowerError = interval.lowerError
        result.kappaUpperError = interval.upperError
        result.adaptiveToys = belt.adaptive
        // The same for a single run and for merged shards: the fit's status travels with the limit.
        result.fitConverged = fit.converged
        result.fitCovarianceAccurate = fit.covarianceAccurate
        result.globalObservables = !model.constrainedModifiers.isEmpty
            ? (belt.resampleGlobalObservables ? "resampled" : "fixed") : "none"
        return result
    }
}
