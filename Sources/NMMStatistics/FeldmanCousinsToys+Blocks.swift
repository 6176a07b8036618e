import NMMCore

extension FeldmanCousinsToys {
    /// t(κ_j) of whole blocks of toys at chosen grid points (adaptive toys, `AdaptiveToys`):
    /// block k of point j is drawn from deriveSeed(seed, [j, k]) with `configuration.toys(inBlock:)`
    /// toys and evaluated as in `toyValues(points:)` (the generation means of the whole grid, a
    /// block's draws independent of how blocks are grouped), so a point's first-pass toys come
    /// out unchanged. One array per request, its blocks in order (NaN: failed fit).
    func toyValues(blocks requests: [ToyBlockRequest], progress: ProgressHandler?) throws -> [[Double]] {
        let cfg = configuration, grid = cfg.kappaGrid
        let means = try generationMeans(grid)
        let bs = cfg.toysPerBlock
        // Blocks per task as the chunked χ² path groups them (any grouping gives the same toys).
        let layout = ToyBlockLayout(requests, configuration: cfg, group: max(1, KappaOnlyToyPath.chi2GroupToys / bs))
        let results = SharedResults(count: layout.totalToys)
        let model = self.model
        try ParallelTasks.run(taskCount: layout.tasks.count, threads: cfg.threads, progress: progress,
                              makeWorker: { try ToyWorker(model: model, statistic: cfg.statistic, sampler: cfg.sampler,
                                                          blockSize: bs) },
                              task: { worker, index in
            let task = layout.tasks[index], j = requests[task.request].point
            let seeds = task.blocks.map { SeedSequence.deriveSeed(master: cfg.seed, indices: [UInt64(j), UInt64($0)]) }
            worker.setMeans(on: means.on, off: means.off)
            worker.run(point: j, seeds: seeds, counts: task.blocks.map { cfg.toys(inBlock: $0) }, kappa: grid[j],
                       outs: task.offsets.map { results.pointer.baseAddress! + $0 })
        })
        return layout.split(results)
    }
}
