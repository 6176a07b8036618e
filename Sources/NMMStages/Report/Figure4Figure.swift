import NMMPlot
import NMMPhysics

/// figure4.svg (and figure4-ee.svg): seed Fig. 4 for this config's source and target — ν–e
/// SM and MM and coherent ν–N SM and MM (MM at μ_ν = 10⁻¹⁰ μ_B) on log–log axes, with a
/// dashed vertical line at every change of the dominant process, labelled with its energy.
/// The crossings are also printed under the plot and on the page (`Figure4Data.crossingsText`).
struct Figure4Figure {
    static let colors: [Figure4Process: String] = [
        .electronSM: Palette.blue, .electronMM: Palette.vermillion, .coherentSM: Palette.green, .coherentMM: Palette.purple,
    ]
    static let dashes: [Figure4Process: String?] = [.electronSM: "7 4", .electronMM: nil, .coherentSM: "7 4", .coherentMM: nil]

    func figure(_ d: Figure4Data) -> Figure {
        let trueAxis = d.axis == .trueRecoil
        let xLabel = trueAxis ? "Recoil energy: T (ν–e), T_N (ν–N) (keV)" : "Electron-equivalent energy E_ee (keV_ee)"
        let title = (trueAxis ? "Seed Fig. 4: " : "Seed Fig. 4 in E_ee: ") + "\(d.target), \(d.sourceLabel)"
        let low = d.energiesKeV.first ?? Figure4Data.lowKeV, high = d.energiesKeV.last ?? Figure4Data.highKeV
        // Rates spanning more than 12 decades below the largest are not drawn (log axis).
        let top = d.rates.values.flatMap { $0 }.filter(\.isFinite).max() ?? 1
        var f = Figure(id: trueAxis ? "figure4" : "figure4-ee", title: title,
                       x: Axis(label: xLabel, scale: .log, range: low...high),
                       y: Axis(label: "dR/dE (counts/(kg·keV·day))", scale: .log, range: (top * 1e-12)...(top * 3)),
                       height: 600, legend: .below)
        for p in Figure4Process.allCases {
            let y = (d.rates[p] ?? []).map { $0 > 0 ? $0 : .nan }
            let what = p == .electronSM || p == .coherentSM ? "SM" : "MM at 10⁻¹⁰ μ_B"
            let process = p == .electronSM || p == .electronMM ? "ν–e" : "coherent ν–N"
            f.add(Series(p.rawValue, .line(x: d.energiesKeV, y: y), label: "\(process) \(what)",
                         style: SeriesStyle(color: Self.colors[p]!, lineWidth: 2, dash: Self.dashes[p] ?? nil)))
        }
        for (i, c) in d.changes.enumerated() {
            f.add(Series("crossing \(i + 1)", .verticalLine(x: c.energyKeV, label: Figure4Data.energy(c.energyKeV)),
                         style: SeriesStyle(color: Palette.grey, lineWidth: 1, dash: "3 3"), inLegend: false))
        }
        let axisNote = trueAxis
            ? "True recoil axes as in the seed: electron recoil T for ν–e, nuclear recoil T_N for coherent ν–N (no quenching)."
            : "What the detector sees: ν–e at E = T, coherent ν–N at E_ee = Y(T_N)·T_N with the Jacobian dT_N/dE_ee (\(d.quenchingLabel ?? ""))."
        f.notes = [d.crossingsText + " " + axisNote + " Coherent: every isotope of the target, " + (d.formFactor ? "Helm form factor" : "no form factor") + "; "
                   + "no detector response; seed (φ = 10¹³ cm⁻² s⁻¹ reactor ν̄e): coherent SM dominates below ~1 keV, coherent MM below ~10 eV."]
        return f
    }
}
