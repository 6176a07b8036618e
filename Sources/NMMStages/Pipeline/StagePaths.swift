import Foundation
import NMMCore
import NMMStatistics

/// The stages in pipeline order.
public enum StageName: String, CaseIterable, Sendable, Comparable {
    case ingest, subtract, templates, fit, limit, report

    public static func < (a: StageName, b: StageName) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The typed file a stage writes by default (report writes a folder).
    public var defaultOutput: String {
        switch self {
        case .ingest: "spectra.fits"
        case .subtract: "residual.fits"
        case .templates: "templates.fits"
        case .fit: "fit.fits"
        case .limit: "limit.fits"
        case .report: "report"
        }
    }
}

/// Default file locations: build/<experiment>/<file>.
public struct StagePaths: Sendable {
    public var directory: String

    public init(config: AnalysisConfig, buildRoot: String = "build") {
        directory = (buildRoot as NSString).appendingPathComponent(config.experiment)
    }

    public init(directory: String) { self.directory = directory }

    public func path(_ stage: StageName) -> String { (directory as NSString).appendingPathComponent(stage.defaultOutput) }
    public var spectra: String { path(.ingest) }
    public var residual: String { path(.subtract) }
    public var templates: String { path(.templates) }
    public var fit: String { path(.fit) }
    public var limit: String { path(.limit) }
    public var limitJSON: String { (directory as NSString).appendingPathComponent("limit.json") }
    public var report: String { path(.report) }

    /// Creates the folder of `file` if needed; a folder that cannot be made is exit 73.
    public static func prepareFolder(for file: String) throws {
        let dir = (file as NSString).deletingLastPathComponent
        guard !dir.isEmpty else { return }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            if !isDir.boolValue { throw OutputError(file: file, "\(dir) exists and is not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw OutputError(file: file, "cannot create folder \(dir)")
        }
    }
}
