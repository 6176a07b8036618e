// TEMPORARY until the report branch lands.
extension Pipeline {
    public func report(paths: StagePaths) throws { logger.notice("report stage not built yet") }
}
