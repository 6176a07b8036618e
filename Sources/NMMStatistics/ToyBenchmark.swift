import NMMCore
import Dispatch
import Foundation

/// Times a toy Neyman construction, for `nmm bench`. The grid runs from 0 to
/// max(κ̂, 0) + 5σ_κ of the observed data's best fit with the chosen statistic.
public enum ToyBenchmark {
    /// The benchmark grid of `statistic` on `input`.
    public static func grid(input: FitInput, options: FitOptions, gridPoints: Int, statistic: ToyStatistic) throws -> [Double] {
        guard gridPoints >= 2 else { throw StatisticsError.invalidOptions("benchmark needs ≥ 2 grid points") }
        let model = FitModel(input: input, options: options, method: statistic.method)
        let prof = statistic.makeProfiler(model)
        prof.load(on: input.onCounts, off: input.offCounts)
        guard let best = prof.bestFitKappa(), best.error.isFinite, best.error > 0 else {
            throw StatisticsError.fitFailed("benchmark: fit of the input data")
        }
        let top = max(best.kappa, 0) + 5 * best.error
        return KappaGrid(min: 0, max: top, points: gridPoints).values
    }

    public static func run(input: FitInput, options: FitOptions, gridPoints: Int, toysPerPoint: Int,
                           threads: Int, statistic: ToyStatistic, seed: UInt64 = 1,
                           sampler: ToySampler = .table) throws -> (seconds: Double, toysPerSecond: Double) {
        let r = try runBelt(input: input, options: options, gridPoints: gridPoints, toysPerPoint: toysPerPoint,
                            threads: threads, statistic: statistic, seed: seed, sampler: sampler)
        return (r.seconds, r.toysPerSecond)
    }

    /// As `run`, also returning the belt.
    public static func runBelt(input: FitInput, options: FitOptions, gridPoints: Int, toysPerPoint: Int,
                               threads: Int, statistic: ToyStatistic, seed: UInt64 = 1,
                               sampler: ToySampler = .table) throws -> (seconds: Double, toysPerSecond: Double, belt: ToyBelt) {
        let grid = try grid(input: input, options: options, gridPoints: gridPoints, statistic: statistic)
        let toys = try FeldmanCousinsToys(
            input: input, options: options,
            configuration: ToyConfiguration(kappaGrid: grid, toysPerPoint: toysPerPoint, seed: seed,
                                            statistic: statistic, threads: threads, maxFailureFraction: 0.5,
                                            sampler: sampler))
        let start = DispatchTime.now().uptimeNanoseconds
        let belt = try toys.belt()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        return (seconds, Double(gridPoints * toysPerPoint) / seconds, belt)
    }

    /// A synthetic input of `bins` bins for growth measurements: the input's bins repeated
    /// cyclically (counts, exposures and templates per bin unchanged), each repetition's
    /// energies shifted up by the input's span so the edges keep increasing; `bins` below
    /// the input's count keeps the first `bins` bins.
    public static func replicated(_ input: FitInput, bins: Int) throws -> FitInput {
        guard bins >= 1 else { throw StatisticsError.invalidOptions("bins must be ≥ 1") }
        let n = input.binCount
        guard let lo0 = input.energyLowKeV.min(), let hi0 = input.energyHighKeV.max() else {
            throw StatisticsError.invalidInput("no bins")
        }
        let span = hi0 - lo0
        func pick(_ a: [Double]) -> [Double] { (0..<bins).map { a[$0 % n] } }
        let shift = (0..<bins).map { Double($0 / n) * span }
        return try FitInput(energyLowKeV: zip(pick(input.energyLowKeV), shift).map { $0 + $1 },
                            energyHighKeV: zip(pick(input.energyHighKeV), shift).map { $0 + $1 },
                            onCounts: pick(input.onCounts), offCounts: pick(input.offCounts),
                            onExposureKgDay: input.onExposureKgDay, offExposureKgDay: input.offExposureKgDay,
                            smRate: pick(input.smRate), mmRate: pick(input.mmRate))
    }

    /// The benchmark's input as JSON, for the NumPy reference (benchmarks/reference_belt.py):
    /// bins, counts, exposures, templates, the held normalisations, the χ² error rule, and
    /// each statistic's grid. Only models fitting κ alone can be exported.
    public static func exportJSON(input: FitInput, chi2Options: FitOptions, poissonOptions: FitOptions,
                                  gridPoints: Int, toysPerPoint: Int, confidenceLevel: Double = 0.9,
                                  experiment: String) throws -> Data {
        for o in [chi2Options, poissonOptions] {
            guard case .fixed = o.smNormalisation, case .fixed = o.fluxNormalisation, o.background == .none else {
                throw StatisticsError.invalidOptions("the NumPy reference covers fits of κ alone (held normalisations, no background terms)")
            }
        }
        let doc = BenchmarkInput(
            experiment: experiment, bins: input.binCount, energyLowKeV: input.energyLowKeV,
            energyHighKeV: input.energyHighKeV, onCounts: input.onCounts, offCounts: input.offCounts,
            onExposureKgDay: input.onExposureKgDay, offExposureKgDay: input.offExposureKgDay,
            smRate: input.smRate, mmRate: input.mmRate,
            smNorm: chi2Options.smNormalisation.centralValue, fluxNorm: chi2Options.fluxNormalisation.centralValue,
            residualErrors: chi2Options.residualErrors.rawValue, confidenceLevel: confidenceLevel,
            toysPerPoint: toysPerPoint,
            grids: ["chi2": try grid(input: input, options: chi2Options, gridPoints: gridPoints, statistic: .chi2),
                    "poisson": try grid(input: input, options: poissonOptions, gridPoints: gridPoints, statistic: .poisson)])
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try enc.encode(doc)
    }

    struct BenchmarkInput: Codable {
        var experiment: String
        var bins: Int
        var energyLowKeV, energyHighKeV, onCounts, offCounts: [Double]
        var onExposureKgDay, offExposureKgDay: Double
        var smRate, mmRate: [Double]
        var smNorm, fluxNorm: Double
        var residualErrors: String
        var confidenceLevel: Double
        var toysPerPoint: Int
        var grids: [String: [Double]]
    }
}

/// The model path of `nmm bench --path model` (issue 17): toys/s of a `StatisticalModel`'s belt
/// on the nuisance fast path (`NuisanceBlockKernel`), on the general profiler alone (the
/// reference), and of its κ-only counterpart on the κ-only kernels.
extension ToyBenchmark {
    /// The benchmark grid of the model: 0 … max(κ̂, 0) + 5σ_κ of its fit with `options`.
    public static func grid(model: StatisticalModel, options: ModelFitOptions, gridPoints: Int) throws -> [Double] {
        guard gridPoints >= 2 else { throw StatisticsError.invalidOptions("benchmark needs ≥ 2 grid points") }
        var o = options
        o.profileGrid = KappaGrid(min: 0, max: 1, points: 2)
        let fit = try ModelFit(model: model, options: o).run()
        guard fit.kappaError.isFinite, fit.kappaError > 0 else { throw StatisticsError.fitFailed("benchmark: fit of the model") }
        return KappaGrid(min: 0, max: max(fit.kappa, 0) + 5 * fit.kappaError, points: gridPoints).values
    }

    /// Which toy path a model benchmark times.
    public enum ModelPath: String, Sendable, CaseIterable {
        /// The belt construction the limit stage would pick for the κ-only counterpart
        /// (`kappaOnlyCounterpart`): the κ-only kernels when it is legacy-shaped.
        case kappaOnly = "kappa-only"
        /// `ModelToys` with the nuisance block kernels (the default).
        case nuisance
        /// `ModelToys` with every toy by the general profiler.
        case general
    }

    /// Times one belt of `model` (or its κ-only counterpart) on `path`.
    public static func runModelBelt(model: StatisticalModel, options: ModelFitOptions, grid: [Double], toysPerPoint: Int,
                                    threads: Int, statistic: ToyStatistic, path: ModelPath, seed: UInt64 = 1)
        throws -> (seconds: Double, toysPerSecond: Double, belt: ToyBelt) {
        var o = options
        o.statistic = statistic.method
        let cfg = ToyConfiguration(kappaGrid: grid, toysPerPoint: toysPerPoint, seed: seed, statistic: statistic,
                                   threads: threads, maxFailureFraction: 0.5)
        let construction: any BeltConstruction
        switch path {
        case .kappaOnly: construction = try kappaOnlyCounterpart(model).beltConstruction(options: o, configuration: cfg)
        case .nuisance, .general:
            var toys = try ModelToys(model: model, options: o, configuration: cfg)
            toys.nuisanceFastPath = path == .nuisance
            construction = toys
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let belt = try construction.belt(points: nil, progress: nil)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        return (seconds, Double(grid.count * toysPerPoint) / seconds, belt)
    }

    /// The model without nuisances: per data set the known samples summed into one ("sm"), the
    /// signal sample, no ON-only terms, no modifiers — legacy-shaped for one data set, so its
    /// belt runs on the κ-only kernels.
    public static func kappaOnlyCounterpart(_ model: StatisticalModel) -> StatisticalModel {
        let sets = model.dataSets.map { d -> ModelDataSet in
            var sm = [Double](repeating: 0, count: d.binCount)
            for s in d.samples where s.role == .known { for i in sm.indices { sm[i] += s.rate[i] } }
            var out = d
            out.samples = [ModelSample(name: StatisticalModel.SampleName.sm, role: .known, rate: sm),
                           ModelSample(name: StatisticalModel.SampleName.mm, role: .signal,
                                       rate: d.samples.first { $0.role == .signal }?.rate ?? sm.map { _ in 0 })]
            return out
        }
        return StatisticalModel(dataSets: sets, modifiers: [])
    }

    /// A synthetic model with `count` normalisation nuisances, for growth measurements: the
    /// κ-only counterpart with each data set's SM split into `count` contiguous energy ranges
    /// (samples sm1…smN, equal numbers of bins), each scaled by its own normalisation norm1…normN
    /// with a Gaussian constraint of width `sigma` (shared across data sets by name).
    public static func normalisationModel(_ model: StatisticalModel, count: Int, sigma: Double = 0.1) throws -> StatisticalModel {
        guard count >= 1 else { throw StatisticsError.invalidOptions("need ≥ 1 nuisance") }
        let base = kappaOnlyCounterpart(model)
        let sets = base.dataSets.map { d -> ModelDataSet in
            let n = d.binCount, sm = d.samples[0].rate
            var out = d
            out.samples = (0..<count).map { k in
                ModelSample(name: "sm\(k + 1)", role: .known, rate: (0..<n).map { i in i * count / n == k ? sm[i] : 0 },
                            modifiers: ["norm\(k + 1)"])
            } + [d.samples[1]]
            return out
        }
        let mods = (0..<count).map { ModelModifier.normalisation("norm\($0 + 1)", sigma: sigma) }
        let m = StatisticalModel(dataSets: sets, modifiers: mods)
        try m.validate()
        return m
    }
}
