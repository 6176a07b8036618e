import NMMCore
import NMMStatistics

/// The other interval constructions run beside Feldman–Cousins (`limit.methods`), one BINTABLE
/// each in limit.fits: EXTNAME LIM_<METHOD> with the limit and its expected band as keywords
/// and the method's scan (KAPPA and its curves) as columns.
extension LimitProduct {
    /// EXTNAME of a method's table.
    static func methodTableName(_ method: IntervalMethod) -> String { "LIM_" + method.rawValue.uppercased() }

    func methodTables() -> [FITSTable] {
        comparisons.map { r in
            let ku = MagneticMomentUnits.kappaUnit
            var keywords = [
                FITSKeyword("METHOD", .string(r.method.rawValue), "interval construction"),
                FITSKeyword("CL", .double(r.confidenceLevel), "confidence (credibility) level"),
                FITSKeyword("KAPUP", .double(r.kappaUpper), "[1e-20 mu_B^2] upper limit on kappa"),
                FITSKeyword("KAPLO", .double(r.kappaLower), "[1e-20 mu_B^2] lower edge"),
                FITSKeyword("MULIMIT", .double(MagneticMomentUnits.muBohr(kappa: r.kappaUpper)), "[mu_B] upper limit on mu_nu"),
                FITSKeyword("NTOYS", .int(r.toys), "toys or samples spent (0: none)"),
            ]
            if let e = r.monteCarloError, e.isFinite {
                keywords.append(FITSKeyword("KAPUPERR", .double(e), "[1e-20 mu_B^2] Monte Carlo error of KAPUP"))
            }
            if let seed = r.seed { keywords.append(FITSKeyword("SEED", .string(String(seed)), "seed of the random draws")) }
            if let b = r.expected {
                for (key, v) in zip(Self.expectedKeys, b.values) where v.isFinite {
                    keywords.append(FITSKeyword(key, .double(v), "[1e-20 mu_B^2] expected kappa_up, kappa = 0"))
                }
            }
            for (i, note) in r.notes.enumerated() {
                keywords.append(FITSKeyword("NOTE\(i + 1)", .string(FitProduct.ascii(note)), "how it was computed"))
            }
            let columns = [FITSColumn("KAPPA", unit: ku, .double(r.scanKappa))]
                + r.curves.map { FITSColumn($0.name, unit: $0.unit, .double($0.values)) }
            return FITSTable(name: Self.methodTableName(r.method), keywords: keywords, columns: columns)
        }
    }

    /// Expected κ_up at −2σ, −1σ, median, +1σ, +2σ (the order of `LimitBands.values`).
    static let expectedKeys = ["EXPM2", "EXPM1", "EXPMED", "EXPP1", "EXPP2"]

    static func readMethodTables(_ doc: FITSDocument) throws -> [IntervalResult] {
        try doc.tables.filter { $0.name.uppercased().hasPrefix("LIM_") }.map { t in
            let word = try t.string("METHOD")
            guard let method = IntervalMethod(word: word), method != .fc else {
                throw InputError(file: doc.sourceFile, field: "\(t.name) METHOD",
                                 "expected one of \(IntervalMethod.allCases.filter { $0 != .fc }.map(\.rawValue).joined(separator: ", ")), found '\(word)'")
            }
            let expectedValues = Self.expectedKeys.compactMap { t.keyword($0) == nil ? nil : try? t.double($0) }
            let seedText = t.keyword("SEED") == nil ? nil : try t.string("SEED")
            let kappa = try t.doubles("KAPPA", unit: MagneticMomentUnits.kappaUnit)
            let curves = try t.columns.filter { $0.name.uppercased() != "KAPPA" }.map {
                IntervalCurve(name: $0.name, values: try t.doubles($0.name, unit: nil), unit: $0.unit)
            }
            if let short = curves.first(where: { $0.values.count != kappa.count }) {
                throw InputError(file: doc.sourceFile, field: "\(t.name) \(short.name)",
                                 "expected one value per KAPPA point (\(kappa.count)), found \(short.values.count)")
            }
            let kappaUpper = try t.double("KAPUP")
            guard kappaUpper.isFinite, kappaUpper >= 0 else {
                throw InputError(file: doc.sourceFile, field: "\(t.name) KAPUP", "expected a finite upper limit ≥ 0, found \(kappaUpper)")
            }
            let notes = (1...99).lazy.map { "NOTE\($0)" }.prefix { t.keyword($0) != nil }.compactMap { try? t.string($0) }
            return IntervalResult(method: method, confidenceLevel: try t.double("CL"), kappaUpper: kappaUpper,
                                  kappaLower: try t.double("KAPLO"),
                                  monteCarloError: t.keyword("KAPUPERR") == nil ? nil : try t.double("KAPUPERR"),
                                  expected: expectedValues.count == 5 ? LimitBands(values: expectedValues) : nil,
                                  scanKappa: kappa, curves: curves, toys: try t.int("NTOYS"),
                                  seed: seedText.flatMap(UInt64.init), notes: Array(notes))
        }
    }

    /// The Feldman–Cousins limit of this product as one row among the methods.
    public var feldmanCousinsResult: IntervalResult {
        IntervalResult(method: .fc, confidenceLevel: confidenceLevel, kappaUpper: kappaUpper, kappaLower: kappaLower,
                       monteCarloError: kappaUpperError, expected: sensitivity.flatMap { $0.kappaUpper.count == 5 ? LimitBands(values: $0.kappaUpper) : nil },
                       toys: totalToys, seed: method == .toys ? seed : nil)
    }

    /// Every method's result, Feldman–Cousins first.
    public var allMethodResults: [IntervalResult] { [feldmanCousinsResult] + comparisons }
}

extension LimitProduct {
    /// One line per other method, below the headline: "  CLs: mu_nu < 1.41e-10 mu_B (± 0.02e-10 MC; expected 1.35e-10)".
    public var methodLines: [String] {
        comparisons.map { r in
            let mu = MagneticMomentUnits.muBohr(kappa: r.kappaUpper)
            var extra: [String] = []
            if let e = r.monteCarloError, e.isFinite, r.kappaUpper > 0 {
                extra.append("± " + MagneticMomentUnits.format(MagneticMomentUnits.muBohr(kappa: r.kappaUpper) * e / (2 * r.kappaUpper)) + " MC")
            }
            if let b = r.expected { extra.append("expected " + MagneticMomentUnits.format(MagneticMomentUnits.muBohr(kappa: b.median))) }
            let tail = extra.isEmpty ? "" : " (" + extra.joined(separator: "; ") + ")"
            return "  \(r.method.displayName): mu_nu < \(MagneticMomentUnits.format(mu)) mu_B\(tail)"
        }
    }
}

extension IntervalMethod {
    /// The name a reader knows the method by.
    public var displayName: String {
        switch self {
        case .fc: "Feldman-Cousins"
        case .cls: "CLs (toys)"
        case .clsb: "CLs+b (toys)"
        case .asymptotic: "CLs (asymptotic)"
        case .bayes: "Bayesian, flat in kappa"
        case .bayesMu: "Bayesian, flat in mu_nu"
        }
    }

    /// The question the method answers, in one line (report and README).
    public var question: String {
        switch self {
        case .fc: "Which κ ≥ 0 are compatible with the data, ordered by likelihood ratio, with exact frequentist coverage (unified: one- or two-sided as the data say)?"
        case .cls: "Which κ would have produced data less signal-like than ours rarely, relative to how rarely background alone would (protects against excluding what the experiment cannot see)?"
        case .clsb: "Which κ would have produced data less signal-like than ours in fewer than 1 − CL of experiments (plain p-value; can exclude κ on a downward fluctuation)?"
        case .asymptotic: "The CLs answer from the asymptotic (Wilks/Wald) distributions of q̃ with the Asimov data set: no toys, exact only at large counts."
        case .bayes: "Given these data and a prior flat in κ ≥ 0, below which κ lies with CL posterior probability (nuisances integrated out)?"
        case .bayesMu: "The same with a prior flat in μ_ν ≥ 0 (more weight at small κ: a lower limit)."
        }
    }
}
