import Foundation
import NMMCore
import NMMStatistics

/// The stages in pipeline order.
public enum StageName: String, CaseIterable, Sendable, Comparable {
    case ingest, subtract, templates, model, fit, limit, report

    public static func < (a: StageName, b: StageName) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The file a stage writes by default (report: its folder).
    public var defaultOutput: String {
        let output = StageGraph.spec(self).output
        return self == .report ? (output as NSString).deletingLastPathComponent : output
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
    public var model: String { path(.model) }
    public var fit: String { path(.fit) }
    public var limit: String { path(.limit) }
    public var limitJSON: String { (directory as NSString).appendingPathComponent(StageGraph.spec(.limit).sideOutputs[0]) }

    /// The files of a stage's typed inputs, in the graph's order.
    public func inputs(of stage: StageName) -> [String] { StageGraph.spec(stage).inputs.map(path) }

    /// The stamp file `make` tracks for the config sections a stage reads (`nmm stamps`).
    public func sectionStamp(_ stage: StageName) -> String {
        (directory as NSString).appendingPathComponent(".sections/\(stage.rawValue).sha")
    }
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
