import Foundation
import NMMCore
import NMMStatistics

/// `nmm export`: files for other tools, made from the typed stage files through the same
/// checked reads as every stage (type, schema, stale parents, config-section hashes).
/// Not a row of the stage graph: the graph's stages write one typed (FITS) file each, and an
/// export writes JSON/YAML for other tools that nothing downstream reads (like the report).
extension Pipeline {
    /// Reads a stage file with the pipeline's checks and returns its provenance too.
    func readWithProvenance<P: StageProduct>(_ type: P.Type, _ path: String) throws -> (P, Provenance) {
        let (product, provenance) = try ProductStore.read(type, from: path)
        try checkSections(provenance, file: path)
        return (product, provenance)
    }

    /// Refuses a fit (or limit) file that was not made from `parent` as it is now: none of its
    /// PSHAn is the parent's SHA-256 (a fit of another model, or of this model before a rerun).
    func requireParent(_ provenance: Provenance, of file: String, is parent: String) throws {
        let sha = try SHA256Hex.of(fileAt: parent)
        guard provenance.parents.contains(where: { $0.sha256.lowercased() == sha }) else {
            throw ProductError(.stale, file: file, parent: parent,
                               "was not made from \(parent) as it is now (no PSHAn matches its SHA-256 \(sha.prefix(12))…); rerun the stages after it")
        }
    }

    /// export --format pyhf: the model as a pyhf workspace (`PyhfExport`); the fit gives the
    /// POI's bounds (κ̂ ± 10σ, and 0 inside). Returns the export with its notes.
    @discardableResult
    public func exportPyhf(model: String, fit: String, output: String) throws -> PyhfExport.Result {
        let m = try read(ModelProduct.self, model).model
        let (f, fitProvenance) = try readWithProvenance(FitProduct.self, fit)
        try requireParent(fitProvenance, of: fit, is: model)
        let result: PyhfExport.Result
        do {
            result = try PyhfExport.build(m, kappaBounds: Self.kappaBounds(f.result))
        } catch let e as InputError where e.file == nil {
            throw InputError(file: model, field: e.field, e.message)
        }
        try ExportFiles.write(try result.workspace.json(), to: output)
        logger.info("wrote \(output) (pyhf workspace: \(result.workspace.channels.count) channels, POI kappa in [\(Self.kappaBounds(f.result).lowerBound), \(Self.kappaBounds(f.result).upperBound)])")
        for note in result.notes { logger.warning("pyhf export: \(note)") }
        return result
    }

    /// The POI range of an exported workspace: [min(κ̂, 0) − 10σ, max(κ̂, 0) + 10σ].
    public static func kappaBounds(_ r: FitResult) -> ClosedRange<Double> {
        let s = r.kappaError.isFinite && r.kappaError > 0 ? r.kappaError : max(1, abs(r.kappa.isFinite ? r.kappa : 1))
        let k = r.kappa.isFinite ? r.kappa : 0
        return (min(k, 0) - 10 * s)...(max(k, 0) + 10 * s)
    }
}

extension Pipeline {
    /// export --format hepdata: submission.yaml and its tables (`HEPDataRecord`) into `output`,
    /// from the five files the report reads (each checked like a stage input; the limit must
    /// have been made from this fit). Returns the files written.
    @discardableResult
    public func exportHEPData(spectra: String, residual: String, templates: String, fit: String, limit: String,
                              output: String) throws -> [String] {
        let inputs = try ReportInputs.load(spectraPath: spectra, residualPath: residual, templatesPath: templates,
                                           fitPath: fit, limitPath: limit, check: checkSections)
        if let l = inputs.files.first(where: { $0.role == "limit" }) {
            try requireParent(l.provenance, of: limit, is: fit)
        }
        let record = HEPDataRecord(inputs, config: config)
        let files = record.files
        try ExportFiles.write(files, into: output)
        let written = files.map { (output as NSString).appendingPathComponent($0.name) }
        logger.info("wrote \(output)/ (HEPData record: submission.yaml and \(record.tables.count) tables)")
        return written
    }
}
