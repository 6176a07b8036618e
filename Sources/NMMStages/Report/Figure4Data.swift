import Foundation
import NMMCore
import NMMStatistics
import NMMPhysics

/// The curves and dominance changes of seed Fig. 4 for the config's source and target:
/// ν–e SM and MM, coherent ν–N SM and MM (MM at 10⁻¹⁰ μ_B), per kg·keV·day, against
///
/// - the true recoil (electron T for ν–e, nuclear T_N for ν–N), the seed's axes; always;
/// - the electron-equivalent energy E_ee = Y(T_N)·T_N with the config's quenching, what a
///   detector sees; when the config's `coherent` section quenches (model lindhard or table).
///
/// The coherent curves are drawn whether or not the coherent samples enter the templates (the
/// figure shows the physics of the setup), with the config's form-factor choice (default
/// Helm). The ν–e curves use the source's flavour (a reactor config's `neutrino.flavor`
/// what-if is not drawn), free or bound electrons as `detector.bindingStep` says, no response.
struct Figure4Data: Sendable {
    var axis: Figure4.Axis
    var energiesKeV: [Double]
    var rates: [Figure4Process: [Double]]
    /// Every change of the dominant process, going up in energy.
    var changes: [Figure4.Crossing]
    /// e.g. "reactor anti-nu_e, 6.42×10¹² cm⁻² s⁻¹"
    var sourceLabel: String
    var target: String
    /// e.g. "Lindhard k = 0.162" (the E_ee axis only).
    var quenchingLabel: String?
    /// Helm form factor in the coherent curves.
    var formFactor: Bool

    /// The file each axis is written to.
    var file: String { axis == .trueRecoil ? Self.trueRecoilFile : Self.electronEquivalentFile }
    static let trueRecoilFile = "figure4.svg"
    static let electronEquivalentFile = "figure4-ee.svg"

    /// Lowest energy drawn (keV): 0.1 eV, below the seed's "coherent MM dominates below ~10 eV";
    /// lower when the source's nuclear recoils end below it (a tenth of the lowest T_N,max).
    static let lowKeV = 1e-4
    /// Highest energy drawn (keV): 5 MeV, or the ν–e recoil end point T_max of the source.
    static let highKeV = 5e3
    static let pointsPerDecade = 20

    /// The figure data for `config`: the true-recoil axis, and the E_ee axis when quenched.
    static func compute(_ config: AnalysisConfig) throws -> [Figure4Data] {
        let source = try PhysicsSetup.neutrinoSource(config), target = try PhysicsSetup.target(config)
        let electron = try PhysicsSetup.mapped(config, "neutrino") {
            try ElectronRecoilRates(source: source, target: target, sin2ThetaW: PhysicsSetup.sin2ThetaW(config),
                                    chargeRadiusCm2: config.chargeRadiusCm2, bindingStep: config.bindingStep)
        }
        let quenching = try PhysicsSetup.quenching(config)
        func coherent(_ q: QuenchingModel) throws -> CoherentRates {
            try PhysicsSetup.mapped(config, "coherent") {
                try CoherentRates(source: source, target: target, quenching: q, sin2ThetaW: PhysicsSetup.sin2ThetaW(config),
                                  useFormFactor: PhysicsSetup.formFactor(config))
            }
        }
        let high = min(highKeV, Kinematics.maxElectronRecoilKeV(neutrinoEnergyKeV: source.maxEnergyKeV))
        // Down to a tenth of the lowest T_N,max when the nuclear recoils end below 0.1 eV (tritium: 0.01 eV_nr).
        let nuclearEnd = try coherent(.unquenched).nuclei.map {
            Kinematics.maxNuclearRecoilKeV(neutrinoEnergyKeV: source.maxEnergyKeV, nucleusMassKeV: $0.isotope.nucleusMassKeV)
        }.min() ?? lowKeV
        let low = min(lowKeV, nuclearEnd / 10)
        let label = "\(source.kind.rawValue) \(source.flavor.rawValue), \(ReportText.general(source.totalFluxPerCm2PerS)) cm⁻² s⁻¹"
        var result = [make(Figure4(electron: electron, coherent: try coherent(.unquenched), axis: .trueRecoil),
                           low: low, high: high, source: label, target: config.detector.target, quenching: nil,
                           formFactor: PhysicsSetup.formFactor(config))]
        if let q = quenching, q.kind != .none {
            result.append(make(Figure4(electron: electron, coherent: try coherent(q), axis: .electronEquivalent),
                               low: low, high: high, source: label, target: config.detector.target, quenching: describe(q),
                               formFactor: PhysicsSetup.formFactor(config)))
        }
        return result
    }

    static func make(_ fig: Figure4, low: Double, high: Double, source: String, target: String, quenching: String?,
                     formFactor: Bool) -> Figure4Data {
        let curves = fig.curves(lowKeV: low, highKeV: high, pointsPerDecade: pointsPerDecade)
        var rates: [Figure4Process: [Double]] = [:]
        for p in Figure4Process.allCases { rates[p] = curves.map { $0.rates[p] ?? 0 } }
        return Figure4Data(axis: fig.axis, energiesKeV: curves.map(\.energyKeV), rates: rates,
                           changes: fig.dominanceChanges(lowKeV: low, highKeV: high),
                           sourceLabel: source, target: target, quenchingLabel: quenching, formFactor: formFactor)
    }

    static func describe(_ q: QuenchingModel) -> String {
        switch q {
        case .unquenched: "no quenching"
        case .lindhard(let k): "Lindhard k = \(ReportText.general(k))"
        case .tabulated(let p): "tabulated Y(T_N), \(p.count) points"
        }
    }

    /// "0.1 eV", "1.31 keV", "333 keV": three significant digits in eV below 1 keV.
    static func energy(_ keV: Double) -> String {
        keV < 1 ? "\(ReportText.general(Double(String(format: "%.3g", keV * 1000))!)) eV"
                : "\(ReportText.general(Double(String(format: "%.3g", keV))!)) keV"
    }

    /// The process with the largest rate at grid point i (nil where every rate is zero).
    func dominant(at i: Int) -> Figure4Process? {
        let best = Figure4Process.allCases.max { (rates[$0]?[i] ?? 0) < (rates[$1]?[i] ?? 0) }!
        return (rates[best]?[i] ?? 0) > 0 ? best : nil
    }

    /// "Dominant process: coherent MM below 8.19 eV, coherent SM up to 1.31 keV, nu-e MM up to
    /// 333 keV, nu-e SM above." — the runs of the dominant process on the grid, each boundary
    /// at its located crossing (`changes`); a gap where every rate vanishes (between the end of
    /// the nuclear recoils and the lowest bound electron, e.g. for tritium) is named as such,
    /// its ends to the grid's resolution (≈).
    var crossingsText: String {
        let unit = axis == .trueRecoil ? "" : "_ee"
        var runs: [(process: Figure4Process?, end: String?)] = []
        for i in energiesKeV.indices {
            let d = dominant(at: i)
            if let last = runs.last, last.process == d { continue }
            if i > 0 {
                let lo = energiesKeV[i - 1], hi = energiesKeV[i]
                let located = changes.first { $0.energyKeV >= lo && $0.energyKeV <= hi }
                runs[runs.count - 1].end = located.map { Self.energy($0.energyKeV) + unit }
                    ?? "≈\(Self.energy((lo * hi).squareRoot()))\(unit)"
            }
            runs.append((d, nil))
        }
        // Leading and trailing stretches with every rate zero say nothing.
        while runs.count > 1, runs.first?.process == nil { runs.removeFirst() }
        while runs.count > 1, runs.last?.process == nil { runs.removeLast(); runs[runs.count - 1].end = nil }
        guard runs.count > 1 else {
            return "Dominant process: \(runs.first?.process?.rawValue ?? "none") throughout; no crossing."
        }
        let name = { (p: Figure4Process?) in p?.rawValue ?? "none (every rate zero)" }
        var parts = ["\(name(runs[0].process)) below \(runs[0].end ?? "")"]
        for r in runs.dropFirst() { parts.append(name(r.process) + (r.end.map { " up to \($0)" } ?? " above")) }
        return "Dominant process: " + parts.joined(separator: ", ") + "."
    }
}
