import Foundation
import NMMCore
import NMMStatistics
import NMMPhysics

/// `nmm rates`: every sample's differential rate (κ = 1 for MM) at given energies, for a
/// person (a table) or for scripts (one JSON object). The energy is the one a detector reads,
/// electron-equivalent: ν–e at electron recoil T = E, coherent ν–N at E_ee = Y(T_N)·T_N with
/// the Jacobian dT_N/dE_ee of the config's quenching. For a line source each line's ν–e
/// rates follow as well (its share of the source). The detector response is not applied.
public struct RatesTable: Sendable {
    public struct Row: Codable, Sendable {
        public var recoilKeV: Double
        /// Every SM sample, every MM sample (ν–e + coherent).
        public var smPerKgKeVDay: Double
        public var mmPerKgKeVDay: Double
        public var ratioMMOverSM: Double
        public var electronSMPerKgKeVDay: Double
        public var electronMMPerKgKeVDay: Double
        public var coherentSMPerKgKeVDay: Double
        public var coherentMMPerKgKeVDay: Double
    }

    /// One line of a line source: its ν–e SM and MM at each energy.
    public struct LineRows: Sendable {
        public var line: NeutrinoLine
        public var electronSMPerKgKeVDay: [Double]
        public var electronMMPerKgKeVDay: [Double]
    }

    public var rows: [Row]
    public var lines: [LineRows]
    public var totalFluxPerCm2PerS: Double
    public var target: String
    public var electronsPerKg: Double
    public var flavor: NeutrinoFlavor
    public var sourceKind: SourceKind
    public var sourceSummary: String
    /// "off", or the quenching of the coherent samples, e.g. "lindhard k = 0.162, Helm F²".
    public var coherent: String

    public init(config: AnalysisConfig, energiesKeV: [Double]) throws {
        for t in energiesKeV where !(t.isFinite && t > 0) {
            throw InputError(file: nil, field: "--energies", "expected recoil energies > 0 keV, found \(t)", status: .usage)
        }
        let model = try PhysicsSetup.sampleModel(config)
        rows = try energiesKeV.map { t in
            let p = try model.differential(energyKeV: t)
            return Row(recoilKeV: t, smPerKgKeVDay: p.sm, mmPerKgKeVDay: p.mm, ratioMMOverSM: p.sm > 0 ? p.mm / p.sm : .infinity,
                       electronSMPerKgKeVDay: p.electronSM, electronMMPerKgKeVDay: p.electronMM,
                       coherentSMPerKgKeVDay: p.coherentSM, coherentMMPerKgKeVDay: p.coherentMM)
        }
        lines = try Self.lineRows(model, config: config, energiesKeV: energiesKeV)
        totalFluxPerCm2PerS = model.source.totalFluxPerCm2PerS
        target = config.detector.target
        electronsPerKg = model.target.electronsPerKg
        flavor = model.flavor
        sourceKind = model.source.kind
        sourceSummary = model.source.summary
        coherent = model.coherent.map(Self.describe) ?? "off"
    }

    /// Each line of a line source alone (the source with only that line's flux).
    static func lineRows(_ model: SampleModel, config: AnalysisConfig, energiesKeV: [Double]) throws -> [LineRows] {
        guard case .reactorLines(let s) = model.source, s.lines.count > 1 else { return [] }
        return try s.lines.map { line in
            let alone = try ReactorLineSource(totalFluxPerCm2PerS: line.fluxPerCm2PerS,
                                              chromiumShare: line.energyKeV == ReactorLineSource.chromium51LineKeV ? 1 : 0)
            let rates = try PhysicsSetup.mapped(config, "source") {
                try ElectronRecoilRates(source: .reactorLines(alone), target: model.target, sin2ThetaW: PhysicsSetup.sin2ThetaW(config),
                                        chargeRadiusCm2: config.chargeRadiusCm2, bindingStep: config.bindingStep)
            }
            let r = energiesKeV.map { rates.differentialRates(recoilKeV: $0) }
            return LineRows(line: line, electronSMPerKgKeVDay: r.map(\.smPerKgKeVDay), electronMMPerKgKeVDay: r.map(\.mmPerKgKeVDay))
        }
    }

    static func describe(_ c: CoherentRates) -> String {
        let q: String
        switch c.quenching {
        case .unquenched: q = "no quenching (E_ee = T_N)"
        case .lindhard(let k): q = "Lindhard k = \(k)"
        case .tabulated(let p): q = "tabulated Y(T_N), \(p.count) points"
        }
        return q + (c.useFormFactor ? ", Helm form factor" : ", no form factor")
    }

    public var text: String {
        func e(_ x: Double) -> String { String(format: "%.4e", x) }
        var s = "target \(target) (\(e(electronsPerKg)) electrons/kg); source \(sourceKind.rawValue), \(flavor.rawValue), "
            + "total flux \(e(totalFluxPerCm2PerS)) cm^-2 s^-1\n"
        s += "MM at mu_nu = \(RateModel.referenceMuNuBohr) mu_B (kappa = 1); rates in counts/(kg keV day) at the electron-equivalent energy E\n"
        s += "(nu-e: electron recoil T = E; coherent nu-N: " + (coherent == "off" ? "off, no coherent section" : "\(coherent), per keV_ee") + ")\n"
        s += "(detector resolution and efficiency are applied by `nmm templates`, not here)\n"
        var header = "  E [keV]     nu-e SM       nu-e MM"
        if coherent != "off" { header += "       coh SM        coh MM      SM total      MM total" }
        s += header + "     MM/SM\n"
        for r in rows {
            var line = "\(pad(String(format: "%.4g", r.recoilKeV), 9))  \(pad(e(r.electronSMPerKgKeVDay), 12))  \(pad(e(r.electronMMPerKgKeVDay), 12))"
            if coherent != "off" {
                line += [r.coherentSMPerKgKeVDay, r.coherentMMPerKgKeVDay, r.smPerKgKeVDay, r.mmPerKgKeVDay]
                    .map { "  " + pad(e($0), 12) }.joined()
            }
            s += line + "  \(pad(String(format: "%.3g", r.ratioMMOverSM), 9))\n"
        }
        for l in lines {
            s += "line \(l.line.name) \(String(format: "%g", l.line.energyKeV)) keV, \(e(l.line.fluxPerCm2PerS)) cm^-2 s^-1 (nu-e SM, MM):\n"
            for (i, r) in rows.enumerated() {
                s += "\(pad(String(format: "%.4g", r.recoilKeV), 9))  \(pad(e(l.electronSMPerKgKeVDay[i]), 12))  \(pad(e(l.electronMMPerKgKeVDay[i]), 12))\n"
            }
        }
        return s
    }

    private func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }

    public var json: String {
        let obj: [String: Any] = [
            "target": target,
            "electronsPerKg": electronsPerKg,
            "totalFluxPerCm2PerS": totalFluxPerCm2PerS,
            "source": ["kind": sourceKind.rawValue, "flavor": flavor.rawValue, "summary": sourceSummary],
            "coherent": coherent,
            "kappa": 1,
            "muNuBohr": RateModel.referenceMuNuBohr,
            "units": ["recoil": "keV (electron-equivalent)", "rate": "counts/(kg keV day)", "flux": "cm^-2 s^-1"],
            "detectorResponseApplied": false,
            "rates": rows.map { ["recoilKeV": $0.recoilKeV, "smPerKgKeVDay": $0.smPerKgKeVDay,
                                 "mmPerKgKeVDay": $0.mmPerKgKeVDay, "ratioMMOverSM": $0.ratioMMOverSM,
                                 "electronSMPerKgKeVDay": $0.electronSMPerKgKeVDay, "electronMMPerKgKeVDay": $0.electronMMPerKgKeVDay,
                                 "coherentSMPerKgKeVDay": $0.coherentSMPerKgKeVDay, "coherentMMPerKgKeVDay": $0.coherentMMPerKgKeVDay] },
            "lines": lines.map { ["name": $0.line.name, "energyKeV": $0.line.energyKeV, "fluxPerCm2PerS": $0.line.fluxPerCm2PerS,
                                  "electronSMPerKgKeVDay": $0.electronSMPerKgKeVDay, "electronMMPerKgKeVDay": $0.electronMMPerKgKeVDay] },
        ]
        return JSONText.encode(obj)
    }
}
