import Foundation
import NMMCore
import NMMStatistics

/// `nmm export`: files for other tools, made from the typed stage files through the same
/// checked reads as every stage (type, schema, stale parents, config-section hashes).
/// Not a row of the stage graph: the graph's stages write one typed (FITS) file each, and an
/// export writes JSON/YAML for other tools that nothing downstream reads (like the report).
extension Pipeline {
    /// Refuses a file that was not made from `parent` as it is now: none of its PSHAn is the
    /// parent's SHA-256 (a limit of another fit, or of this fit before a rerun).
    func requireParent(_ provenance: Provenance, of file: String, is parent: String) throws {
        let sha = try SHA256Hex.of(fileAt: parent)
        guard provenance.parents.contains(where: { $0.sha256.lowercased() == sha }) else {
            throw ProductError(.stale, file: file, parent: parent,
                               "was not made from \(parent) as it is now (no PSHAn matches its SHA-256 \(sha.prefix(12))…); rerun the stages after it")
        }
    }

    /// export --format pyhf: the model as a pyhf workspace (`PyhfExport`). The workspace is
    /// the likelihood, so it is made from model.fits alone (POI range ±20 σ̃ from the data):
    /// a model nmm cannot fit yet exports all the same. Returns the export with its notes.
    @discardableResult
    public func exportPyhf(model: String, output: String) throws -> PyhfExport.Result {
        let m = try read(ModelProduct.self, model).model
        let result: PyhfExport.Result
        do {
            result = try PyhfExport.build(m)
        } catch let e as InputError where e.file == nil {
            throw InputError(file: model, field: e.field, e.message)
        }
        try ExportFiles.write(try result.workspace.json(), to: output)
        let bounds = result.workspace.measurements[0].config.parameters[0].bounds?.first ?? []
        logger.info("wrote \(output) (pyhf workspace: \(result.workspace.channels.count) channels, POI kappa in \(bounds))")
        for note in result.notes { logger.warning("pyhf export: \(note)") }
        return result
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
