import NMMCore

/// Adaptive toys: after the first pass (`toysPerPoint` everywhere), more toys only where they
/// move the upper limit, until its Monte Carlo error σ(κ_up) (`CriticalValueError`) is at most
/// `targetRelativeError`·κ_up or the cap is reached (as Combine's HybridNew spends its toys near
/// the crossing; statistics.md §6).
public struct AdaptiveToySettings: Sendable, Equatable {
    /// Target σ(κ_up)/κ_up.
    public var targetRelativeError: Double
    /// At most this many toys at one grid point.
    public var maxToysPerPoint: Int

    public init(targetRelativeError: Double, maxToysPerPoint: Int) {
        self.targetRelativeError = targetRelativeError
        self.maxToysPerPoint = maxToysPerPoint
    }

    /// The default cap: 50 × the first pass's toys per point (our choice: from 2000 toys the
    /// MC error can shrink by √50 ≈ 7 at the bracketing points).
    public static func defaultMaxToys(toysPerPoint: Int) -> Int { 50 * toysPerPoint }
}

/// What the adaptive toys did.
public struct AdaptiveToyOutcome: Sendable, Equatable {
    public var settings: AdaptiveToySettings
    /// σ(κ_up) ≤ target·κ_up at the end.
    public var targetMet: Bool
    /// Rounds of added toys.
    public var rounds: Int

    public init(settings: AdaptiveToySettings, targetMet: Bool, rounds: Int) {
        self.settings = settings
        self.targetMet = targetMet
        self.rounds = rounds
    }
}

/// A construction that can draw further whole blocks of toys at chosen grid points
/// (`FeldmanCousinsToys`, `ModelToys`).
protocol ToyBlockSource {
    var configuration: ToyConfiguration { get }
    func toyValues(blocks requests: [ToyBlockRequest], progress: ProgressHandler?) throws -> [[Double]]
}

extension FeldmanCousinsToys: ToyBlockSource {}
extension ModelToys: ToyBlockSource {}

extension BeltConstruction {
    /// `belt` (a whole first-pass belt of this construction) with toys added near its upper
    /// edge. Each round doubles the toys (whole blocks continuing each point's streams, capped
    /// at `maxToysPerPoint`) at the two grid points that bracket the upper crossing, whose
    /// critical values and slope give σ(κ_up), then recomputes their t_c from all their toys
    /// (the first-pass blocks regenerated: they depend only on (seed, j, k)). It stops when the
    /// target is met, when neither point can grow, or when there is no upper crossing (upper
    /// edge at the grid end, no accepted point). The rounds depend only on the belt's values,
    /// so a belt joined from shards gives the same answer as a single run, at any thread count.
    public func addingToys(to belt: ToyBelt, settings: AdaptiveToySettings,
                           progress: ProgressHandler? = nil) throws -> ToyBelt {
        guard let source = self as? any ToyBlockSource else {
            throw StatisticsError.invalidOptions("this belt construction cannot add toys")
        }
        let cfg = configuration, grid = belt.kappaGrid, n = cfg.toysPerPoint
        guard settings.targetRelativeError > 0, settings.maxToysPerPoint >= n else {
            throw StatisticsError.invalidOptions("adaptive toys need a target > 0 and a cap ≥ \(n) toys per point")
        }
        guard belt.kappaGrid == cfg.kappaGrid, belt.seed == cfg.seed, belt.toysPerBlock == cfg.toysPerBlock,
              belt.toysPerPoint == n, belt.criticalValues.allSatisfy(\.isFinite), var errors = belt.criticalValueErrors else {
            throw StatisticsError.invalidOptions("adaptive toys need a whole belt of this construction with its critical-value errors")
        }
        var result = belt
        var toys: [Int: [Double]] = [:]   // every toy t so far of the points refined
        var rounds = 0, met = false
        while let interval = result.interval, !interval.upperAtGridEnd, interval.upper > 0,
              let sigma = interval.upperError {
            if sigma <= settings.targetRelativeError * interval.upper { met = true; break }
            guard let a = grid.indices.last(where: { result.observedValues[$0] <= result.criticalValues[$0] }) else { break }
            var requests: [ToyBlockRequest] = []
            for j in [a, a + 1] {
                let have = result.toysAtPoint[j], want = Self.doubled(have, configuration: cfg, cap: settings.maxToysPerPoint)
                guard want > have else { continue }
                let from = toys[j] == nil ? 0 : cfg.blocks(holding: have)
                requests.append(ToyBlockRequest(point: j, blocks: from..<cfg.blocks(holding: want)))
            }
            if requests.isEmpty { break }
            let values = try source.toyValues(blocks: requests, progress: progress)
            for (r, request) in requests.enumerated() {
                let j = request.point
                toys[j, default: []].append(contentsOf: values[r])
                let cut = try FeldmanCousinsToys.acceptanceCut(toyValues: toys[j]!, cl: cfg.confidenceLevel, kappa: grid[j],
                                                               maxFailureFraction: cfg.maxFailureFraction)
                result.criticalValues[j] = cut.value
                result.failuresPerPoint[j] = cut.failures
                result.toysAtPoint[j] = toys[j]!.count
                errors[j] = cut.error
            }
            result.criticalValueErrors = errors
            result.interval = KappaInterval.fromGrid(grid, observed: result.observedValues, critical: result.criticalValues,
                                                     criticalErrors: errors)
            rounds += 1
        }
        result.adaptive = AdaptiveToyOutcome(settings: settings, targetMet: met, rounds: rounds)
        return result
    }

    /// About twice `have` toys in whole added blocks (at least one more block), at most `cap`;
    /// `have` when no whole block fits under the cap.
    static func doubled(_ have: Int, configuration cfg: ToyConfiguration, cap: Int) -> Int {
        let n = cfg.toysPerPoint, bs = cfg.toysPerBlock
        var extra = max(1, (2 * have - n + bs - 1) / bs)
        while extra > 0, n + extra * bs > cap { extra -= 1 }
        return max(have, n + extra * bs)
    }
}
