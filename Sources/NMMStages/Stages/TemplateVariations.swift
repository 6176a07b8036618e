import Foundation
import NMMCore
import NMMStatistics

/// The ±1σ SM and MM templates of the config's shape nuisances (`systematics` entries of kind
/// shape), on the templates' bins:
///  • reactorBelow2MeV: the reactor spectrum below 2 MeV with the low-energy tilt off (−1σ)
///    and doubled (+1σ) — the standard treatment's extra low-energy yield uncertain by ±100%
///    (an assumption; FissionSpectrum documents the treatment);
///  • energyScale (size δ): measured energy = (1 ± δ) × true energy, so the rate in a bin
///    [a, b] is the true rate averaged over [a, b]/(1 ± δ), divided by 1 ± δ (the Jacobian);
///  • efficiency (size s): the detector.efficiency table scaled by 1 ∓ s, clipped to [0, 1];
///  • quenching (size s): Lindhard k (or the tabulated yields) scaled by 1 ∓ s — the coherent
///    samples' electron-equivalent energies move; the ν–e samples do not.
enum TemplateVariations {
    static func compute(config: AnalysisConfig, edgesKeV: [Double]) throws -> [String: TemplateVariation] {
        var out: [String: TemplateVariation] = [:]
        for (i, s) in (config.systematics ?? []).enumerated() where s.kind == .shape {
            guard let generator = s.generator else { continue }   // validation requires one
            let key = "systematics[\(i)]"
            let down: SampleModel.Binned, up: SampleModel.Binned
            switch generator {
            case .reactorBelow2MeV:
                guard config.sourceKind == .reactor else {
                    throw ConfigError(file: PhysicsSetup.file(config), key: "\(key).generator",
                                      "reactorBelow2MeV varies the reactor ν̄e spectrum; source.kind is \(config.sourceKind.rawValue)")
                }
                down = try PhysicsSetup.sampleModel(config, lowEnergyTiltScale: 0).binned(edgesKeV: edgesKeV)
                up = try PhysicsSetup.sampleModel(config, lowEnergyTiltScale: 2).binned(edgesKeV: edgesKeV)
            case .energyScale:
                let delta = s.size ?? 0, model = try PhysicsSetup.sampleModel(config)
                func stretched(_ f: Double) throws -> SampleModel.Binned {
                    try model.binned(edgesKeV: edgesKeV.map { $0 / f }).scaled(by: 1 / f)
                }
                down = try stretched(1 - delta)
                up = try stretched(1 + delta)
            case .efficiency:
                guard let table = config.detector.efficiency else {
                    throw ConfigError(file: PhysicsSetup.file(config), key: "\(key).generator",
                                      "an efficiency shape needs detector.efficiency (a flat efficiency is a normalisation nuisance)")
                }
                let size = s.size ?? 0
                func scaled(_ f: Double) throws -> SampleModel.Binned {
                    var c = config
                    c.detector.efficiency = table.map { [$0[0], min(1, max(0, $0[1] * f))] }
                    return try PhysicsSetup.sampleModel(c).binned(edgesKeV: edgesKeV)
                }
                down = try scaled(1 - size)
                up = try scaled(1 + size)
            case .quenching:
                guard var coherent = config.coherent else {
                    throw ConfigError(file: PhysicsSetup.file(config), key: "\(key).generator", "quenching needs the coherent section")
                }
                let size = s.size ?? 0, nominal = coherent.quenching
                func quenched(_ f: Double) throws -> SampleModel.Binned {
                    var c = config
                    coherent.quenching.k = nominal.k.map { $0 * f }
                    coherent.quenching.table = nominal.table.map { $0.map { [$0[0], $0[1] * f] } }
                    c.coherent = coherent
                    return try PhysicsSetup.sampleModel(c).binned(edgesKeV: edgesKeV)
                }
                down = try quenched(1 - size)
                up = try quenched(1 + size)
            }
            out[s.name] = TemplateVariation(sm: ShapeVariation(down: down.sm, up: up.sm),
                                            mm: ShapeVariation(down: down.mm, up: up.mm),
                                            cevns: config.coherentEnabled ? ShapeVariation(down: down.coherentSM, up: up.coherentSM) : nil)
        }
        return out
    }
}
