import Foundation
import NMMCore
import NMMStatistics
import NMMPhysics

/// `nmm rates`: SM and MM (κ = 1) differential rates at given recoil energies, for a person
/// (a table) or for scripts (one JSON object).
public struct RatesTable: Sendable {
    public struct Row: Codable, Sendable {
        public var recoilKeV: Double
        public var smPerKgKeVDay: Double
        public var mmPerKgKeVDay: Double
        public var ratioMMOverSM: Double
    }

    public var rows: [Row]
    public var totalFluxPerCm2PerS: Double
    public var target: String
    public var electronsPerKg: Double

    public init(config: AnalysisConfig, energiesKeV: [Double]) throws {
        let model = try PhysicsSetup.rateModel(config)
        rows = try energiesKeV.map { t in
            guard t.isFinite, t > 0 else {
                throw InputError(file: nil, field: "--energies", "expected recoil energies > 0 keV, found \(t)", status: .usage)
            }
            let r = try model.differentialRates(recoilKeV: t)
            return Row(recoilKeV: t, smPerKgKeVDay: r.smPerKgKeVDay, mmPerKgKeVDay: r.mmPerKgKeVDay,
                       ratioMMOverSM: r.smPerKgKeVDay > 0 ? r.mmPerKgKeVDay / r.smPerKgKeVDay : .infinity)
        }
        totalFluxPerCm2PerS = model.source.totalFluxPerCm2PerS
        target = config.detector.target
        electronsPerKg = model.target.electronsPerKg
    }

    public var text: String {
        func e(_ x: Double) -> String { String(format: "%.4e", x) }
        var s = "target \(target) (\(e(electronsPerKg)) electrons/kg), total anti-nu_e flux \(e(totalFluxPerCm2PerS)) cm^-2 s^-1\n"
        s += "MM at mu_nu = \(RateModel.referenceMuNuBohr) mu_B (kappa = 1); rates in counts/(kg keV day) at the true recoil energy\n"
        s += "(detector resolution and efficiency are applied by `nmm templates`, not here)\n"
        s += "  T [keV]        SM             MM        MM/SM\n"
        for r in rows {
            s += "\(pad(String(format: "%.4g", r.recoilKeV), 9))  \(pad(e(r.smPerKgKeVDay), 12))  \(pad(e(r.mmPerKgKeVDay), 12))  \(pad(String(format: "%.3g", r.ratioMMOverSM), 9))\n"
        }
        return s
    }

    private func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }

    public var json: String {
        let obj: [String: Any] = [
            "target": target,
            "electronsPerKg": electronsPerKg,
            "totalFluxPerCm2PerS": totalFluxPerCm2PerS,
            "kappa": 1,
            "muNuBohr": RateModel.referenceMuNuBohr,
            "units": ["recoil": "keV", "rate": "counts/(kg keV day)", "flux": "cm^-2 s^-1"],
            "detectorResponseApplied": false,
            "rates": rows.map { ["recoilKeV": $0.recoilKeV, "smPerKgKeVDay": $0.smPerKgKeVDay,
                                 "mmPerKgKeVDay": $0.mmPerKgKeVDay, "ratioMMOverSM": $0.ratioMMOverSM] },
        ]
        return JSONText.encode(obj)
    }
}
