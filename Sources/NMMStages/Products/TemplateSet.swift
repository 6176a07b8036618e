import NMMCore
import NMMStatistics

/// templates.fits (NMMTYPE TEMPLATES): per analysis bin the Standard-Model rate and the
/// magnetic-moment rate at κ = 1 (μ_ν = 1e-10 μ_B), both in counts/(kg·keV·day) averaged
/// over the bin, and their ratio; the same split into samples (ν–e and coherent ν–N); the
/// source's flux (FLUX: its continuous spectrum; LINES: its lines); the quenching table when
/// one is used (QUENCH); the physics inputs in the header.
///
/// Schema 2 (issue 18) added the sample columns NUE_SM, NUE_MM, COH_SM, COH_MM (SM = NUE_SM +
/// COH_SM and MM = NUE_MM + COH_MM, the fit's two templates), the LINES and QUENCH tables, and
/// made FLUX optional (a pure line source has no continuous spectrum).
public struct TemplateSet: StageProduct, Equatable {
    public static let kind = ProductKind.templates
    public static let schemaVersion = 2

    public var energyLowKeV: [Double]
    public var energyHighKeV: [Double]
    /// SM template: every SM sample (ν–e + coherent).
    public var smRate: [Double]
    /// MM template at κ = 1: every MM sample (ν–e + coherent).
    public var mmRate: [Double]
    public var electronSMRate: [Double]
    public var electronMMRate: [Double]
    public var coherentSMRate: [Double]
    public var coherentMMRate: [Double]
    /// The continuous part of the source spectrum (empty for a pure line source).
    public var fluxEnergyMeV: [Double]
    public var fluxPerCm2PerSPerMeV: [Double]
    /// The source's lines (empty for continuous sources).
    public var lineEnergyKeV: [Double]
    public var lineFluxPerCm2PerS: [Double]
    /// The tabulated quenching Y(T_N) when `coherent.quenching.model` is table (else empty).
    public var quenchingRecoilKeV: [Double]
    public var quenchingYield: [Double]
    public var totalFluxPerCm2PerS: Double
    public var electronsPerKg: Double
    /// Physics inputs and choices, written as header keywords (name, value, comment).
    public var inputs: [FITSKeyword]
    /// ±1σ templates of shape nuisances by name (the templates stage's generators), on every bin.
    public var shapeVariations: [String: TemplateVariation] = [:]

    /// Templates of ν–e samples only (no coherent part, no lines, no quenching table).
    public init(energyLowKeV: [Double], energyHighKeV: [Double], smRate: [Double], mmRate: [Double],
                fluxEnergyMeV: [Double], fluxPerCm2PerSPerMeV: [Double], totalFluxPerCm2PerS: Double,
                electronsPerKg: Double, inputs: [FITSKeyword]) {
        let zero = [Double](repeating: 0, count: smRate.count)
        self.init(energyLowKeV: energyLowKeV, energyHighKeV: energyHighKeV, smRate: smRate, mmRate: mmRate,
                  electronSMRate: smRate, electronMMRate: mmRate, coherentSMRate: zero, coherentMMRate: zero,
                  fluxEnergyMeV: fluxEnergyMeV, fluxPerCm2PerSPerMeV: fluxPerCm2PerSPerMeV, lineEnergyKeV: [],
                  lineFluxPerCm2PerS: [], quenchingRecoilKeV: [], quenchingYield: [],
                  totalFluxPerCm2PerS: totalFluxPerCm2PerS, electronsPerKg: electronsPerKg, inputs: inputs)
    }

    public init(energyLowKeV: [Double], energyHighKeV: [Double], smRate: [Double], mmRate: [Double],
                electronSMRate: [Double], electronMMRate: [Double], coherentSMRate: [Double], coherentMMRate: [Double],
                fluxEnergyMeV: [Double], fluxPerCm2PerSPerMeV: [Double], lineEnergyKeV: [Double], lineFluxPerCm2PerS: [Double],
                quenchingRecoilKeV: [Double], quenchingYield: [Double], totalFluxPerCm2PerS: Double,
                electronsPerKg: Double, inputs: [FITSKeyword]) {
        self.energyLowKeV = energyLowKeV
        self.energyHighKeV = energyHighKeV
        self.smRate = smRate
        self.mmRate = mmRate
        self.electronSMRate = electronSMRate
        self.electronMMRate = electronMMRate
        self.coherentSMRate = coherentSMRate
        self.coherentMMRate = coherentMMRate
        self.fluxEnergyMeV = fluxEnergyMeV
        self.fluxPerCm2PerSPerMeV = fluxPerCm2PerSPerMeV
        self.lineEnergyKeV = lineEnergyKeV
        self.lineFluxPerCm2PerS = lineFluxPerCm2PerS
        self.quenchingRecoilKeV = quenchingRecoilKeV
        self.quenchingYield = quenchingYield
        self.totalFluxPerCm2PerS = totalFluxPerCm2PerS
        self.electronsPerKg = electronsPerKg
        self.inputs = inputs
    }

    public var ratio: [Double] { zip(mmRate, smRate).map { $1 > 0 ? $0 / $1 : 0 } }

    /// True when any bin has a coherent sample.
    public var hasCoherentSamples: Bool { coherentSMRate.contains { $0 != 0 } || coherentMMRate.contains { $0 != 0 } }

    static let rateUnit = "count/(kg keV d)"
    static let structuralKeywords: Set<String> = ["FLUXTOT", "NEPERKG", "NMMTYPE", "NMMSCHEM", "NMMVERS", "DATE", "CFGSHA"]

    public init(document doc: FITSDocument) throws {
        let t = try doc.table("TEMPLATES")
        let unit = Self.rateUnit
        energyLowKeV = try t.doubles("E_LO", unit: "keV")
        energyHighKeV = try t.doubles("E_HI", unit: "keV")
        smRate = try t.doubles("SM", unit: unit)
        mmRate = try t.doubles("MM", unit: unit)
        electronSMRate = try t.doubles("NUE_SM", unit: unit)
        electronMMRate = try t.doubles("NUE_MM", unit: unit)
        coherentSMRate = try t.doubles("COH_SM", unit: unit)
        coherentMMRate = try t.doubles("COH_MM", unit: unit)
        if doc.hasTable("FLUX") {
            let f = try doc.table("FLUX")
            fluxEnergyMeV = try f.doubles("ENERGY", unit: "MeV")
            fluxPerCm2PerSPerMeV = try f.doubles("FLUX", unit: "1/(cm2 s MeV)")
        } else {
            (fluxEnergyMeV, fluxPerCm2PerSPerMeV) = ([], [])
        }
        if doc.hasTable("LINES") {
            let l = try doc.table("LINES")
            lineEnergyKeV = try l.doubles("ENERGY", unit: "keV")
            lineFluxPerCm2PerS = try l.doubles("FLUX", unit: "1/(cm2 s)")
        } else {
            (lineEnergyKeV, lineFluxPerCm2PerS) = ([], [])
        }
        if doc.hasTable("QUENCH") {
            let q = try doc.table("QUENCH")
            quenchingRecoilKeV = try q.doubles("T_NR", unit: "keV")
            quenchingYield = try q.doubles("YIELD", unit: "")
        } else {
            (quenchingRecoilKeV, quenchingYield) = ([], [])
        }
        var n = 1
        while case .string(let name)? = t.keywords.first(where: { $0.name == "SHAPE\(n)" })?.value {
            func pair(_ s: String) throws -> ShapeVariation? {
                guard t.columns.contains(where: { $0.name == "SHP\(n)_\(s)_DN" }) else { return nil }
                return ShapeVariation(down: try t.doubles("SHP\(n)_\(s)_DN", unit: unit), up: try t.doubles("SHP\(n)_\(s)_UP", unit: unit))
            }
            shapeVariations[name] = TemplateVariation(sm: try pair("SM"), mm: try pair("MM"), cevns: try pair("COH"))
            n += 1
        }
        totalFluxPerCm2PerS = try doc.double("FLUXTOT")
        electronsPerKg = try doc.double("NEPERKG")
        inputs = doc.primaryKeywords.filter {
            !Self.structuralKeywords.contains($0.name) && !$0.name.hasPrefix("PARENT") && !$0.name.hasPrefix("PSHA")
        }
    }

    public func document() -> FITSDocument {
        let unit = Self.rateUnit
        var tables = [
            FITSTable(name: "TEMPLATES", keywords: [
                FITSKeyword("KAPPAREF", .double(1), "[1e-20 mu_B^2] MM column at this kappa (mu_nu = 1e-10 mu_B)"),
            ], columns: [
                FITSColumn("E_LO", unit: "keV", .double(energyLowKeV)),
                FITSColumn("E_HI", unit: "keV", .double(energyHighKeV)),
                FITSColumn("SM", unit: unit, .double(smRate)),
                FITSColumn("MM", unit: unit, .double(mmRate)),
                FITSColumn("RATIO", unit: "", .double(ratio)),
                FITSColumn("NUE_SM", unit: unit, .double(electronSMRate)),
                FITSColumn("NUE_MM", unit: unit, .double(electronMMRate)),
                FITSColumn("COH_SM", unit: unit, .double(coherentSMRate)),
                FITSColumn("COH_MM", unit: unit, .double(coherentMMRate)),
            ] + shapeColumns),
        ]
        tables[0].keywords += shapeVariations.keys.sorted().enumerated().map {
            FITSKeyword("SHAPE\($0.offset + 1)", .string($0.element), "shape nuisance of SHP\($0.offset + 1)_* (-1/+1 sigma)")
        }
        if !fluxEnergyMeV.isEmpty {
            tables.append(FITSTable(name: "FLUX", columns: [
                FITSColumn("ENERGY", unit: "MeV", .double(fluxEnergyMeV)),
                FITSColumn("FLUX", unit: "1/(cm2 s MeV)", .double(fluxPerCm2PerSPerMeV)),
            ]))
        }
        if !lineEnergyKeV.isEmpty {
            tables.append(FITSTable(name: "LINES", columns: [
                FITSColumn("ENERGY", unit: "keV", .double(lineEnergyKeV)),
                FITSColumn("FLUX", unit: "1/(cm2 s)", .double(lineFluxPerCm2PerS)),
            ]))
        }
        if !quenchingRecoilKeV.isEmpty {
            tables.append(FITSTable(name: "QUENCH", columns: [
                FITSColumn("T_NR", unit: "keV", .double(quenchingRecoilKeV)),
                FITSColumn("YIELD", unit: "", .double(quenchingYield)),
            ]))
        }
        return FITSDocument(primaryKeywords: [
            FITSKeyword("FLUXTOT", .double(totalFluxPerCm2PerS), "[cm-2 s-1] total neutrino flux at the detector"),
            FITSKeyword("NEPERKG", .double(electronsPerKg), "[1/kg] target electrons per kg (unbound count)"),
        ] + inputs, tables: tables)
    }
}

/// The −1σ/+1σ SM and MM templates of one shape nuisance (every bin).
public struct TemplateVariation: Equatable, Sendable {
    /// The SM and MM templates (every sample summed), and the coherent SM alone when the
    /// config has coherent samples (the model's cevns sample; sm is then SM − cevns).
    public var sm: ShapeVariation?
    public var mm: ShapeVariation?
    public var cevns: ShapeVariation?
    public init(sm: ShapeVariation?, mm: ShapeVariation?, cevns: ShapeVariation? = nil) { self.sm = sm; self.mm = mm; self.cevns = cevns }
}

extension TemplateSet {
    /// SHPn_SM_DN/UP and SHPn_MM_DN/UP for the shape nuisances, in name order (SHAPEn names them).
    var shapeColumns: [FITSColumn] {
        shapeVariations.keys.sorted().enumerated().flatMap { n, name -> [FITSColumn] in
            let v = shapeVariations[name]!
            var columns: [FITSColumn] = []
            for (tag, pair) in [("SM", v.sm), ("MM", v.mm), ("COH", v.cevns)] {
                guard let pair else { continue }
                columns.append(FITSColumn("SHP\(n + 1)_\(tag)_DN", unit: Self.rateUnit, .double(pair.down)))
                columns.append(FITSColumn("SHP\(n + 1)_\(tag)_UP", unit: Self.rateUnit, .double(pair.up)))
            }
            return columns
        }
    }
}

extension TemplateSet {
    /// Every rate and flux multiplied by `factor` (a flux scale: rates are linear in the flux).
    func scaled(byFlux factor: Double) -> TemplateSet {
        func f(_ v: [Double]) -> [Double] { v.map { $0 * factor } }
        var t = self
        t.smRate = f(smRate); t.mmRate = f(mmRate)
        t.electronSMRate = f(electronSMRate); t.electronMMRate = f(electronMMRate)
        t.coherentSMRate = f(coherentSMRate); t.coherentMMRate = f(coherentMMRate)
        t.fluxPerCm2PerSPerMeV = f(fluxPerCm2PerSPerMeV); t.lineFluxPerCm2PerS = f(lineFluxPerCm2PerS)
        t.totalFluxPerCm2PerS *= factor
        t.shapeVariations = shapeVariations.mapValues { v in
            TemplateVariation(sm: v.sm.map { ShapeVariation(down: f($0.down), up: f($0.up)) },
                              mm: v.mm.map { ShapeVariation(down: f($0.down), up: f($0.up)) },
                              cevns: v.cevns.map { ShapeVariation(down: f($0.down), up: f($0.up)) })
        }
        return t
    }
}
