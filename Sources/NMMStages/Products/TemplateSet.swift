import NMMCore
import NMMStatistics

/// templates.fits (NMMTYPE TEMPLATES): per analysis bin the Standard-Model rate and the
/// magnetic-moment rate at κ = 1 (μ_ν = 1e-10 μ_B), both in counts/(kg·keV·day) averaged
/// over the bin, and their ratio; a FLUX table with the ν̄e spectrum used; the physics
/// inputs in the header.
public struct TemplateSet: StageProduct, Equatable {
    public static let kind = ProductKind.templates
    public static let schemaVersion = 1

    public var energyLowKeV: [Double]
    public var energyHighKeV: [Double]
    public var smRate: [Double]
    public var mmRate: [Double]
    public var fluxEnergyMeV: [Double]
    public var fluxPerCm2PerSPerMeV: [Double]
    public var totalFluxPerCm2PerS: Double
    public var electronsPerKg: Double
    /// Physics inputs and choices, written as header keywords (name, value, comment).
    public var inputs: [FITSKeyword]
    /// ±1σ templates of shape nuisances by name (the templates stage's generators), on every bin.
    public var shapeVariations: [String: TemplateVariation] = [:]

    public init(energyLowKeV: [Double], energyHighKeV: [Double], smRate: [Double], mmRate: [Double],
                fluxEnergyMeV: [Double], fluxPerCm2PerSPerMeV: [Double], totalFluxPerCm2PerS: Double,
                electronsPerKg: Double, inputs: [FITSKeyword]) {
        self.energyLowKeV = energyLowKeV
        self.energyHighKeV = energyHighKeV
        self.smRate = smRate
        self.mmRate = mmRate
        self.fluxEnergyMeV = fluxEnergyMeV
        self.fluxPerCm2PerSPerMeV = fluxPerCm2PerSPerMeV
        self.totalFluxPerCm2PerS = totalFluxPerCm2PerS
        self.electronsPerKg = electronsPerKg
        self.inputs = inputs
    }

    public var ratio: [Double] { zip(mmRate, smRate).map { $1 > 0 ? $0 / $1 : 0 } }

    public init(document doc: FITSDocument) throws {
        let t = try doc.table("TEMPLATES")
        let unit = "count/(kg keV d)"
        energyLowKeV = try t.doubles("E_LO", unit: "keV")
        energyHighKeV = try t.doubles("E_HI", unit: "keV")
        smRate = try t.doubles("SM", unit: unit)
        mmRate = try t.doubles("MM", unit: unit)
        let f = try doc.table("FLUX")
        fluxEnergyMeV = try f.doubles("ENERGY", unit: "MeV")
        fluxPerCm2PerSPerMeV = try f.doubles("FLUX", unit: "1/(cm2 s MeV)")
        totalFluxPerCm2PerS = try doc.double("FLUXTOT")
        electronsPerKg = try doc.double("NEPERKG")
        let structural: Set<String> = ["FLUXTOT", "NEPERKG", "NMMTYPE", "NMMSCHEM", "NMMVERS", "DATE", "CFGSHA"]
        inputs = doc.primaryKeywords.filter {
            !structural.contains($0.name) && !$0.name.hasPrefix("PARENT") && !$0.name.hasPrefix("PSHA")
        }
    }

    public func document() -> FITSDocument {
        let unit = "count/(kg keV d)"
        return FITSDocument(primaryKeywords: [
            FITSKeyword("FLUXTOT", .double(totalFluxPerCm2PerS), "[cm-2 s-1] total anti-nu_e flux at the detector"),
            FITSKeyword("NEPERKG", .double(electronsPerKg), "[1/kg] target electrons per kg (unbound count)"),
        ] + inputs, tables: [
            FITSTable(name: "TEMPLATES", keywords: [
                FITSKeyword("KAPPAREF", .double(1), "[1e-20 mu_B^2] MM column at this kappa (mu_nu = 1e-10 mu_B)"),
            ], columns: [
                FITSColumn("E_LO", unit: "keV", .double(energyLowKeV)),
                FITSColumn("E_HI", unit: "keV", .double(energyHighKeV)),
                FITSColumn("SM", unit: unit, .double(smRate)),
                FITSColumn("MM", unit: unit, .double(mmRate)),
                FITSColumn("RATIO", unit: "", .double(ratio)),
            ]),
            FITSTable(name: "FLUX", columns: [
                FITSColumn("ENERGY", unit: "MeV", .double(fluxEnergyMeV)),
                FITSColumn("FLUX", unit: "1/(cm2 s MeV)", .double(fluxPerCm2PerSPerMeV)),
            ]),
        ])
    }
}

/// The −1σ/+1σ SM and MM templates of one shape nuisance (every bin).
public struct TemplateVariation: Equatable, Sendable {
    public var sm: ShapeVariation?
    public var mm: ShapeVariation?
    public init(sm: ShapeVariation?, mm: ShapeVariation?) { self.sm = sm; self.mm = mm }
}
