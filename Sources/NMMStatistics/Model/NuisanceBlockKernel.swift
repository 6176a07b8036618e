import NMMCore

/// The fast path of the model toys with nuisance parameters (issue 17): t(κ) of one toy by the
/// statistic's block kernel — `NuisanceChiSquareKernel` (one pass over the bins per set of χ²
/// weights, the fits in parameter space) or `NuisancePoissonKernel` (Newton passes over the
/// bins, SIMD) — on the model regrouped into basis templates (`NuisanceBlockModel`). Either
/// returns nil for a toy it does not settle within its safeguards; `ModelToyWorker` then refits
/// that toy with the general `ModelProfiler`, which stays the reference (the kernels agree with
/// it to ~1e-10 in t: `NuisanceFastPathTests`). Toys are read from rows padded to
/// `paddedBins` with counts 1 in the padding. One per worker.
final class NuisanceBlockKernel {
    enum Kernel {
        case chi2(NuisanceChiSquareKernel)
        case poisson(NuisancePoissonKernel)
    }

    let kernel: Kernel
    let paddedBins: Int
    private let physical: UnsafeMutablePointer<Double>

    /// Nil when the model is beyond the kernels' limits (`NuisanceBlockModel.maxTemplates`, …).
    init?(_ compiled: CompiledModel, statistic: FitMethod, rule: ResidualErrorRule, maxIterations: Int?) {
        guard let model = NuisanceBlockModel(compiled) else { return nil }
        paddedBins = model.paddedBins
        switch statistic {
        case .chi2: kernel = .chi2(NuisanceChiSquareKernel(model, rule: rule, maxIterations: maxIterations ?? 200))
        case .poisson: kernel = .poisson(NuisancePoissonKernel(model))
        }
        physical = .allocate(capacity: model.parameterCount)
        physical.initialize(repeating: 0, count: model.parameterCount)
    }

    deinit { physical.deallocate() }

    /// t(κ) of the toy with counts `on`, `off` (padded rows), global observables `globals` (per
    /// parameter) and fits starting at `start` (its generation point); nil: refit generally.
    @inline(__always)
    func tValue(kappa: Double, on: UnsafePointer<Double>, off: UnsafePointer<Double>, globals: UnsafePointer<Double>,
                start: UnsafePointer<Double>) -> Double? {
        switch kernel {
        case .chi2(let k): k.tValue(kappa: kappa, on: on, off: off, globals: globals, start: start, physical: physical)
        case .poisson(let k): k.tValue(kappa: kappa, on: on, off: off, globals: globals, start: start)
        }
    }

    /// q̃(κ) of CCGV 2011 eq. 16 as `ModelProfiler.qTildeValue`: 0 when the toy's best fit has
    /// κ̂ > κ, else t(κ); nil: refit generally. `sameToy`: the toy of the previous call (its best
    /// fit is reused, bit for bit).
    @inline(__always)
    func qTildeValue(kappa: Double, on: UnsafePointer<Double>, off: UnsafePointer<Double>, globals: UnsafePointer<Double>,
                     start: UnsafePointer<Double>, sameToy: Bool = false) -> Double? {
        let t: Double?, kappaHat: Double
        switch kernel {
        case .chi2(let k):
            t = k.tValue(kappa: kappa, on: on, off: off, globals: globals, start: start, physical: physical, sameToy: sameToy)
            kappaHat = k.kappaHat
        case .poisson(let k):
            t = k.tValue(kappa: kappa, on: on, off: off, globals: globals, start: start, sameToy: sameToy)
            kappaHat = k.kappaHat
        }
        guard let t else { return nil }
        return kappaHat > kappa ? 0 : t
    }

    /// t(κ_j) over `grid` into `out`; false: refit generally.
    func tValues(_ grid: [Double], on: UnsafePointer<Double>, off: UnsafePointer<Double>, globals: UnsafePointer<Double>,
                 start: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) -> Bool {
        switch kernel {
        case .chi2(let k): k.tValues(grid, on: on, off: off, globals: globals, start: start, physical: physical, into: out)
        case .poisson(let k): k.tValues(grid, on: on, off: off, globals: globals, start: start, into: out)
        }
    }
}
