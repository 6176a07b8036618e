import Foundation
import NMMCore
import NMMStatistics

/// model: the statistical model from the residual (fitted bins, counts, exposures), the
/// templates (SM and MM rates, ±1σ shape templates) and the config's fit, model and
/// systematics sections. Modifiers in order: smNorm, fluxNorm (the fit section's keys), the
/// free normalisations of the ON-only terms (bgConstPerKgKeVDay, bgSlopePerKgKeV2Day,
/// line1Norm, …), then the systematics in config order.
public struct ModelBuild: Sendable {
    public init() {}

    public func run(_ residual: Residual, _ templates: TemplateSet, config: AnalysisConfig,
                    residualFile: String = "residual", templatesFile: String = "templates") throws -> StatisticalModel {
        let input = try FitSetup.input(residual, templates, residualFile: residualFile, templatesFile: templatesFile)
        let used = residual.used.indices.filter { residual.used[$0] }
        typealias Name = StatisticalModel.SampleName
        var modifiers: [ModelModifier] = []
        var sampleModifiers: [String: [String]] = [:]
        func add(_ m: ModelModifier, to samples: [String]) {
            modifiers.append(m)
            for s in samples { sampleModifiers[s, default: []].append(m.name) }
        }
        let fit = config.fit
        if fit?.smNormalisationFree == true {
            add(ModelModifier(name: FitParameter.smNorm.rawValue, kind: .normalisation, constraint: .free), to: [Name.sm, Self.cevns])
        } else if let s = fit?.smNormalisationSigma, s > 0 {
            add(.normalisation(FitParameter.smNorm.rawValue, sigma: s), to: [Name.sm, Self.cevns])
        }
        if let s = fit?.fluxNormalisationSigma, s > 0 {
            add(.normalisation(FitParameter.fluxNorm.rawValue, sigma: s), to: [Name.sm, Self.cevns, Name.mm])
        }
        // With coherent samples the SM splits into the ν–e SM (sm) and CEvNS (cevns), each its own
        // known sample (the MM sample keeps both MM parts: one κ scales them).
        let coherent = config.coherentEnabled && templates.hasCoherentSamples
        var samples = [ModelSample(name: Name.sm, role: .known, rate: coherent ? used.map { templates.electronSMRate[$0] } : input.smRate)]
        if coherent { samples.append(ModelSample(name: Self.cevns, role: .known, rate: used.map { templates.coherentSMRate[$0] })) }
        samples.append(ModelSample(name: Name.mm, role: .signal, rate: input.mmRate))
        func onOnly(_ name: String, _ rate: [Double], _ parameter: String) {
            samples.append(ModelSample(name: name, role: .onOnly, rate: rate))
            add(ModelModifier(name: parameter, kind: .normalisation, constraint: .free), to: [name])
        }
        let dE = input.binCentreKeV.map { $0 - input.referenceEnergyKeV }
        switch config.fitBackground {
        case .none: break
        case .flat: onOnly(Name.flat, dE.map { _ in 1 }, FitParameter.backgroundConstant.rawValue)
        case .linear:
            onOnly(Name.flat, dE.map { _ in 1 }, FitParameter.backgroundConstant.rawValue)
            onOnly(Name.linear, dE, FitParameter.backgroundSlope.rawValue)
        }
        for (k, line) in (config.model?.linesKeV ?? []).enumerated() {
            onOnly("line\(k + 1)", Self.lineRate(energyKeV: line[0], sigmaKeV: line[1], low: input.energyLowKeV, high: input.energyHighKeV),
                   "line\(k + 1)Norm")
        }
        for (i, s) in (config.systematics ?? []).enumerated() {
            switch s.kind {
            case .normalisation:
                let constraint: ModifierConstraint = switch s.constraint ?? .gaussian {
                case .gaussian: .gaussian(sigma: s.sigma ?? 0)
                case .lognormal: .logNormal(sigma: s.sigma ?? 0)
                case .free: .free
                }
                add(ModelModifier(name: s.name, kind: .normalisation, constraint: constraint), to: s.samples)
            case .shape:
                add(.shape(s.name), to: s.samples)
                for name in s.samples {
                    guard let j = samples.firstIndex(where: { $0.name == name }) else { continue }
                    guard let v = templates.variation(s.name, sample: name, used: used, split: coherent) else {
                        throw InputError(file: templatesFile, field: "systematics[\(i)]",
                                         "no ±1σ templates for the shape nuisance '\(s.name)' of sample \(name); rerun templates with this config")
                    }
                    samples[j].shapeVariations[s.name] = v
                }
            }
        }
        for j in samples.indices { samples[j].modifiers = sampleModifiers[samples[j].name] ?? [] }
        let data = ModelDataSet(name: config.model?.dataSet ?? config.experiment, energyLowKeV: input.energyLowKeV, energyHighKeV: input.energyHighKeV,
                                onCounts: input.onCounts, offCounts: input.offCounts,
                                onExposureKgDay: input.onExposureKgDay, offExposureKgDay: input.offExposureKgDay, samples: samples)
        let model = StatisticalModel(dataSets: [data], modifiers: modifiers)
        do {
            try model.validate()
        } catch let e as StatisticsError {
            throw InputError(file: residualFile, field: "model", "\(e) (with \(templatesFile))")
        }
        return model
    }

    static let cevns = "cevns"

    /// A unit Gaussian line (1 count/(kg·day)) as a rate per bin: its integral over the bin / width.
    static func lineRate(energyKeV mu: Double, sigmaKeV sigma: Double, low: [Double], high: [Double]) -> [Double] {
        zip(low, high).map { lo, hi in
            let p = 0.5 * (erf((hi - mu) / (sigma * 2.0.squareRoot())) - erf((lo - mu) / (sigma * 2.0.squareRoot())))
            return p / (hi - lo)
        }
    }
}

extension TemplateSet {
    /// The −1σ/+1σ templates of a shape nuisance for sample sm or mm on the used bins, if the
    /// templates stage wrote them (columns <SM|MM>_<NAME>_DN/_UP).
    /// `split`: the SM is split into sm (ν–e) and cevns (coherent), sm's templates are SM − CEvNS.
    func variation(_ nuisance: String, sample: String, used: [Int], split: Bool = false) -> ShapeVariation? {
        guard let v = shapeVariations[nuisance] else { return nil }
        let pick: (ShapeVariation) -> ShapeVariation = { p in ShapeVariation(down: used.map { p.down[$0] }, up: used.map { p.up[$0] }) }
        switch sample {
        case StatisticalModel.SampleName.mm: return v.mm.map(pick)
        case ModelBuild.cevns: return v.cevns.map(pick)
        case StatisticalModel.SampleName.sm:
            guard let sm = v.sm else { return nil }
            guard split else { return pick(sm) }
            guard let coh = v.cevns else { return nil }
            return ShapeVariation(down: used.map { sm.down[$0] - coh.down[$0] }, up: used.map { sm.up[$0] - coh.up[$0] })
        default: return nil
        }
    }
}
