import Foundation
import NMMCore
import NMMStatistics

/// Generates an event list, its GTIs and a reactor operation log from a config's
/// `simulation.events` (with the spectral inputs of `simulation`): the reactor runs through
/// the periods (power = fraction × reactor.thermalPowerMW), the detector records over the
/// whole span except the data gaps, and in each piece of a period inside a GTI every fine bin
/// of `simulation.rangeKeV`/`binWidthKeV` receives Poisson(mean) events,
///
///     mean = (background + (P/P_nom)·(SM + κ_true·MM)) · mass · live time · bin width,
///     live time = piece length × (1 − deadTimeFraction),
///
/// each at a uniform time in the piece and a uniform energy in the bin. Seeded (GSL mt19937):
/// pieces in time order, bins in energy order, per event the time then the energy.
public struct EventListSimulator: Sendable {
    public struct Output: Sendable {
        public var timesS: [Double]
        public var energiesKeV: [Double]
        public var gtis: [TimeSpan]
        public var periods: [ReactorPeriod]
        public var seed: UInt64

        public init(timesS: [Double], energiesKeV: [Double], gtis: [TimeSpan], periods: [ReactorPeriod], seed: UInt64) {
            self.timesS = timesS
            self.energiesKeV = energiesKeV
            self.gtis = gtis
            self.periods = periods
            self.seed = seed
        }
    }

    public let fixture: FixtureSimulator
    public let events: EventSimulationConfig
    public let nominalPowerMW: Double

    public init(config: AnalysisConfig) throws {
        fixture = try FixtureSimulator(config: config)
        guard let ev = fixture.simulation.events, let p = config.reactor?.thermalPowerMW else {
            throw ConfigError(file: config.sourcePath, key: "simulation.events",
                              "this config's simulation section has no events subsection (and reactor.thermalPowerMW); nothing to generate")
        }
        events = ev
        nominalPowerMW = p
    }

    public var deadTimeFraction: Double { events.deadTimeFraction ?? 0 }
    let hour = TimeFrame.secondsPerHour

    /// The reactor periods, consecutive from t = 0.
    public var periods: [ReactorPeriod] {
        var t = 0.0
        return events.reactorPeriodsHours.map { row in
            let span = TimeSpan(startS: t, stopS: t + row[0] * hour)
            t = span.stopS
            let ff = row.count == 6 ? Dictionary(uniqueKeysWithValues: zip(ReactorLog.isotopes, row[2...])) : nil
            return ReactorPeriod(span: span, powerMW: row[1] * nominalPowerMW, fissionFractions: ff)
        }
    }

    /// The whole span minus the data gaps.
    public var gtis: [TimeSpan] {
        let end = periods.last?.span.stopS ?? 0
        var out: [TimeSpan] = [], t = 0.0
        for g in events.dataGapsHours ?? [] {
            if g[0] * hour > t { out.append(TimeSpan(startS: t, stopS: g[0] * hour)) }
            t = g[1] * hour
        }
        if end > t { out.append(TimeSpan(startS: t, stopS: end)) }
        return out
    }

    /// `smRate`/`mmRate`: on `fixture.edgesKeV`, counts/(kg·keV·day), MM at κ = 1.
    public func generate(smRate: [Double], mmRate: [Double], massKg: Double) throws -> Output {
        let edges = fixture.edgesKeV
        guard smRate.count == edges.count - 1, mmRate.count == edges.count - 1 else {
            throw InternalError("simulation templates have \(smRate.count) bins, expected \(edges.count - 1)")
        }
        let seed = fixture.simulation.seed ?? fixture.config.seed
        let rng = try RandomGenerator(seed: seed)
        let kappa = fixture.simulation.kappaTrue ?? 0
        let background = edges.indices.dropLast().map { fixture.backgroundRate(lowKeV: edges[$0], highKeV: edges[$0 + 1]) }
        var times: [Double] = [], energies: [Double] = []
        let logPeriods = periods
        for piece in TimeSpans.indexedIntersection(logPeriods.map(\.span), gtis) {
            let scale = logPeriods[piece.indexInA].powerMW / nominalPowerMW
            let liveDays = piece.span.lengthS * (1 - deadTimeFraction) / TimeFrame.secondsPerDay
            for i in 0..<(edges.count - 1) {
                let width = edges[i + 1] - edges[i]
                let mean = (background[i] + scale * (smRate[i] + kappa * mmRate[i])) * massKg * liveDays * width
                for _ in 0..<rng.poisson(mean: max(mean, 0)) {
                    times.append(piece.span.startS + rng.uniform() * piece.span.lengthS)
                    energies.append(edges[i] + rng.uniform() * width)
                }
            }
        }
        let order = times.indices.sorted { times[$0] < times[$1] }
        return Output(timesS: order.map { times[$0] }, energiesKeV: order.map { energies[$0] }, gtis: gtis,
                      periods: logPeriods, seed: seed)
    }
}
