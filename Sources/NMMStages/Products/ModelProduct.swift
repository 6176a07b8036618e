import NMMCore
import NMMStatistics

/// model.fits (NMMTYPE MODEL): the statistical model as data — every data set's fitted bins,
/// ON/OFF counts and exposures, every sample's rates (and ±1σ templates of shape modifiers),
/// and every modifier with its constraint. Fit, limit and exporters read this value.
///
/// Primary header: POI, NDATASET, NMODIF and per modifier k MNAMEk, MKINDk, MCONSk
/// (gaussian, lognormal, free, fixed), MSIGMAk (width) or MFIXk (held value). One BINTABLE per
/// data set (DATA1, DATA2, …): DSNAME, ONEXPO, OFFEXPO [kg d], NSAMPLE, per sample j SNAMEj,
/// SROLEj, SMODj (its modifiers, comma-separated); columns E_LO, E_HI [keV], ON_COUNTS,
/// OFF_COUNTS [count], RATEj [count/(kg keV d)] and VARj_k_DN/VARj_k_UP for the shape
/// modifier k of sample j.
public struct ModelProduct: StageProduct, Equatable {
    public static let kind = ProductKind.model
    public static let schemaVersion = 1
    static let rateUnit = "count/(kg keV d)"

    public var model: StatisticalModel

    public init(_ model: StatisticalModel) { self.model = model }

    public func document() -> FITSDocument {
        var keys: [FITSKeyword] = [
            FITSKeyword("POI", .string(StatisticalModel.poiName), "parameter of interest: mu_nu^2 in 1e-20 mu_B^2"),
            FITSKeyword("NDATASET", .int(model.dataSets.count), "data sets (ON/OFF pairs)"),
            FITSKeyword("NMODIF", .int(model.modifiers.count), "modifiers (nuisance parameters)"),
        ]
        for (k, m) in model.modifiers.enumerated() {
            let i = k + 1
            keys.append(FITSKeyword("MNAME\(i)", .string(m.name), "modifier name"))
            keys.append(FITSKeyword("MKIND\(i)", .string(m.kind.rawValue), "normalisation or shape"))
            switch m.constraint {
            case .gaussian(let s):
                keys += [FITSKeyword("MCONS\(i)", .string("gaussian"), "constraint"), FITSKeyword("MSIGMA\(i)", .double(s), "its width")]
            case .logNormal(let s):
                keys += [FITSKeyword("MCONS\(i)", .string("lognormal"), "constraint on ln theta"), FITSKeyword("MSIGMA\(i)", .double(s), "its width")]
            case .free:
                keys.append(FITSKeyword("MCONS\(i)", .string("free"), "no constraint"))
            case .fixed(let v):
                keys += [FITSKeyword("MCONS\(i)", .string("fixed"), "held"), FITSKeyword("MFIX\(i)", .double(v), "held value")]
            }
        }
        let tables = model.dataSets.enumerated().map { n, d in
            var k: [FITSKeyword] = [
                FITSKeyword("DSNAME", .string(d.name), "data set name"),
                FITSKeyword("ONEXPO", .double(d.onExposureKgDay), "[kg d] ON exposure"),
                FITSKeyword("OFFEXPO", .double(d.offExposureKgDay), "[kg d] OFF exposure (with any OFF factor)"),
                FITSKeyword("NSAMPLE", .int(d.samples.count), "samples"),
            ]
            var columns = [
                FITSColumn("E_LO", unit: "keV", .double(d.energyLowKeV)), FITSColumn("E_HI", unit: "keV", .double(d.energyHighKeV)),
                FITSColumn("ON_COUNTS", unit: "count", .double(d.onCounts)), FITSColumn("OFF_COUNTS", unit: "count", .double(d.offCounts)),
            ]
            for (j, s) in d.samples.enumerated() {
                k.append(FITSKeyword("SNAME\(j + 1)", .string(s.name), "sample name"))
                k.append(FITSKeyword("SROLE\(j + 1)", .string(s.role.rawValue), "signal (x kappa), known or on-only"))
                k.append(FITSKeyword("SMOD\(j + 1)", .string(s.modifiers.joined(separator: ",")), "its modifiers"))
                columns.append(FITSColumn("RATE\(j + 1)", unit: Self.rateUnit, .double(s.rate)))
                for (m, mod) in model.modifiers.enumerated() {
                    guard let v = s.shapeVariations[mod.name] else { continue }
                    columns.append(FITSColumn("VAR\(j + 1)_\(m + 1)_DN", unit: Self.rateUnit, .double(v.down)))
                    columns.append(FITSColumn("VAR\(j + 1)_\(m + 1)_UP", unit: Self.rateUnit, .double(v.up)))
                }
            }
            return FITSTable(name: "DATA\(n + 1)", keywords: k, columns: columns)
        }
        return FITSDocument(primaryKeywords: keys, tables: tables)
    }

    public init(document doc: FITSDocument) throws {
        let file = doc.sourceFile
        func bad(_ field: String, _ message: String) -> InputError { InputError(file: file, field: field, message) }
        let nMod = try doc.int("NMODIF"), nData = try doc.int("NDATASET")
        guard (0...1000).contains(nMod), (1...1000).contains(nData) else {
            throw bad("NMODIF/NDATASET", "expected 0–1000 modifiers and 1–1000 data sets, found \(nMod) and \(nData)")
        }
        var modifiers: [ModelModifier] = []
        for i in (0..<nMod).map({ $0 + 1 }) {
            let kindWord = try doc.string("MKIND\(i)")
            guard let kind = NuisanceKind(word: kindWord) else { throw bad("MKIND\(i)", "expected \(NuisanceKind.choiceList), found '\(kindWord)'") }
            let constraint: ModifierConstraint
            switch try doc.string("MCONS\(i)") {
            case "gaussian": constraint = .gaussian(sigma: try doc.double("MSIGMA\(i)"))
            case "lognormal": constraint = .logNormal(sigma: try doc.double("MSIGMA\(i)"))
            case "free": constraint = .free
            case "fixed": constraint = .fixed(try doc.double("MFIX\(i)"))
            case let other: throw bad("MCONS\(i)", "expected gaussian, lognormal, free or fixed, found '\(other)'")
            }
            modifiers.append(ModelModifier(name: try doc.string("MNAME\(i)"), kind: kind, constraint: constraint))
        }
        var dataSets: [ModelDataSet] = []
        for n in 1...nData {
            let t = try doc.table("DATA\(n)")
            let nSample = try t.int("NSAMPLE")
            guard (1...1000).contains(nSample) else { throw bad("DATA\(n) NSAMPLE", "expected 1–1000 samples, found \(nSample)") }
            var samples: [ModelSample] = []
            for j in 1...nSample {
                let roleWord = try t.string("SROLE\(j)")
                guard let role = SampleRole(word: roleWord) else { throw bad("DATA\(n) SROLE\(j)", "expected \(SampleRole.choiceList), found '\(roleWord)'") }
                let mods = try t.string("SMOD\(j)").split(separator: ",").map(String.init)
                var variations: [String: ShapeVariation] = [:]
                for (m, mod) in modifiers.enumerated() where t.columns.contains(where: { $0.name == "VAR\(j)_\(m + 1)_DN" }) {
                    variations[mod.name] = ShapeVariation(down: try t.doubles("VAR\(j)_\(m + 1)_DN", unit: Self.rateUnit),
                                                          up: try t.doubles("VAR\(j)_\(m + 1)_UP", unit: Self.rateUnit))
                }
                samples.append(ModelSample(name: try t.string("SNAME\(j)"), role: role, rate: try t.doubles("RATE\(j)", unit: Self.rateUnit),
                                           modifiers: mods, shapeVariations: variations))
            }
            dataSets.append(ModelDataSet(name: try t.string("DSNAME"), energyLowKeV: try t.doubles("E_LO", unit: "keV"),
                                         energyHighKeV: try t.doubles("E_HI", unit: "keV"), onCounts: try t.doubles("ON_COUNTS", unit: "count"),
                                         offCounts: try t.doubles("OFF_COUNTS", unit: "count"), onExposureKgDay: try t.double("ONEXPO"),
                                         offExposureKgDay: try t.double("OFFEXPO"), samples: samples))
        }
        model = StatisticalModel(dataSets: dataSets, modifiers: modifiers)
        do {
            try model.validate()
        } catch let e as StatisticsError {
            throw bad("model", "\(e)")
        }
    }
}
