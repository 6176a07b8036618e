import NMMCore

/// One generation point of the model toys: expected ON and OFF counts per bin and the full
/// parameter vector (κ_j, θ̂(κ_j)) of the conditional fit of the observed data they come from.
struct ModelGenerationPoint: Sendable {
    var on: [Double]
    var off: [Double]
    var parameters: [Double]
}

/// Per-worker state of the model toy construction (`ModelToys`): the nuisance block kernel
/// (`NuisanceBlockKernel`, the fast path) and a profiler (the general path: toys the kernel
/// does not settle, and models beyond it), the Poisson tables of the generation point in hand,
/// a block's counts (toy-major rows of `stride` ≥ `binCount`, the kernel's padded rows with
/// counts 1 in the padding) and global observables (rows of `parameterCount`). Allocated once
/// per worker.
///
/// The random stream of a block (seed deriveSeed(seed, [j, block])):
///  • `.table`: xoshiro256**; bin by bin, the block's ON counts then its OFF counts (the order
///    of `ToyWorker`, so without nuisances the counts equal `FeldmanCousinsToys`'); then toy by
///    toy, one standard normal per constrained fitted modifier (model order);
///  • `.gsl`: mt19937; toy by toy, ON counts of every bin, OFF counts, then the normals.
/// The normals are drawn whether or not the global observables are resampled, so the counts
/// of a toy do not depend on that switch (common random numbers for the comparison).
final class ModelToyWorker {
    let profiler: ModelProfiler
    /// The fast path; nil when disabled or the model is beyond it.
    let kernel: NuisanceBlockKernel?
    let sampler: ToySampler
    let blockSize: Int
    let binCount: Int
    /// Row length of the count buffers.
    let stride: Int
    let parameterCount: Int
    let constrained: [Int]
    let constraints: [ModifierConstraint]
    let observedGlobals: [Double]
    let resample: Bool
    private let onCounts: UnsafeMutablePointer<Double>
    private let offCounts: UnsafeMutablePointer<Double>
    private let globals: UnsafeMutablePointer<Double>
    private let centre: UnsafeMutablePointer<Double>
    private let tables = PoissonTables()
    private var tablesKey: Int?
    private var meanScratch: [Double] = []
    private let gsl: RandomGenerator
    var tGrid: [Double]

    init(_ compiled: CompiledModel, statistic: FitMethod, options: ModelFitOptions, sampler: ToySampler,
         blockSize: Int, resample: Bool, gridPoints: Int = 0, fastPath: Bool = true) throws {
        profiler = ModelProfiler(compiled, statistic: statistic, rule: options.residualErrors,
                                 maxIterations: options.maxIterations)
        kernel = fastPath ? NuisanceBlockKernel(compiled, statistic: statistic, rule: options.residualErrors,
                                                maxIterations: options.maxIterations) : nil
        self.sampler = sampler
        self.blockSize = blockSize
        binCount = compiled.binCount
        stride = kernel?.paddedBins ?? compiled.binCount
        parameterCount = compiled.parameterCount
        constrained = compiled.constrainedParameters
        constraints = compiled.constraints.map { $0 }
        observedGlobals = compiled.globalObservables.map { $0 }
        self.resample = resample
        let size = max(stride * blockSize, 1)
        onCounts = .allocate(capacity: size)
        onCounts.initialize(repeating: 1, count: size)
        offCounts = .allocate(capacity: size)
        offCounts.initialize(repeating: 1, count: size)
        globals = .allocate(capacity: max(parameterCount * blockSize, 1))
        globals.initialize(repeating: .nan, count: max(parameterCount * blockSize, 1))
        centre = .allocate(capacity: parameterCount)
        centre.initialize(from: compiled.startValues, count: parameterCount)
        gsl = try RandomGenerator(seed: 0)
        tGrid = [Double](repeating: 0, count: gridPoints)
    }

    deinit {
        onCounts.deallocate()
        offCounts.deallocate()
        globals.deallocate()
        centre.deallocate()
    }

    /// Draws `count` toys of generation point `point` (key `key` for the table cache) from the
    /// block's stream `seed`.
    func generate(_ point: ModelGenerationPoint, key: Int, seed: UInt64, count: Int) {
        let nb = binCount, np = parameterCount, st = stride
        for q in 0..<np { centre[q] = point.parameters[q] }
        switch sampler {
        case .table:
            if tablesKey != key {
                meanScratch.removeAll(keepingCapacity: true)
                meanScratch.append(contentsOf: point.on)
                meanScratch.append(contentsOf: point.off)
                tables.build(means: meanScratch)
                tablesKey = key
            }
            var rng = Xoshiro256StarStar(seed: seed)
            for i in 0..<nb {
                tables.table(i).fill(onCounts + i, count: count, stride: st, rng: &rng)
                tables.table(nb + i).fill(offCounts + i, count: count, stride: st, rng: &rng)
            }
            for t in 0..<count {
                for q in constrained { setGlobal(t, q, rng.standardNormal()) }
            }
        case .gsl:
            gsl.reseed(seed)
            for t in 0..<count {
                for i in 0..<nb { onCounts[t * st + i] = Double(gsl.poisson(mean: point.on[i])) }
                for i in 0..<nb { offCounts[t * st + i] = Double(gsl.poisson(mean: point.off[i])) }
                for q in constrained { setGlobal(t, q, gsl.gaussian()) }
            }
        }
    }

    @inline(__always)
    private func setGlobal(_ t: Int, _ q: Int, _ z: Double) {
        globals[t * parameterCount + q] = resample ? constraints[q].globalObservable(center: centre[q], standardNormal: z)
            : observedGlobals[q]
    }

    /// Loads toy `t` of the block into the profiler; its fits start at the generation point.
    func load(_ t: Int) {
        let e = profiler.evaluator
        for q in constrained { e.setGlobal(q, globals[t * parameterCount + q]) }
        e.loadCounts(onCounts + t * stride, offCounts + t * stride)
        for q in 0..<parameterCount { profiler.start[q] = centre[q] }
        profiler.reset()
    }

    /// t(κ) of the first `count` toys into out[0..<count] (NaN: failed fit): the kernel, or the
    /// general profiler for a toy it does not settle.
    func tValues(atKappa kappa: Double, count: Int, into out: UnsafeMutablePointer<Double>) {
        for t in 0..<count {
            out[t] = kernelTValue(t, atKappa: kappa) ?? profilerTValue(t, atKappa: kappa) ?? .nan
        }
    }

    /// q̃(κ) (`ModelProfiler.qTildeValue`) of the first `count` toys into out[0..<count] (NaN: failed
    /// fit): the kernel (its t is the FC toys' t, bit for bit), or the general profiler.
    func qTildeValues(atKappa kappa: Double, count: Int, into out: UnsafeMutablePointer<Double>) {
        for t in 0..<count {
            out[t] = kernelQTilde(t, atKappa: kappa) ?? {
                load(t)
                return profiler.qTildeValue(atKappa: kappa)
            }() ?? .nan
        }
    }

    /// q̃(κ_j) of each of the first `count` toys at every κ of `kappas`: toy t's value at κ_k into
    /// out[k·stride + t] (NaN: failed fit). Each conditional fit starts from the generation point,
    /// so a value does not depend on which other κ are evaluated (grid slices).
    func qTildeScan(_ kappas: ArraySlice<Double>, count: Int, into out: UnsafeMutablePointer<Double>, stride: Int) {
        for t in 0..<count {
            var loaded = false
            for (k, kappa) in kappas.enumerated() {
                if let q = kernelQTilde(t, atKappa: kappa, sameToy: k > 0) {
                    out[k * stride + t] = q
                    continue
                }
                if !loaded { load(t); loaded = true }
                out[k * stride + t] = profiler.qTildeValue(atKappa: kappa) ?? .nan
            }
        }
    }

    /// q̃(κ) of toy `t` by the nuisance block kernel (nil: no kernel, or the toy is not settled).
    @inline(__always)
    func kernelQTilde(_ t: Int, atKappa kappa: Double, sameToy: Bool = false) -> Double? {
        kernel?.qTildeValue(kappa: kappa, on: onCounts + t * stride, off: offCounts + t * stride,
                            globals: globals + t * parameterCount, start: centre, sameToy: sameToy)
    }

    /// t(κ) of toy `t` by the nuisance block kernel (nil: no kernel, or the toy is not settled).
    @inline(__always)
    func kernelTValue(_ t: Int, atKappa kappa: Double) -> Double? {
        kernel?.tValue(kappa: kappa, on: onCounts + t * stride, off: offCounts + t * stride,
                       globals: globals + t * parameterCount, start: centre)
    }

    /// Toy `t`'s count rows and global observables and the generation point its fits start at
    /// (for tests that run the kernels directly).
    func toyRows(_ t: Int) -> (on: UnsafePointer<Double>, off: UnsafePointer<Double>, globals: UnsafePointer<Double>,
                               start: UnsafePointer<Double>) {
        (UnsafePointer(onCounts + t * stride), UnsafePointer(offCounts + t * stride),
         UnsafePointer(globals + t * parameterCount), UnsafePointer(centre))
    }

    /// t(κ) of toy `t` by the general profiler (nil: failed fit).
    func profilerTValue(_ t: Int, atKappa kappa: Double) -> Double? {
        load(t)
        return profiler.tValue(atKappa: kappa)
    }

    /// t(κ_j) over `grid` for each toy in turn: `body(t, tGrid)`, or `body(t, nil)` when a fit fails.
    func scanGrid(_ grid: [Double], count: Int, body: (Int, [Double]?) -> Void) {
        for t in 0..<count {
            body(t, kernelTValues(t, grid) ?? profilerTValues(t, grid))
        }
    }

    /// t(κ_j) of toy `t` over `grid` by the kernel (nil: no kernel, or not settled).
    func kernelTValues(_ t: Int, _ grid: [Double]) -> [Double]? {
        guard let kernel else { return nil }
        let ok = tGrid.withUnsafeMutableBufferPointer { out in
            kernel.tValues(grid, on: onCounts + t * stride, off: offCounts + t * stride,
                           globals: globals + t * parameterCount, start: centre, into: out.baseAddress!)
        }
        return ok ? tGrid : nil
    }

    /// t(κ_j) of toy `t` over `grid` by the general profiler (nil: a fit failed).
    func profilerTValues(_ t: Int, _ grid: [Double]) -> [Double]? {
        load(t)
        return profiler.tValues(grid, into: &tGrid) ? tGrid : nil
    }

    /// The global observables drawn for toy `t` (per parameter; NaN where unconstrained).
    func globalObservables(ofToy t: Int) -> [Double] {
        Array(UnsafeBufferPointer(start: globals + t * parameterCount, count: parameterCount))
    }
}
