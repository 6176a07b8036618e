import Foundation
import NMMCore
import NMMStatistics

extension StagePaths {
    /// Default name of shard `index` of `count`: limit.shard-<i>-of-<N>.fits.
    public func limitShard(_ index: Int, of count: Int) -> String {
        (directory as NSString).appendingPathComponent("limit.shard-\(index)-of-\(count).fits")
    }
}

extension Pipeline {
    func toyInputs(fit: String, model: String, kappaMax: Double? = nil) throws -> (FitProduct, StatisticalModel, ModelFitOptions) {
        let f = try read(FitProduct.self, fit)
        try Self.checkUsable(f, file: fit, needsSigma: kappaMax == nil)
        let (m, options) = try toyModel(model, statistic: f.method)
        return (f, m, options)
    }

    /// The toys' model and fit options (the statistic of the fit).
    func toyModel(_ model: String, statistic: FitMethod) throws -> (StatisticalModel, ModelFitOptions) {
        (try read(ModelProduct.self, model).model, FitSetup.modelOptions(config, statistic: statistic))
    }

    /// `nmm limit --shard i/N`: one slice of the toy belt's κ grid into a typed partial file.
    @discardableResult
    public func limitShard(fit: String, model: String, output: String, index: Int, count: Int,
                           settings: LimitSettings, progress: ProgressHandler? = nil) throws -> LimitShard {
        guard count >= 1, index >= 1, index <= count else {
            throw InputError(file: nil, field: "--shard", "expected i/N with 1 ≤ i ≤ N, found \(index)/\(count)", status: .usage)
        }
        guard count <= settings.gridPoints else {
            throw InputError(file: nil, field: "--shard", "\(count) shards for \(settings.gridPoints) grid points: expected N ≤ grid points", status: .usage)
        }
        let (f, m, options) = try toyInputs(fit: fit, model: model, kappaMax: settings.kappaMax)
        var shard = try Limit().toysShard(fit: f, model: m, options: options, settings: settings,
                                          index: index, count: count, progress: progress)
        if let cls = try LimitComparisons(fit: f, model: m, options: options, settings: settings).clsToys(for: settings.methods) {
            shard.clsScan = try cls.scan(points: shard.points, progress: progress)
        }
        try write(shard, to: output, parents: [fit, model])
        return shard
    }

    /// `nmm merge`: joins every shard of one construction into limit.fits (identical to a
    /// single `nmm limit --method toys` run with the same settings). Refuses an incomplete set,
    /// naming the missing shards. With `expectedCount` (`nmm merge --shards N`, as the Slurm merge
    /// job runs it) every shard must be one of N, and no files at all is "all N missing".
    @discardableResult
    public func mergeShards(_ shardPaths: [String], fit: String, model: String, output: String,
                            jsonOutput: String?, settings: LimitSettings, expectedCount: Int? = nil,
                            progress: ProgressHandler? = nil) throws -> LimitProduct {
        guard !shardPaths.isEmpty else {
            if let n = expectedCount, n >= 1 {
                throw InputError(file: nil, field: "shards",
                                 "incomplete set: shard(s) \((1...n).map { "\($0)/\(n)" }.joined(separator: ", ")) missing (failed or not yet run); have none")
            }
            throw InputError(file: nil, field: "shards", "no shard files given", status: .usage)
        }
        let shards = try shardPaths.map { try read(LimitShard.self, $0) }
        let count = expectedCount ?? shards[0].count
        if let odd = zip(shardPaths, shards).first(where: { $0.1.count != count }) {
            let origin = expectedCount == nil ? "as in \(shardPaths[0])" : "(--shards \(count))"
            throw InputError(file: odd.0, field: "SHARDCNT", "expected \(count) shards \(origin), found \(odd.1.count)")
        }
        var seen: [Int: String] = [:]
        for (path, s) in zip(shardPaths, shards) {
            if let other = seen[s.index] {
                throw InputError(file: path, field: "SHARDIDX", "shard \(s.index) of \(count) given twice (also \(other))")
            }
            seen[s.index] = path
        }
        let missing = (1...count).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            let names = missing.map { "\($0)/\(count)" }.joined(separator: ", ")
            throw InputError(file: nil, field: "shards",
                             "incomplete set: shard(s) \(names) missing (failed or not yet run); have \(seen.keys.sorted().map { "\($0)/\(count)" }.joined(separator: ", "))")
        }
        let (f, m, options) = try toyInputs(fit: fit, model: model, kappaMax: settings.kappaMax)
        var product = try Limit().merge(shards, fit: f, model: m, options: options, settings: settings, progress: progress)
        let others = settings.methods.filter { $0 != .fc }
        if !others.isEmpty {
            let comparisons = LimitComparisons(fit: f, model: m, options: options, settings: settings)
            var joined: CLsToyScan? = nil
            if try comparisons.clsToys(for: others) != nil {
                if let bare = zip(shardPaths, shards).first(where: { $0.1.clsScan == nil }) {
                    throw InputError(file: bare.0, field: "CLS_SB", "limit.methods asks for toy CLs but this shard has no CLs toys (made with other methods)")
                }
                joined = try CLsToyScan.joining(shards.compactMap(\.clsScan))
            }
            product.comparisons = try comparisons.run(others, clsScan: joined, progress: progress)
        }
        logToys(product)
        if let jsonOutput {
            try StagePaths.prepareFolder(for: jsonOutput)
            try AtomicFile.checkWritable(jsonOutput)
        }
        try write(product, to: output, parents: [fit, model])
        if let jsonOutput {
            try AtomicFile.writeData(Data((product.json(experiment: config.experiment) + "\n").utf8), to: jsonOutput)
        }
        return product
    }
}
