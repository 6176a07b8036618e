import Foundation
import NMMCore

/// build/<experiment>/.sections/<stage>.sha: one line "section sha256" per config section the
/// stage reads. `make` lists a stage's stamp as a prerequisite; a stamp is rewritten only
/// when its content changes, so editing limit.seed touches limit.sha alone.
public enum SectionStamps {
    public static func content(_ stage: StageName, config: AnalysisConfig) -> String {
        StageGraph.spec(stage).sections.map { "\($0.rawValue) \(config.sectionSHA256($0))\n" }.joined()
    }

    /// Writes the stamps whose content differs from the file on disk; returns those written.
    @discardableResult
    public static func write(config: AnalysisConfig, paths: StagePaths) throws -> [String] {
        var written: [String] = []
        for spec in StageGraph.stages {
            let file = paths.sectionStamp(spec.stage), text = content(spec.stage, config: config)
            if let old = FileManager.default.contents(atPath: file), String(decoding: old, as: UTF8.self) == text { continue }
            try StagePaths.prepareFolder(for: file)
            try AtomicFile.writeData(Data(text.utf8), to: file)
            written.append(file)
        }
        return written
    }
}
