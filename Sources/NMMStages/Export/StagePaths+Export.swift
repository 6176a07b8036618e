import Foundation

extension StagePaths {
    /// build/<experiment>/export/: what `nmm export` writes by default.
    public var exportFolder: String { (directory as NSString).appendingPathComponent("export") }
    /// The pyhf workspace, export/workspace.json.
    public var pyhfWorkspace: String { (exportFolder as NSString).appendingPathComponent("workspace.json") }
    /// The HEPData record's folder, export/hepdata/ (submission.yaml and the tables).
    public var hepdataFolder: String { (exportFolder as NSString).appendingPathComponent("hepdata") }
}
