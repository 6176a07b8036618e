import Foundation
import NMMCore
import NMMStatistics

/// Generates ON/OFF spectra from a config's `simulation` section: the true rate in each bin
/// is background (flat + linear + Gaussian lines) + SM + κ_true·MM, the SM and MM rates
/// coming from the same physics as the templates stage (every sample of `SampleModel`: ν–e
/// and, with a `coherent` section, coherent ν–N). The OFF spectrum holds the
/// background only. Counts are either the expected values (Asimov) or one Poisson draw
/// from a seeded generator, drawn ON bins first, then OFF bins, in energy order.
public struct FixtureSimulator: Sendable {
    public struct Output: Sendable {
        public var on: RawSpectrum
        public var off: RawSpectrum
        public var seed: UInt64?
    }

    public let config: AnalysisConfig
    public let simulation: SimulationConfig
    static let daysPerHour = MetadataUnit.daysFactor("h")!

    public init(config: AnalysisConfig) throws {
        guard let sim = config.simulation else {
            throw ConfigError(file: config.sourcePath, key: "simulation",
                              "this config has no simulation section; nothing to generate")
        }
        self.config = config
        self.simulation = sim
    }

    public var edgesKeV: [Double] {
        let lo = simulation.rangeKeV[0], hi = simulation.rangeKeV[1], w = simulation.binWidthKeV
        // The tolerance belongs inside the rounding: (1.0 - 0.17)/0.01 = 82.99999999999999 is 83 bins.
        let n = Int(((hi - lo) / w + 1e-9).rounded(.down))
        return (0...n).map { lo + Double($0) * w }
    }

    /// Background in counts/(kg·keV·day) averaged over [lo, hi].
    public func backgroundRate(lowKeV lo: Double, highKeV hi: Double) -> Double {
        let centre = (simulation.rangeKeV[0] + simulation.rangeKeV[1]) / 2
        var rate = simulation.backgroundPerKgKeVDay
            + (simulation.backgroundSlopePerKgKeVDayPerKeV ?? 0) * ((lo + hi) / 2 - centre)
        for line in simulation.lines ?? [] {
            let (e, sigma, perKgDay) = (line[0], line[1], line[2])
            let fraction = 0.5 * (erf((hi - e) / (sigma * 2.0.squareRoot())) - erf((lo - e) / (sigma * 2.0.squareRoot())))
            rate += perKgDay * fraction / (hi - lo)
        }
        return max(rate, 0)
    }

    /// `smRate`/`mmRate`: binned rates on `edgesKeV` in counts/(kg·keV·day), MM at κ = 1.
    public func generate(smRate: [Double], mmRate: [Double], asimov: Bool, sourceLabel: (on: String, off: String)) throws -> Output {
        let edges = edgesKeV
        let n = edges.count - 1
        guard smRate.count == n, mmRate.count == n else {
            throw InternalError("simulation templates have \(smRate.count) bins, expected \(n)")
        }
        guard let onHours = simulation.onLiveTimeHours, let offHours = simulation.offLiveTimeHours else {
            throw ConfigError(file: config.sourcePath, key: "simulation.onLiveTimeHours",
                              "a simulated ON/OFF pair needs onLiveTimeHours and offLiveTimeHours (this section describes an event list: use --events and --reactor-log)")
        }
        let mass = config.detector.massKg
        let onExposure = onHours * Self.daysPerHour * mass
        let offExposure = offHours * Self.daysPerHour * mass * config.offExposureFactor
        let kappa = simulation.kappaTrue ?? 0
        var onMean = [Double](), offMean = [Double]()
        for i in 0..<n {
            let w = edges[i + 1] - edges[i]
            let b = backgroundRate(lowKeV: edges[i], highKeV: edges[i + 1])
            onMean.append((b + smRate[i] + kappa * mmRate[i]) * onExposure * w)
            offMean.append(b * offExposure * w)
        }
        var onCounts = onMean, offCounts = offMean
        var seed: UInt64? = nil
        if !asimov {
            let s = simulation.seed ?? config.seed
            seed = s
            let rng = try RandomGenerator(seed: s)
            onCounts = onMean.map { Double(rng.poisson(mean: $0)) }
            offCounts = offMean.map { Double(rng.poisson(mean: $0)) }
        }
        let lo = Array(edges.dropLast()), hi = Array(edges.dropFirst())
        return Output(
            on: RawSpectrum(energyLowKeV: lo, energyHighKeV: hi, counts: onCounts,
                            liveTimeDays: onHours * Self.daysPerHour, massKg: mass, sourceFile: sourceLabel.on),
            off: RawSpectrum(energyLowKeV: lo, energyHighKeV: hi, counts: offCounts,
                             liveTimeDays: offHours * Self.daysPerHour, massKg: mass, sourceFile: sourceLabel.off),
            seed: seed)
    }
}
