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

    /// Lowest energy drawn (keV): 0.1 eV, below the seed's "coherent MM dominates below ~10 eV".
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
        let label = "\(source.kind.rawValue) \(source.flavor.rawValue), \(ReportText.general(source.totalFluxPerCm2PerS)) cm⁻² s⁻¹"
        var result = [make(Figure4(electron: electron, coherent: try coherent(.unquenched), axis: .trueRecoil),
                           high: high, source: label, target: config.detector.target, quenching: nil,
                           formFactor: PhysicsSetup.formFactor(config))]
        if let q = quenching, q.kind != .none {
            result.append(make(Figure4(electron: electron, coherent: try coherent(q), axis: .electronEquivalent),
                               high: high, source: label, target: config.detector.target, quenching: describe(q),
                               formFactor: PhysicsSetup.formFactor(config)))
        }
        return result
    }

    static func make(_ fig: Figure4, high: Double, source: String, target: String, quenching: String?,
                     formFactor: Bool) -> Figure4Data {
        let curves = fig.curves(lowKeV: lowKeV, highKeV: high, pointsPerDecade: pointsPerDecade)
        var rates: [Figure4Process: [Double]] = [:]
        for p in Figure4Process.allCases { rates[p] = curves.map { $0.rates[p] ?? 0 } }
        return Figure4Data(axis: fig.axis, energiesKeV: curves.map(\.energyKeV), rates: rates,
                           changes: fig.dominanceChanges(lowKeV: lowKeV, highKeV: high),
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

    /// "coherent MM dominates below 8.19 eV, coherent SM up to 1.31 keV, …" for the page.
    var crossingsText: String {
        let unit = axis == .trueRecoil ? "" : "_ee"
        guard let first = changes.first else { return "No change of the dominant process between 0.1 eV and the end point." }
        var parts = ["\(first.below.rawValue) dominates below \(Self.energy(first.energyKeV))\(unit)"]
        for (i, c) in changes.enumerated() {
            let upTo = i + 1 < changes.count ? " up to \(Self.energy(changes[i + 1].energyKeV))\(unit)" : " above"
            parts.append("\(c.above.rawValue)\(upTo)")
        }
        return "Dominant process: " + parts.joined(separator: ", ") + "."
    }
}
