// TEMPORARY until the stats branch lands.
extension Pipeline {
    public func limit(fit: String, residual: String, templates: String, output: String, jsonOutput: String) throws { throw InternalError("limit pending") }
    public func report(paths: StagePaths) throws { throw InternalError("report pending") }
}
import NMMCore
