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
    /// unknown schema and reports a stale input (a parent whose hash changed); `check` sees
    /// each file's provenance (the pipeline's config-section check).
    static func load(spectraPath: String, residualPath: String, templatesPath: String, fitPath: String,
                     limitPath: String, check: (Provenance, String) throws -> Void = { _, _ in }) throws -> ReportInputs {
        var files: [ReportInputFile] = []
        func read<P: StageProduct>(_ type: P.Type, _ role: String, _ path: String) throws -> P {
            let (product, provenance) = try ProductStore.read(type, from: path)
            try check(provenance, path)
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

    /// The SM template normalisation a (1 when held).
    var smNorm: Double { fit.result.value(of: .smNorm) ?? 1 }
    /// The reactor flux normalisation f (1 when held).
    var fluxNorm: Double { fit.result.value(of: .fluxNorm) ?? 1 }
}
