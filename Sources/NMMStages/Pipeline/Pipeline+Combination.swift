import Foundation
import NMMCore
import NMMStatistics

/// A config's `model.combine`: other experiments whose data sets join this likelihood. Each
/// member runs its own stages, ingest through report (its individual result), with its own
/// config into <folder of this model>/members/<member experiment>/; its model.fits is a
/// parent of the combined model.
extension Pipeline {
    public struct CombinationMember: Sendable {
        public var config: AnalysisConfig
        public var paths: StagePaths
        public var model: StatisticalModel
        /// Its model file (a parent of the combined model).
        public var file: String { paths.model }
    }

    /// The folder of a combination member's stage files.
    public static func memberPaths(beside output: String, experiment: String) -> StagePaths {
        let folder = (output as NSString).deletingLastPathComponent
        return StagePaths(directory: ((folder as NSString).appendingPathComponent("members") as NSString)
            .appendingPathComponent(experiment))
    }

    /// Runs every member's stages and returns their models.
    func combinationMembers(beside output: String) throws -> [CombinationMember] {
        var members: [CombinationMember] = []
        for (i, path) in (config.model?.combine ?? []).enumerated() {
            let memberConfig = try ConfigLoader.load(path: config.resolve(path))
            guard (memberConfig.model?.combine ?? []).isEmpty else {
                throw ConfigError(file: config.sourcePath, key: "model.combine[\(i)]",
                                  "\(path) combines other configs itself; list its members here instead")
            }
            let paths = Self.memberPaths(beside: output, experiment: memberConfig.experiment)
            let member = Pipeline(config: memberConfig, logger: logger, allowConfigMismatch: allowConfigMismatch)
            logger.info("combination member \(memberConfig.experiment): stages into \(paths.directory)")
            try member.run(from: .ingest, to: .report, paths: paths)
            members.append(CombinationMember(config: memberConfig, paths: paths,
                                             model: try member.read(ModelProduct.self, paths.model).model))
        }
        return members
    }
}
