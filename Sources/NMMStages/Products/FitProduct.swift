import NMMCore
import NMMStatistics

/// fit.fits (NMMTYPE FIT): the fit as a value (iminuit style): parameters, errors,
/// covariance, minimum, goodness of fit, status flags, and the profile in κ.
public struct FitProduct: StageProduct, Equatable {
    public static let kind = ProductKind.fit
    public static let schemaVersion = 1

    /// chi2 or poisson.
    public var method: String
    public var parameterNames: [String]
    public var values: [Double]
    public var errors: [Double]
    public var covariance: [[Double]]
    /// χ² (chi2) or −2 ln(L/L_saturated) (poisson) at the minimum.
    public var minimum: Double
    public var degreesOfFreedom: Int
    public var pValue: Double
    public var converged: Bool
    public var covarianceAccurate: Bool
    public var atLimit: Bool
    public var iterations: Int
    public var profileKappa: [Double]
    public var profileDelta: [Double]

    public init(method: String, parameterNames: [String], values: [Double], errors: [Double], covariance: [[Double]],
                minimum: Double, degreesOfFreedom: Int, pValue: Double, converged: Bool, covarianceAccurate: Bool,
                atLimit: Bool, iterations: Int, profileKappa: [Double], profileDelta: [Double]) {
        self.method = method
        self.parameterNames = parameterNames
        self.values = values
        self.errors = errors
        self.covariance = covariance
        self.minimum = minimum
        self.degreesOfFreedom = degreesOfFreedom
        self.pValue = pValue
        self.converged = converged
        self.covarianceAccurate = covarianceAccurate
        self.atLimit = atLimit
        self.iterations = iterations
        self.profileKappa = profileKappa
        self.profileDelta = profileDelta
    }

    public var kappaIndex: Int { parameterNames.firstIndex(of: "kappa") ?? 0 }
    public var kappa: Double { values[kappaIndex] }
    public var kappaError: Double { errors[kappaIndex] }
    public var minimumPerDof: Double { degreesOfFreedom > 0 ? minimum / Double(degreesOfFreedom) : .nan }

    public init(document doc: FITSDocument) throws {
        method = try doc.string("METHOD")
        minimum = try doc.double("MINIMUM")
        degreesOfFreedom = try doc.int("NDOF")
        // Written only when finite (no p-value for NDOF = 0): absent reads as NaN.
        pValue = doc.keyword("PVALUE") == nil ? .nan : try doc.double("PVALUE")
        converged = try doc.bool("CONVERGD")
        covarianceAccurate = try doc.bool("COVACC")
        atLimit = try doc.bool("ATLIMIT")
        iterations = try doc.int("NITER")
        let p = try doc.table("PARAMS")
        let n = try p.int("NPAR")
        guard (1...16).contains(n) else {
            throw InputError(file: doc.sourceFile, field: "PARAMS NPAR", "expected 1 to 16 fitted parameters, found \(n)")
        }
        parameterNames = try (1...n).map { try p.string("PNAME\($0)") }
        guard parameterNames.contains("kappa") else {
            throw InputError(file: doc.sourceFile, field: "PARAMS", "expected a fitted parameter 'kappa' among PNAME1…PNAME\(n)")
        }
        values = try p.doubles("VALUE", unit: nil)
        errors = try p.doubles("ERROR", unit: nil)
        let c = try doc.table("COVAR")
        covariance = try parameterNames.map { try c.doubles($0.uppercased(), unit: nil) }
        let prof = try doc.table("PROFILE")
        profileKappa = try prof.doubles("KAPPA", unit: "1e-20 mu_B^2")
        profileDelta = try prof.doubles("DELTA", unit: nil)
        guard values.count == n, errors.count == n, covariance.allSatisfy({ $0.count == n }) else {
            throw InputError(file: doc.sourceFile, field: "PARAMS", "expected \(n) parameters in PARAMS and COVAR")
        }
    }

    public func document() -> FITSDocument {
        let kappaUnit = "1e-20 mu_B^2"
        // FITS headers cannot hold NaN: a value that does not exist (the error of κ when the
        // covariance is singular, CHI2DOF and PVALUE when NDOF = 0) is left out, and the
        // PARAMS table (which can hold NaN) keeps the full story; COVACC/CONVERGD say why.
        func optional(_ name: String, _ value: Double, _ comment: String) -> [FITSKeyword] {
            value.isFinite ? [FITSKeyword(name, .double(value), comment)] : []
        }
        return FITSDocument(primaryKeywords:
            [FITSKeyword("METHOD", .string(method), "chi2 (residual) or poisson (joint ON/OFF)")]
            + optional("KAPPA", kappa, "[1e-20 mu_B^2] best-fit mu_nu^2")
            + optional("KAPERR", kappaError, "[1e-20 mu_B^2] its error")
            + [FITSKeyword("MINIMUM", .double(minimum), method == "chi2" ? "chi2 at the minimum" : "-2 ln(L/Lsat) at the minimum"),
               FITSKeyword("NDOF", .int(degreesOfFreedom), "degrees of freedom")]
            + optional("CHI2DOF", minimumPerDof, "minimum / NDOF")
            + optional("PVALUE", pValue, "goodness-of-fit p-value") + [
            FITSKeyword("CONVERGD", .bool(converged), "minimiser converged"),
            FITSKeyword("COVACC", .bool(covarianceAccurate), "covariance accurate (well-conditioned)"),
            FITSKeyword("ATLIMIT", .bool(atLimit), "a parameter at a limit"),
            FITSKeyword("NITER", .int(iterations), "minimiser iterations"),
        ], tables: [
            FITSTable(name: "PARAMS",
                      keywords: [FITSKeyword("NPAR", .int(parameterNames.count), "parameters")]
                          + parameterNames.enumerated().map { FITSKeyword("PNAME\($0.offset + 1)", .string($0.element), "row \($0.offset + 1)") },
                      columns: [FITSColumn("VALUE", unit: "", .double(values)),
                                FITSColumn("ERROR", unit: "", .double(errors))]),
            FITSTable(name: "COVAR", columns: parameterNames.enumerated().map {
                FITSColumn($0.element.uppercased(), unit: "", .double(covariance[$0.offset]))
            }),
            FITSTable(name: "PROFILE", columns: [
                FITSColumn("KAPPA", unit: kappaUnit, .double(profileKappa)),
                FITSColumn("DELTA", unit: "", .double(profileDelta)),
            ]),
        ])
    }
}
