import NMMCore
import NMMStatistics

/// fit.fits (NMMTYPE FIT): the fit as a value (iminuit style) — the statistics layer's own
/// `FitResult` (parameters, errors, covariance, minimum, goodness of fit, status flags, the
/// profile in κ and the fit's notes) written to FITS and read back, nothing copied beside it.
@dynamicMemberLookup
public struct FitProduct: StageProduct, Equatable {
    public static let kind = ProductKind.fit
    public static let schemaVersion = 1

    public var result: FitResult

    public init(_ result: FitResult) { self.result = result }

    /// Every property of the fit result, read through the product (`fit.minimum`, `fit.ndof`, …).
    public subscript<T>(dynamicMember keyPath: KeyPath<FitResult, T>) -> T { result[keyPath: keyPath] }

    public var kappaIndex: Int { result.index(of: .kappa) ?? 0 }

    public init(document doc: FITSDocument) throws {
        let word = try doc.string("METHOD")
        guard let method = FitMethod(word: word) else {
            throw InputError(file: doc.sourceFile, field: "METHOD", "expected \(FitMethod.choiceList), found '\(word)'")
        }
        let p = try doc.table("PARAMS")
        let n = try p.int("NPAR")
        guard (1...16).contains(n) else {
            throw InputError(file: doc.sourceFile, field: "PARAMS NPAR", "expected 1 to 16 fitted parameters, found \(n)")
        }
        let names = try (1...n).map { try p.string("PNAME\($0)") }
        guard names.contains(FitParameter.kappa.rawValue) else {
            throw InputError(file: doc.sourceFile, field: "PARAMS", "expected a fitted parameter 'kappa' among PNAME1…PNAME\(n)")
        }
        let values = try p.doubles("VALUE", unit: nil)
        let c = try doc.table("COVAR")
        let covariance = try names.map { try c.doubles($0.uppercased(), unit: nil) }
        guard values.count == n, covariance.count == n, covariance.allSatisfy({ $0.count == n }) else {
            throw InputError(file: doc.sourceFile, field: "PARAMS", "expected \(n) parameters in PARAMS and COVAR")
        }
        let prof = try doc.table("PROFILE")
        let kappas = try prof.doubles("KAPPA", unit: MagneticMomentUnits.kappaUnit)
        let deltas = try prof.doubles("DELTA", unit: nil)
        var notes: [String] = []
        while let card = doc.keyword("FITNOTE\(notes.count + 1)"), case .string(let text) = card.value { notes.append(text) }
        result = FitResult(method: method, parameterNames: names, values: values, covariance: covariance,
                           minimum: try doc.double("MINIMUM"), ndof: try doc.int("NDOF"),
                           converged: try doc.bool("CONVERGD"), covarianceAccurate: try doc.bool("COVACC"),
                           atLimit: try doc.bool("ATLIMIT"), iterations: try doc.int("NITER"),
                           profile: zip(kappas, deltas).map { ProfilePoint(kappa: $0, deltaChi2: $1) }, notes: notes)
    }

    public func document() -> FITSDocument {
        let r = result
        // FITS headers cannot hold NaN: a value that does not exist (the error of κ when the
        // covariance is singular, CHI2DOF and PVALUE when NDOF = 0) is left out, and the
        // PARAMS table (which can hold NaN) keeps the full story; COVACC/CONVERGD say why.
        func optional(_ name: String, _ value: Double, _ comment: String) -> [FITSKeyword] {
            value.isFinite ? [FITSKeyword(name, .double(value), comment)] : []
        }
        let minimumComment = switch r.method {
        case .chi2: "chi2 at the minimum"
        case .poisson: "-2 ln(L/Lsat) at the minimum"
        }
        return FITSDocument(primaryKeywords:
            [FITSKeyword("METHOD", .string(r.method.rawValue), "chi2 (residual) or poisson (joint ON/OFF)")]
            + optional("KAPPA", r.kappa, "[1e-20 mu_B^2] best-fit mu_nu^2")
            + optional("KAPERR", r.kappaError, "[1e-20 mu_B^2] its error")
            + [FITSKeyword("MINIMUM", .double(r.minimum), minimumComment),
               FITSKeyword("NDOF", .int(r.ndof), "degrees of freedom")]
            + optional("CHI2DOF", r.chi2PerDof, "minimum / NDOF")
            + optional("PVALUE", r.pValue, "goodness-of-fit p-value") + [
            FITSKeyword("CONVERGD", .bool(r.converged), "minimiser converged"),
            FITSKeyword("COVACC", .bool(r.covarianceAccurate), "covariance accurate (well-conditioned)"),
            FITSKeyword("ATLIMIT", .bool(r.atLimit), "a parameter at a limit"),
            FITSKeyword("NITER", .int(r.iterations), "minimiser iterations"),
        ] + r.notes.enumerated().map { FITSKeyword("FITNOTE\($0.offset + 1)", .string(Self.ascii($0.element)), "remark of the fit") },
        tables: [
            FITSTable(name: "PARAMS",
                      keywords: [FITSKeyword("NPAR", .int(r.parameterNames.count), "parameters")]
                          + r.parameterNames.enumerated().map { FITSKeyword("PNAME\($0.offset + 1)", .string($0.element), "row \($0.offset + 1)") },
                      columns: [FITSColumn("VALUE", unit: "", .double(r.values)),
                                FITSColumn("ERROR", unit: "", .double(r.errors))]),
            FITSTable(name: "COVAR", columns: r.parameterNames.enumerated().map {
                FITSColumn($0.element.uppercased(), unit: "", .double(r.covariance[$0.offset]))
            }),
            FITSTable(name: "PROFILE", columns: [
                FITSColumn("KAPPA", unit: MagneticMomentUnits.kappaUnit, .double(r.profile.map(\.kappa))),
                FITSColumn("DELTA", unit: "", .double(r.profile.map(\.deltaChi2))),
            ]),
        ])
    }

    /// FITS header strings are printable ASCII: the notes' Greek and math symbols spelt out.
    static func ascii(_ text: String) -> String {
        let words: [Character: String] = ["κ": "kappa", "σ": "sigma", "χ": "chi", "²": "^2", "θ": "theta", "α": "alpha",
                                          "β": "beta", "μ": "mu", "Δ": "Delta", "−": "-", "–": "-", "—": "-", "≥": ">=",
                                          "≤": "<=", "≈": "~", "×": "x", "·": "*", "±": "+-", "→": "->", "…": "...", "λ": "lambda",
                                          "ν": "nu", "∞": "inf", "‖": "||", "√": "sqrt", "⁻": "-", "¹": "1", "₀": "0"]
        var out = ""
        for c in text {
            if let w = words[c] { out += w } else if c.isASCII, let v = c.asciiValue, v >= 32, v < 127 { out.append(c) } else { out += "?" }
        }
        return out
    }
}
