import Foundation
import NMMCore
import NMMStatistics

/// One typed file the report read: where it is, its SHA-256 and its provenance keywords.
struct ReportInputFile: Sendable {
    /// Short role name: spectra, residual, templates, fit, limit.
    var role: String
    var path: String
    var sha256: String
    var provenance: Provenance
}

/// Everything the report draws: the five stage products and the record of the files they
/// came from.
struct ReportInputs: Sendable {
    var spectra: SpectrumPair
    var residual: Residual
    var templates: TemplateSet
    var fit: FitProduct
    var limit: LimitProduct
    var files: [ReportInputFile]

    /// Reads the five products with `ProductStore.read`, which refuses a wrong NMMTYPE or an
    /// unknown schema and reports a stale input (a parent whose hash changed).
    static func load(spectraPath: String, residualPath: String, templatesPath: String, fitPath: String,
                     limitPath: String) throws -> ReportInputs {
        var files: [ReportInputFile] = []
        func read<P: StageProduct>(_ type: P.Type, _ role: String, _ path: String) throws -> P {
            let (product, provenance) = try ProductStore.read(type, from: path)
            files.append(ReportInputFile(role: role, path: path, sha256: try SHA256Hex.of(fileAt: path),
                                         provenance: provenance))
            return product
        }
        let spectra = try read(SpectrumPair.self, "spectra", spectraPath)
        let residual = try read(Residual.self, "residual", residualPath)
        let templates = try read(TemplateSet.self, "templates", templatesPath)
        let fit = try read(FitProduct.self, "fit", fitPath)
        let limit = try read(LimitProduct.self, "limit", limitPath)
        return ReportInputs(spectra: spectra, residual: residual, templates: templates, fit: fit, limit: limit,
                            files: files)
    }

    /// The value of a fit parameter by any of its spellings, or nil if the fit has none of them.
    func fitParameter(_ names: [String]) -> Double? {
        for n in names {
            if let i = fit.parameterNames.firstIndex(of: n), i < fit.values.count { return fit.values[i] }
        }
        return nil
    }

    /// The SM template normalisation a (1 when held).
    var smNorm: Double { fitParameter(["smNorm", "sm_norm"]) ?? 1 }
    /// The reactor flux normalisation f (1 when held).
    var fluxNorm: Double { fitParameter(["fluxNorm", "flux_norm"]) ?? 1 }
}
