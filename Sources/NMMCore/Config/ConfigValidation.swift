import Foundation

/// Semantic checks of a parsed config, and its values with defaults filled in.
extension AnalysisConfig {
    public static let knownIsotopes = ["U235", "U238", "Pu239", "Pu241"]
    public static let maxSimulatedBins = 10_000_000.0

    func fail(_ key: String, _ message: String) -> ConfigError {
        ConfigError(file: sourcePath.isEmpty ? "<config>" : sourcePath, key: key, message)
    }

    public func validate() throws {
        guard !experiment.isEmpty, experiment.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw fail("experiment", "expected a non-empty name of letters, digits, '-', '_' or '.', found '\(experiment)'")
        }
        guard detector.massKg.isFinite, detector.massKg > 0 else {
            throw fail("detector.massKg", "expected a mass > 0 kg, found \(detector.massKg)")
        }
        guard !detector.target.isEmpty else { throw fail("detector.target", "expected a material or formula") }
        if let r = detector.resolution {
            for (k, v) in [("aKeV", r.aKeV), ("bKeV", r.bKeV), ("c", r.c)] where !(v.isFinite && v >= 0) {
                throw fail("detector.resolution.\(k)", "expected a finite value ≥ 0, found \(v)")
            }
        }
        if let table = detector.efficiency {
            guard !table.isEmpty else { throw fail("detector.efficiency", "expected at least one [energyKeV, efficiency] pair") }
            var last = -Double.infinity
            for (i, row) in table.enumerated() {
                guard row.count == 2, row[0].isFinite, row[0] > last, row[1] >= 0, row[1] <= 1 else {
                    throw fail("detector.efficiency[\(i)]",
                               "expected [energyKeV, efficiency] with increasing energy and 0 ≤ efficiency ≤ 1, found \(row)")
                }
                last = row[0]
            }
        }
        try validateSource()
        if let reactor { try validateReactor(reactor) }
        try validateCoherent()
        if let s = neutrino?.sin2ThetaW, !(s > 0 && s < 1) {
            throw fail("neutrino.sin2ThetaW", "expected a value in (0, 1), found \(s)")
        }
        try validateInputs()
        try validateWindow()
        try validateFit()
        try validateModel()
        try validateLimit()
        try validateSimulation()
    }

    private func validateSimulation() throws {
        guard let sim = simulation else { return }
        let r = sim.rangeKeV
        guard r.count == 2, r[0] >= 0, r[1] > r[0], r[1].isFinite else {
            throw fail("simulation.rangeKeV", "expected [lowKeV, highKeV] with 0 ≤ low < high, found \(r)")
        }
        guard sim.binWidthKeV > 0, sim.binWidthKeV <= r[1] - r[0] else {
            throw fail("simulation.binWidthKeV", "expected 0 < width ≤ range, found \(sim.binWidthKeV)")
        }
        // The bin count becomes an Int and an array: refuse absurd ones before they trap.
        guard (r[1] - r[0]) / sim.binWidthKeV <= Self.maxSimulatedBins else {
            throw fail("simulation.binWidthKeV", "expected at most \(Int(Self.maxSimulatedBins)) bins in rangeKeV, found \((r[1] - r[0]) / sim.binWidthKeV)")
        }
        for (k, v) in [("onLiveTimeHours", sim.onLiveTimeHours), ("offLiveTimeHours", sim.offLiveTimeHours)] {
            guard let v else {
                if sim.events != nil { continue }
                throw fail("simulation.\(k)", "required key is missing (a simulated ON/OFF pair needs it unless simulation.events is given)")
            }
            guard v > 0, v.isFinite else { throw fail("simulation.\(k)", "expected a live time > 0 h, found \(v)") }
        }
        guard sim.backgroundPerKgKeVDay >= 0, sim.backgroundPerKgKeVDay.isFinite else {
            throw fail("simulation.backgroundPerKgKeVDay", "expected a level ≥ 0, found \(sim.backgroundPerKgKeVDay)")
        }
        for (i, l) in (sim.lines ?? []).enumerated() where !(l.count == 3 && l.allSatisfy(\.isFinite) && l[1] > 0 && l[2] >= 0) {
            throw fail("simulation.lines[\(i)]", "expected [energyKeV, sigmaKeV > 0, countsPerKgDay ≥ 0], found \(l)")
        }
        try validateEventSimulation()
    }

    private func validateReactor(_ reactor: ReactorConfig) throws {
        let hasFlux = reactor.totalFluxPerCm2PerS != nil
        let hasPower = reactor.thermalPowerMW != nil || reactor.distanceM != nil
        if hasFlux == hasPower {
            throw fail("reactor", "give either thermalPowerMW and distanceM, or totalFluxPerCm2PerS (exactly one of the two)")
        }
        if hasFlux {
            let f = reactor.totalFluxPerCm2PerS!
            guard f.isFinite, f > 0 else { throw fail("reactor.totalFluxPerCm2PerS", "expected a flux > 0, found \(f)") }
        } else {
            guard let p = reactor.thermalPowerMW, p.isFinite, p > 0 else {
                throw fail("reactor.thermalPowerMW", "expected a thermal power > 0 MW")
            }
            guard let d = reactor.distanceM, d.isFinite, d > 0 else {
                throw fail("reactor.distanceM", "expected a distance > 0 m")
            }
        }
        for (k, v) in reactor.fissionFractions.sorted(by: { $0.key < $1.key }) {
            guard Self.knownIsotopes.contains(k) else {
                throw fail("reactor.fissionFractions.\(k)", "unknown isotope; expected one of \(Self.knownIsotopes.joined(separator: ", "))")
            }
            guard v.isFinite, v >= 0 else { throw fail("reactor.fissionFractions.\(k)", "expected a fraction ≥ 0, found \(v)") }
        }
        let sum = reactor.fissionFractions.keys.sorted().reduce(0) { $0 + reactor.fissionFractions[$1]! }
        guard abs(sum - 1) < 1e-3 else {
            throw fail("reactor.fissionFractions", "expected fractions summing to 1, they sum to \(sum)")
        }
        if let c = reactor.capturesPerFission, !(c.isFinite && c >= 0) {
            throw fail("reactor.capturesPerFission", "expected a value ≥ 0, found \(c)")
        }
    }

    private func validateWindow() throws {
        let w = analysis.windowKeV
        guard w.count == 2, w[0].isFinite, w[1].isFinite, w[0] >= 0, w[1] > w[0] else {
            throw fail("analysis.windowKeV", "expected [lowKeV, highKeV] with 0 ≤ low < high, found \(w)")
        }
        for (i, m) in (analysis.maskedKeV ?? []).enumerated() {
            guard m.count == 2, m[0].isFinite, m[1].isFinite, m[1] > m[0] else {
                throw fail("analysis.maskedKeV[\(i)]", "expected [lowKeV, highKeV] with low < high, found \(m)")
            }
        }
    }

    private func validateFit() throws {
        guard let fit else { return }
        for (k, v) in [("smNormalisationSigma", fit.smNormalisationSigma), ("fluxNormalisationSigma", fit.fluxNormalisationSigma)] {
            if let v, !(v.isFinite && v >= 0) { throw fail("fit.\(k)", "expected a width ≥ 0, found \(v)") }
        }
        if let n = fit.profilePoints, !(2...100_000).contains(n) {
            throw fail("fit.profilePoints", "expected 2 to 100000 points, found \(n)")
        }
        if let n = fit.maxIterations, n < 1 { throw fail("fit.maxIterations", "expected at least 1 iteration, found \(n)") }
        if let lo = fit.profileKappaMin, let hi = fit.profileKappaMax, !(hi > lo) {
            throw fail("fit.profileKappaMax", "expected profileKappaMax > profileKappaMin")
        }
    }

    private func validateLimit() throws {
        guard let limit else { return }
        if let m = limit.methods {
            guard !m.isEmpty else { throw fail("limit.methods", "expected a list of \(IntervalMethod.choiceList), found an empty list") }
            if let twice = m.first(where: { w in m.filter { $0 == w }.count > 1 }) {
                throw fail("limit.methods", "expected each method once, found '\(twice.rawValue)' twice")
            }
        }
        if let cl = limit.cl, !(cl > 0 && cl < 1) { throw fail("limit.cl", "expected a confidence level in (0, 1), found \(cl)") }
        // Upper bounds keep the toy buffers (grid points × toys doubles) allocatable.
        if let n = limit.toysPerPoint, !(10...100_000_000).contains(n) {
            throw fail("limit.toysPerPoint", "expected 10 to 100000000 toys, found \(n)")
        }
        if let n = limit.gridPoints, !(3...100_000).contains(n) {
            throw fail("limit.gridPoints", "expected 3 to 100000 grid points, found \(n)")
        }
        if let g = limit.gridPoints, let n = limit.toysPerPoint, g.multipliedReportingOverflow(by: n).partialValue > 100_000_000 {
            throw fail("limit.toysPerPoint", "expected gridPoints × toysPerPoint ≤ 100000000, found \(g) × \(n)")
        }
        if let k = limit.kappaMax, !(k.isFinite && k > 0) { throw fail("limit.kappaMax", "expected κ_max > 0, found \(k)") }
        if let n = limit.sensitivityToys, !(0...100_000_000).contains(n) {
            throw fail("limit.sensitivityToys", "expected 0 to 100000000, found \(n)")
        }
        if let f = limit.maxFailedFraction, !(f >= 0 && f < 1) {
            throw fail("limit.maxFailedFraction", "expected a fraction in [0, 1), found \(f)")
        }
        if let r = limit.targetRelativeError, let problem = LimitConfig.targetRelativeErrorProblem(r) {
            throw fail("limit.targetRelativeError", problem)
        }
        // 2000: the default of `toysPerPoint` below.
        if let n = limit.maxToysPerPoint, let problem = LimitConfig.maxToysPerPointProblem(n, toysPerPoint: limit.toysPerPoint ?? 2000) {
            throw fail("limit.maxToysPerPoint", problem)
        }
    }
}

/// Defaults and resolved paths.
extension AnalysisConfig {
    public var configDirectory: String {
        sourcePath.isEmpty ? "." : (sourcePath as NSString).deletingLastPathComponent.ifEmpty(".")
    }

    /// An input path from the config, resolved against the config file's folder.
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let joined = (configDirectory as NSString).appendingPathComponent(path)
        return (joined as NSString).standardizingPath
    }

    /// `inputs.on` resolved (pair and ogip; validation makes it present for those kinds).
    public var onPath: String { resolve(inputs.on ?? "") }
    /// `inputs.off` resolved (pair; ogip: empty when the OFF file is the ON file's BACKFILE).
    public var offPath: String { inputs.off.map(resolve) ?? "" }
    public var offExposureFactor: Double { inputs.offExposureFactor ?? 1 }
    public var bindingStep: Bool { detector.bindingStep ?? false }
    /// The source's kind (`source.kind`, default reactor).
    public var sourceKind: SourceKind { source?.kind ?? .reactor }
    /// The flavour of the analysis: `neutrino.flavor`, else the source's (validation keeps a
    /// line or tritium source's flavour consistent).
    public var flavor: NeutrinoFlavor { neutrino?.flavor ?? sourceKind.flavor }
    /// Coherent samples on: a `coherent` section whose `enabled` is not false.
    public var coherentEnabled: Bool { coherent.map { $0.enabled ?? true } ?? false }
    public var chargeRadiusCm2: Double { neutrino?.chargeRadiusCm2 ?? 0 }
    public var windowLowKeV: Double { analysis.windowKeV[0] }
    public var windowHighKeV: Double { analysis.windowKeV[1] }
    public var maskedRangesKeV: [(low: Double, high: Double)] { (analysis.maskedKeV ?? []).map { ($0[0], $0[1]) } }

    public var fitMethod: FitMethod { fit?.method ?? .chi2 }
    public var fitBackground: BackgroundTerms { fit?.background ?? BackgroundTerms.none }
    public var fitResidualErrors: ResidualErrorRule { fit?.residualErrors ?? .expected }
    public var confidenceLevel: Double { limit?.cl ?? 0.9 }
    public var limitMethod: LimitMethod { limit?.method ?? .gaussian }
    public var seed: UInt64 { limit?.seed ?? 20030331 }
    public var toysPerPoint: Int { limit?.toysPerPoint ?? 2000 }
    public var gridPoints: Int { limit?.gridPoints ?? 60 }
    public var sensitivityToys: Int { limit?.sensitivityToys ?? 1000 }
    public var maxFailedFraction: Double { limit?.maxFailedFraction ?? 0.01 }
}

extension String {
    func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}
