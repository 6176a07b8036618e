import NMMCore

/// The Asimov data set at κ_A (Cowan, Cranmer, Gross, Vitells, EPJC 71 (2011) 1554, Sec. 3.2),
/// with pyhf's convention (`pyhf.infer.calculators.generate_asimov_data`, pyhf 0.7.6): the
/// nuisances are those of the conditional fit of the OBSERVED data at κ = κ_A (pyhf's
/// `fixed_poi_fit`), and the data are the expected values at that point (`pdf.expected_data`):
///  • ON_i = α_i·(b̂_i + S_i(κ_A, θ̂)), OFF_i = β_i·b̂_i, with b̂_i the per-bin background of that
///    fit (`ModelProfiler.generationPoint`: the closed-form profile, pyhf's fitted shapefactor
///    γ_i) — non-integer counts, used as they are;
///  • the global observables of the constrained nuisances set to their fitted values θ̂(κ_A)
///    (pyhf's auxiliary data at the fit: `lumi` aux = fitted lumi, a normsys/histosys aux =
///    fitted α, i.e. θ̃ = θ̂ in nmm's parameters for Gaussian and log-normal constraints alike).
struct AsimovDataSet: Sendable {
    var on: [Double]
    var off: [Double]
    /// Per parameter (NaN where unconstrained), as `CompiledModel.globalObservables`.
    var globals: [Double]
    /// (κ_A, θ̂(κ_A)): the full parameter vector the data are the expectation of.
    var parameters: [Double]

    /// From `observed`, a profiler with the observed data loaded; its conditional fit starts at
    /// the observed best fit (as the toys' generation points).
    static func make(_ compiled: CompiledModel, observed: ModelProfiler, kappa: Double) throws -> AsimovDataSet {
        guard let best = observed.best() else {
            throw StatisticsError.fitFailed("\(observed.evaluator.statistic.rawValue) fit of the observed data (Asimov data set)")
        }
        let saved = observed.start
        defer { observed.start = saved }
        observed.start = best.parameters
        var on = [Double](repeating: 0, count: compiled.binCount), off = on
        guard let p = observed.generationPoint(atKappa: kappa, on: &on, off: &off) else {
            throw StatisticsError.fitFailed("profiling the nuisances on the observed data at κ = \(kappa) (Asimov data set)")
        }
        var globals = compiled.globalObservables
        for q in compiled.constrainedParameters {
            globals[q] = compiled.constraints[q].globalObservable(center: p[q], standardNormal: 0)
        }
        return AsimovDataSet(on: on, off: off, globals: globals, parameters: p)
    }
}
