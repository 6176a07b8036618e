import ArgumentParser
import Foundation
import NMMCore
import NMMStages
import NMMStatistics


struct LimitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limit",
        abstract: "Feldman–Cousins interval on κ ≥ 0 and the μ_ν upper limit, into limit.fits and limit.json.",
        discussion: """
            From the pipeline: reads fit.fits (and, for toys, model.fits).
            From a published fit summary instead: nmm limit --kappa -0.4 --stat-error 1.3 [--sys-error 0.4] [--cl 0.9] [--json]
            """)

    @OptionGroup var common: CommonOptions
    @Option(help: "Fit file (default <build-dir>/<experiment>/fit.fits).") var fit: String?
    @Option(help: "Model file, for toys (default <build-dir>/<experiment>/model.fits).") var model: String?
    @Option(help: "gaussian (analytic belt) or toys (Neyman construction); overrides limit.method.") var method: LimitMethod?
    @Option(help: "Interval constructions, comma-separated, from fc, cls, clsb, asymptotic, bayes, bayes-mu (overrides limit.methods; fc always runs: it is the headline).")
    var methods: IntervalMethodList?
    @Option(help: "Confidence level, e.g. 0.9 (overrides limit.cl).") var cl: Double?
    @Option(help: "Seed of every random draw (overrides limit.seed).") var seed: UInt64?
    @Option(help: "Toys per κ grid point (overrides limit.toysPerPoint).") var toys: Int?
    @Option(help: "Background-only pseudo-experiments for the sensitivity band (overrides limit.sensitivityToys).") var sensitivityToys: Int?
    @Option(help: "Adaptive toys: add toys at the points around the crossing until the Monte Carlo error of κ_up is below this fraction of it, e.g. 0.01 (overrides limit.targetRelativeError; toy belt).")
    var targetRelativeError: Double?
    @Option(help: "Cap on the adaptive toys per κ grid point (overrides limit.maxToysPerPoint).") var maxToysPerPoint: Int?
    @Option(help: "Worker threads for toys (default: all cores; results do not depend on it).") var threads: Int?
    @Option(parsing: .unconditional, help: "Fitted κ of a published summary (κ = μ_ν² in 1e-20 μ_B²); skips the pipeline files.") var kappa: Double?
    @Option(help: "Statistical error on κ of the summary.") var statError: Double?
    @Option(help: "Systematic error on κ, added in quadrature (Gaussian belt).") var sysError: Double = 0
    @Option(help: "Compute only shard i of N (1-based) of the toy belt's κ grid into a partial file; join with `nmm merge`.")
    var shard: ShardSpec?
    @Flag(help: "Print the result as one JSON object on stdout.") var json = false
    @Option(name: .shortAndLong, help: "Output limit file (default <build-dir>/<experiment>/limit.fits; limit.json beside it).") var output: String?

    func validate() throws {
        if (kappa == nil) != (statError == nil) { throw ValidationError("--kappa and --stat-error go together") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be ≥ 1") }
        if let t = toys, t < 10 { throw ValidationError("--toys must be ≥ 10") }
        if let s = sensitivityToys, s != 0, s < 10 { throw ValidationError("--sensitivity-toys must be 0 or ≥ 10") }
        if let r = targetRelativeError, let problem = LimitConfig.targetRelativeErrorProblem(r) {
            throw ValidationError("--target-relative-error: \(problem)")
        }
        if shard != nil, kappa != nil { throw ValidationError("--shard works on the pipeline's files, not on --kappa") }
    }

    func run() throws {
        if let kappa, let statError {
            _ = common.makeLogger()
            let product = try SummaryLimit.compute(kappa: kappa, statError: statError, sysError: sysError, cl: cl ?? 0.9)
            print(json ? product.json(experiment: nil) : product.headline)
            return
        }
        let (pipeline, paths) = try common.pipeline()
        var settings = try LimitSettings(config: pipeline.config)
        if let method { settings.method = method }
        if let methods { settings.methods = methods.methods }
        if let cl { settings.confidenceLevel = cl }
        if let seed { settings.seed = seed }
        if let toys { settings.toysPerPoint = toys }
        if let sensitivityToys { settings.sensitivityToys = sensitivityToys }
        if let targetRelativeError { settings.targetRelativeError = targetRelativeError }
        if let maxToysPerPoint {
            // Against the toys per point of this run (the config's, or --toys).
            if let problem = LimitConfig.maxToysPerPointProblem(maxToysPerPoint, toysPerPoint: settings.toysPerPoint) {
                throw ValidationError("--max-toys-per-point: \(problem)")
            }
            settings.maxToysPerPoint = maxToysPerPoint
        }
        // Adaptive toys grow the toy belt; the Gaussian belt has no Monte Carlo error to reduce.
        if settings.method == .gaussian, targetRelativeError != nil || maxToysPerPoint != nil, shard == nil {
            throw ValidationError("--target-relative-error and --max-toys-per-point apply to the toy belt (limit.method: toys, or --method toys); this run uses the Gaussian belt")
        }
        settings.threads = threads
        settings.systematicError = sysError
        let progress = ProgressDisplay(label: "toys", quiet: common.quiet)
        if let shard {
            settings.method = .toys
            let out = output ?? paths.limitShard(shard.index, of: shard.count)
            try pipeline.limitShard(fit: fit ?? paths.fit, model: model ?? paths.model,
                                    output: out, index: shard.index, count: shard.count, settings: settings, progress: progress.handler)
            progress.finish()
            return
        }
        let out = output ?? paths.limit
        let jsonPath = ((out as NSString).deletingLastPathComponent as NSString).appendingPathComponent("limit.json")
        let product = try pipeline.limit(fit: fit ?? paths.fit, model: model ?? paths.model, output: out, jsonOutput: jsonPath,
                                         settings: settings, progress: progress.handler)
        progress.finish()
        print(json ? product.json(experiment: pipeline.config.experiment) : product.headline)
        if !json { for line in product.methodLines { print(line) } }
    }
}

/// `i/N` on the command line.
struct ShardSpec: ExpressibleByArgument {
    var index: Int
    var count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else { return nil }
        index = i
        count = n
    }
}
