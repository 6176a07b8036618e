import NMMCore

/// A toy Neyman construction of the Feldman–Cousins belt in κ, whatever the likelihood behind
/// it: the legacy fixed-parameter one (`FeldmanCousinsToys`) or the model engine's
/// (`ModelToys`). The limit stage holds `any BeltConstruction` (see
/// `StatisticalModel.beltConstruction(options:configuration:)`).
///
/// Contract (both conform): the belt's toys at grid point j depend only on (seed, j, block),
/// so `belt(points:)` slices joined with `ToyBelt.joining` equal the whole belt and neither
/// depends on `configuration.threads`; `sensitivity` draws its pseudo-experiments at κ = 0
/// from the stream [UInt64.max, block].
public protocol BeltConstruction: Sendable {
    var configuration: ToyConfiguration { get }
    /// The belt; `points` restricts the toys to a slice of grid indices (a shard; nil = all).
    func belt(points: Range<Int>?, progress: ProgressHandler?) throws -> ToyBelt
    /// Expected upper limits (median, ±1σ, ±2σ) from pseudo-experiments at κ = 0 against `belt`.
    func sensitivity(belt: ToyBelt, pseudoExperiments: Int, progress: ProgressHandler?) throws -> ToySensitivity
}

extension StatisticalModel {
    /// The toy construction for this model: the legacy `FeldmanCousinsToys` (fast κ-only kernels,
    /// existing numbers unchanged) when the model is legacy-shaped and nothing needs its global
    /// observables resampled (`legacyToyForm`), else `ModelToys`. The statistic is
    /// `configuration.statistic`; `options` give the χ² variance rule and the iteration cap.
    public func beltConstruction(options: ModelFitOptions, configuration: ToyConfiguration) throws -> any BeltConstruction {
        var o = options
        o.statistic = configuration.statistic.method
        if let legacy = legacyToyForm(options: o, resampleGlobalObservables: configuration.resampleGlobalObservables) {
            return try FeldmanCousinsToys(input: legacy.input, options: legacy.options, configuration: configuration)
        }
        return try ModelToys(model: self, options: o, configuration: configuration)
    }
}
