import Foundation
import NMMCore
import NMMStatistics
import NMMPhysics

/// templates: SM and MM (κ = 1) rates per analysis bin in counts/(kg·keV·day), averaged
/// over each bin (GSL adaptive integration, folded with the detector response when the
/// config gives one), on the binning of the ingested spectra inside the analysis window,
/// with their split into ν–e and coherent samples (`SampleModel`); plus the source's flux
/// and the physics inputs (`TemplateKeywords`).
public struct Templates: Sendable {
    public init() {}

    /// Step (MeV) of the FLUX table.
    public static let fluxGridStepMeV = 0.01
    /// Energies (MeV) of the FLUX table: 10 keV steps up to the model spectrum's end.
    public static let fluxGridMeV: [Double] = (1...Int((FissionSpectrum.maximumEnergyMeV / fluxGridStepMeV).rounded()))
        .map { Double($0) * fluxGridStepMeV }

    public func run(_ spectra: SpectrumPair, config: AnalysisConfig) throws -> TemplateSet {
        let lo = config.windowLowKeV, hi = config.windowHighKeV
        let eps = 1e-9 * max(1, hi)
        let idx = spectra.on.counts.indices.filter {
            spectra.on.energyLowKeV[$0] >= lo - eps && spectra.on.energyHighKeV[$0] <= hi + eps
        }
        guard idx.count >= 2 else {
            throw InputError(file: config.sourcePath, field: "analysis.windowKeV",
                             "window [\(lo), \(hi)] keV holds \(idx.count) whole bin(s) of the data; expected at least 2")
        }
        let edgesLow = idx.map { spectra.on.energyLowKeV[$0] }
        let edgesHigh = idx.map { spectra.on.energyHighKeV[$0] }
        return try build(lowKeV: edgesLow, highKeV: edgesHigh, config: config)
    }

    public func build(lowKeV: [Double], highKeV: [Double], config: AnalysisConfig) throws -> TemplateSet {
        let model = try PhysicsSetup.sampleModel(config)
        // Contiguous bins share edges; binned takes the n+1 edges of a contiguous binning.
        let edges = lowKeV + [highKeV.last!]
        let rates = try model.binned(edgesKeV: edges)
        let flux = Self.fluxTable(model.source)
        let quench = config.coherentEnabled ? config.coherent?.quenching.table ?? [] : []
        var set = TemplateSet(energyLowKeV: lowKeV, energyHighKeV: highKeV, smRate: rates.sm, mmRate: rates.mm,
                           electronSMRate: rates.electronSM, electronMMRate: rates.electronMM,
                           coherentSMRate: rates.coherentSM, coherentMMRate: rates.coherentMM,
                           fluxEnergyMeV: flux.energyMeV, fluxPerCm2PerSPerMeV: flux.perMeV,
                           lineEnergyKeV: model.source.lines.map(\.energyKeV),
                           lineFluxPerCm2PerS: model.source.lines.map(\.fluxPerCm2PerS),
                           quenchingRecoilKeV: quench.map { $0[0] }, quenchingYield: quench.map { $0[1] },
                           totalFluxPerCm2PerS: model.source.totalFluxPerCm2PerS,
                           electronsPerKg: model.target.electronsPerKg,
                           inputs: try TemplateKeywords.all(config: config, model: model))
        set.shapeVariations = try TemplateVariations.compute(config: config, edgesKeV: edges)
        return set
    }

    /// Points of the FLUX table of a tritium source: `tritiumFluxPoints` steps up to the endpoint.
    public static let tritiumFluxPoints = 1000

    /// The continuous spectrum written into FLUX (MeV, per MeV): the reactor's on
    /// `fluxGridMeV`, tritium's on `tritiumFluxPoints` steps; none for lines (they go to LINES).
    static func fluxTable(_ source: NeutrinoSource) -> (energyMeV: [Double], perMeV: [Double]) {
        switch source {
        case .reactor(let s):
            return (fluxGridMeV, s.spectrumTable(energiesMeV: fluxGridMeV))
        case .reactorLines:
            return ([], [])
        case .tritium(let s):
            let keV = PhysicsConstants.keVPerMeV
            let grid = (1...tritiumFluxPoints).map { s.endpointKeV * Double($0) / Double(tritiumFluxPoints) }
            return (grid.map { $0 / keV }, grid.map { s.fluxPerCm2PerSPerKeV(energyKeV: $0) * keV })
        }
    }
}
