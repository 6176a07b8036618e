import Foundation
import NMMCore
import NMMStatistics
import NMMPhysics

/// templates: SM and MM (κ = 1) rates per analysis bin in counts/(kg·keV·day), averaged
/// over each bin (GSL adaptive integration, folded with the detector response when the
/// config gives one), on the binning of the ingested spectra inside the analysis window;
/// plus the ν̄e flux spectrum used and the physics inputs.
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
        let model = try PhysicsSetup.rateModel(config)
        // Contiguous bins share edges; binnedRates takes the n+1 edges of a contiguous binning.
        let edges = lowKeV + [highKeV.last!]
        let rates = try model.binnedRates(edgesKeV: edges)
        let source = model.source
        var inputs: [FITSKeyword] = [
            FITSKeyword("TARGET", .string(config.detector.target), "target material"),
            FITSKeyword("FLAVOR", .string(config.flavor.rawValue), "neutrino flavour"),
            FITSKeyword("SIN2W", .double(PhysicsSetup.sin2ThetaW(config)), "sin^2 theta_W"),
            FITSKeyword("CHRADCM2", .double(config.chargeRadiusCm2), "[cm2] neutrino charge radius <r^2>"),
            FITSKeyword("BINDSTEP", .bool(config.bindingStep), "atomic binding step approximation"),
            FITSKeyword("NUPERFIS", .double(source.neutrinosPerFission), "anti-nu_e per fission incl. captures"),
            FITSKeyword("CAPTURES", .double(PhysicsSetup.capturesPerFission(config)), "238U(n,g) captures per fission"),
            FITSKeyword("MUREF", .double(RateModel.referenceMuNuBohr), "[mu_B] mu_nu of the MM column (kappa = 1)"),
            FITSKeyword("INTRTOL", .double(RateModel.directIntegrationRelativeTolerance), "relative tolerance of rate integrals"),
            FITSKeyword("LOWETRT", .string(ReactorSource.lowEnergyTreatment), "spectrum below 2 MeV"),
        ]
        if let p = config.reactor.thermalPowerMW { inputs.append(FITSKeyword("POWERMW", .double(p), "[MW] thermal power")) }
        if let d = config.reactor.distanceM { inputs.append(FITSKeyword("DISTM", .double(d), "[m] core-detector distance")) }
        for iso in FissionIsotope.allCases {
            let f = config.reactor.fissionFractions[iso.rawValue] ?? 0
            inputs.append(FITSKeyword("FF_\(iso.rawValue.uppercased())", .double(f), "fission fraction \(iso.rawValue)"))
        }
        if let r = config.detector.resolution {
            inputs += [FITSKeyword("RES_A", .double(r.aKeV), "[keV] resolution a"),
                       FITSKeyword("RES_B", .double(r.bKeV), "[keV] resolution b"),
                       FITSKeyword("RES_C", .double(r.c), "resolution c")]
        }
        return TemplateSet(energyLowKeV: lowKeV, energyHighKeV: highKeV, smRate: rates.sm, mmRate: rates.mm,
                           fluxEnergyMeV: Self.fluxGridMeV, fluxPerCm2PerSPerMeV: source.spectrumTable(energiesMeV: Self.fluxGridMeV),
                           totalFluxPerCm2PerS: source.totalFluxPerCm2PerS,
                           electronsPerKg: model.target.electronsPerKg, inputs: inputs)
    }
}
