import Foundation
import NMMCore
import NMMStatistics

/// The statistical model as a pyhf workspace (ecosystem.md). Per data set d, bin i
/// (α_i = ON exposure × width, β_i = OFF exposure × width):
///   • channel `<d>_on`: every model sample with data α_i·rate_i (the signal at κ = 1) and the
///     sample `background` with data α_i·b0_i; channel `<d>_off`: `background` with β_i·b0_i.
///     Both backgrounds carry the shapefactor `background_<d>`, so pyhf's γ_i multiplies both
///     and b_i = b0_i·γ_i is one free rate per bin, shared by ON and OFF: nmm's WStat model.
///     b0_i = max(ON_i + OFF_i, 1)/(α_i + β_i) only sets the scale (γ ≈ 1 at the fit).
///   • κ: normfactor `kappa` on the signal sample, the POI.
///   • Gaussian normalisations θ ~ N(1, σ): the one acting on most samples (the flux) is
///     pyhf's `lumi` (a linear factor with the Gaussian constraint N(1 | θ, σ): exact); pyhf
///     allows one lumi, so the others are a histosys `alpha_<name>` with lo/hi = (1 ∓ σ) × the
///     sample's data — symmetric, so piecewise linear in every pyhf interpolation code, θ =
///     1 + σα: exact as long as it is the only additive term on its samples (pyhf adds the
///     deltas of histosys modifiers, nmm multiplies normalisations: with a shape or a second
///     such normalisation on one sample the cross term σ₁σ₂α₁α₂ is missing; a note says so).
///     normsys would not do: its interpolation codes (code1 exponential, code4 polynomial +
///     exponential) are not linear.
///   • log-normal normalisations: normsys `alpha_<name>` with hi = e^σ, lo = e^−σ; with
///     pyhf's code1 θ = e^{σα}, ln θ ~ N(0, σ): exact (pyhf's default code4 differs for |α| < 1).
///   • free normalisations: normfactor `<name>`; held ones: normfactor fixed at their value.
///   • shapes: histosys `<name>` with the ±1σ templates × exposure; exact with code0 (pyhf's
///     default code4p smooths |α| < 1 for asymmetric templates).
/// So: build the model with `modifier_settings={"normsys": {"interpcode": "code1"},
/// "histosys": {"interpcode": "code0"}}`; a model with only Gaussian normalisations is exact
/// with pyhf's defaults too.
public enum PyhfExport {
    public struct Result: Sendable {
        public var workspace: PyhfWorkspace
        public var parameterMap: PyhfParameterMap
        /// Where the workspace is not exactly nmm's model.
        public var notes: [String]
    }

    public static let backgroundSample = "background"
    public static let lumiName = "lumi"
    /// Bounds of the background factors γ_i = b_i/b0_i.
    static let gammaBounds: [Double] = [0, 20]

    /// The workspace of `model` with the POI bounded to `kappaBounds` (default: ±20 σ̃,
    /// `kappaScale`) and started at `kappaInit`.
    public static func build(_ model: StatisticalModel, kappaBounds: ClosedRange<Double>? = nil, kappaInit: Double = 0) throws -> Result {
        try model.validate()
        let scale = kappaScale(model)
        let kappaBounds = kappaBounds ?? (-20 * scale)...(20 * scale)
        let dataNames = uniqueNames(model.dataSets.map(\.name))
        let lumi = lumiModifier(model)
        var entries = [PyhfParameterMap.Entry(nmmName: StatisticalModel.poiName, pyhfName: StatisticalModel.poiName, transform: .identity)]
        var settings = [PyhfWorkspace.ParameterSetting(name: StatisticalModel.poiName, inits: [kappaInit],
                                                       bounds: [[kappaBounds.lowerBound, kappaBounds.upperBound]])]
        for m in model.modifiers {
            let (entry, setting) = parameter(m, isLumi: m.name == lumi)
            entries.append(entry)
            settings.append(setting)
        }
        let pyhfNames = Dictionary(uniqueKeysWithValues: entries.map { ($0.nmmName, $0) })
        var channels: [PyhfWorkspace.Channel] = [], observations: [PyhfWorkspace.Observation] = []
        var backgrounds: [PyhfParameterMap.Background] = []
        var notes: [String] = []
        for (d, data) in model.dataSets.enumerated() {
            let width = zip(data.energyLowKeV, data.energyHighKeV).map { $1 - $0 }
            let alpha = width.map { $0 * data.onExposureKgDay }, beta = width.map { $0 * data.offExposureKgDay }
            let b0 = data.onCounts.indices.map { max(data.onCounts[$0] + data.offCounts[$0], 1) / (alpha[$0] + beta[$0]) }
            let gamma = "\(backgroundSample)_\(dataNames[d])"
            backgrounds.append(PyhfParameterMap.Background(pyhfName: gamma, referenceRate: b0))
            settings.append(PyhfWorkspace.ParameterSetting(name: gamma, inits: b0.map { _ in 1 }, bounds: b0.map { _ in gammaBounds }))
            let shapefactor = PyhfWorkspace.Modifier(name: gamma, type: .shapefactor)
            var onSamples: [PyhfWorkspace.Sample] = []
            for s in data.samples {
                guard s.name != backgroundSample else {
                    throw InputError(file: nil, field: "model", "data set '\(data.name)' has a sample named '\(backgroundSample)', the name the pyhf export gives the ON/OFF background")
                }
                let nominal = zip(s.rate, alpha).map { $0 * $1 }
                var modifiers: [PyhfWorkspace.Modifier] = []
                if s.role == .signal { modifiers.append(.init(name: StatisticalModel.poiName, type: .normfactor)) }
                var additive: [String] = []
                for name in s.modifiers {
                    guard let m = model.modifier(named: name), let e = pyhfNames[name] else { continue }
                    modifiers.append(modifier(m, entry: e, sample: s, nominal: nominal, alpha: alpha))
                    if case .histosys = modifiers.last!.type { additive.append(name) }
                }
                if additive.count > 1 {
                    notes.append("data set \(data.name), sample \(s.name): pyhf adds the deltas of \(additive.joined(separator: ", ")) where nmm multiplies; the cross terms are missing in the workspace")
                }
                onSamples.append(PyhfWorkspace.Sample(name: s.name, data: nominal, modifiers: modifiers))
            }
            onSamples.append(PyhfWorkspace.Sample(name: backgroundSample, data: zip(b0, alpha).map { $0 * $1 }, modifiers: [shapefactor]))
            let off = PyhfWorkspace.Sample(name: backgroundSample, data: zip(b0, beta).map { $0 * $1 }, modifiers: [shapefactor])
            channels += [PyhfWorkspace.Channel(name: "\(dataNames[d])_on", samples: onSamples),
                         PyhfWorkspace.Channel(name: "\(dataNames[d])_off", samples: [off])]
            observations += [PyhfWorkspace.Observation(name: "\(dataNames[d])_on", data: data.onCounts),
                             PyhfWorkspace.Observation(name: "\(dataNames[d])_off", data: data.offCounts)]
        }
        let allNames = settings.map(\.name)
        if let clash = allNames.first(where: { n in allNames.filter { $0 == n }.count > 1 }) {
            throw InputError(file: nil, field: "model", "two parameters would share the pyhf name '\(clash)'; rename the modifier")
        }
        let measurement = PyhfWorkspace.Measurement(name: "nmm_\(dataNames.joined(separator: "_"))",
                                                    config: .init(poi: StatisticalModel.poiName, parameters: settings))
        return Result(workspace: PyhfWorkspace(channels: channels, observations: observations, measurements: [measurement]),
                      parameterMap: PyhfParameterMap(entries: entries, backgrounds: backgrounds), notes: notes)
    }

    /// σ̃, the expected error of κ from the data alone (Fisher information of the ON − OFF
    /// difference at nominal normalisations): 1/σ̃² = Σ c_i²/(ON_i + (α_i/β_i)²·OFF_i), c_i the
    /// signal counts per unit κ. Sets the POI range, so the workspace depends on the model only.
    public static func kappaScale(_ model: StatisticalModel) -> Double {
        var information = 0.0
        for d in model.dataSets {
            let signal = d.samples.filter { $0.role == .signal }
            for i in 0..<d.binCount {
                let width = d.energyHighKeV[i] - d.energyLowKeV[i]
                let a = d.onExposureKgDay * width, ratio = d.onExposureKgDay / d.offExposureKgDay
                let c = signal.reduce(0) { $0 + $1.rate[i] } * a
                information += c * c / max(d.onCounts[i] + ratio * ratio * d.offCounts[i], 1)
            }
        }
        return information > 0 && information.isFinite ? 1 / information.squareRoot() : 1
    }

    /// The Gaussian normalisation that acts on most samples (first in model order on a tie).
    static func lumiModifier(_ model: StatisticalModel) -> String? {
        var best: (name: String, uses: Int)?
        for m in model.modifiers where m.kind == .normalisation {
            guard case .gaussian = m.constraint else { continue }
            let uses = model.dataSets.reduce(0) { $0 + $1.samples.filter { $0.modifiers.contains(m.name) }.count }
            if uses > (best?.uses ?? 0) { best = (m.name, uses) }
        }
        return best?.name
    }

    /// The pyhf parameter of a modifier and its measurement setting.
    static func parameter(_ m: ModelModifier, isLumi: Bool) -> (PyhfParameterMap.Entry, PyhfWorkspace.ParameterSetting) {
        typealias Setting = PyhfWorkspace.ParameterSetting
        func entry(_ name: String, _ t: PyhfParameterMap.Transform) -> PyhfParameterMap.Entry { .init(nmmName: m.name, pyhfName: name, transform: t) }
        switch (m.kind, m.constraint) {
        case (.normalisation, .gaussian(let s)) where isLumi:
            return (entry(lumiName, .identity),
                    Setting(name: lumiName, inits: [1], bounds: [[max(0, 1 - 10 * s), 1 + 10 * s]], auxdata: [1], sigmas: [s]))
        case (.normalisation, .gaussian(let s)):
            return (entry("alpha_\(m.name)", .gaussianAlpha(sigma: s)), Setting(name: "alpha_\(m.name)", inits: [0], bounds: [[max(-10, -1 / s), 10]]))
        case (.normalisation, .logNormal(let s)):
            return (entry("alpha_\(m.name)", .logNormalAlpha(sigma: s)), Setting(name: "alpha_\(m.name)", inits: [0], bounds: [[-10, 10]]))
        case (.normalisation, .free):
            return (entry(m.name, .identity), Setting(name: m.name, inits: [1], bounds: [[-10, 10]]))
        case (_, .fixed(let v)):
            return (entry(m.name, .identity), Setting(name: m.name, inits: [v], bounds: [[v - 10, v + 10]], fixed: true))
        case (.shape, _):
            return (entry(m.name, .identity), Setting(name: m.name, inits: [0], bounds: [[-10, 10]]))
        }
    }

    /// The pyhf modifier for `m` on one sample (nominal: the sample's data).
    static func modifier(_ m: ModelModifier, entry e: PyhfParameterMap.Entry, sample s: ModelSample, nominal: [Double],
                         alpha: [Double]) -> PyhfWorkspace.Modifier {
        switch (m.kind, e.transform) {
        case (.normalisation, .identity): return .init(name: e.pyhfName, type: e.pyhfName == lumiName ? .lumi : .normfactor)
        case (.normalisation, .gaussianAlpha(let sigma)):
            return .init(name: e.pyhfName, type: .histosys, data: .histosys(lo: nominal.map { $0 * (1 - sigma) }, hi: nominal.map { $0 * (1 + sigma) }))
        case (.normalisation, .logNormalAlpha(let sigma)):
            return .init(name: e.pyhfName, type: .normsys, data: .normsys(lo: exp(-sigma), hi: exp(sigma)))
        case (.shape, _):
            let v = s.shapeVariations[m.name] ?? ShapeVariation(down: s.rate, up: s.rate)
            return .init(name: e.pyhfName, type: .histosys, data: .histosys(lo: zip(v.down, alpha).map { $0 * $1 }, hi: zip(v.up, alpha).map { $0 * $1 }))
        }
    }

    /// Data-set names made unique (a repeated name gets its position appended).
    static func uniqueNames(_ names: [String]) -> [String] {
        names.enumerated().map { i, n in names.filter { $0 == n }.count > 1 ? "\(n)\(i + 1)" : n }
    }
}
