import Foundation
@testable import NMMCore
@testable import NMMStages
@testable import NMMStatistics

/// Small in-memory stage products shaped like TEXONO-KS 2003 (physics.md §7): a 1.06 kg Ge
/// detector, 4712 h ON / 1250 h OFF, ~1 count/(kg·keV·day) background, a 12–64 keV window in
/// 1 keV bins, κ̂ = −0.4 ± 1.3 and a 90% limit κ_up = 1.69 (μ_ν < 1.3×10⁻¹⁰ μ_B). Counts
/// come from a fixed linear congruential sequence, so every run writes the same files.
struct ReportFixtures {
    let dir: String
    var toys = false
    var withSensitivity = true
    var withMask = true
    /// A `coherent` section with Lindhard quenching (k = 0.162): the report adds figure4-ee.svg.
    var withCoherent = false

    var spectraPath: String { "\(dir)/spectra.fits" }
    var residualPath: String { "\(dir)/residual.fits" }
    var templatesPath: String { "\(dir)/templates.fits" }
    var fitPath: String { "\(dir)/fit.fits" }
    var limitPath: String { "\(dir)/limit.fits" }
    var reportDir: String { "\(dir)/report" }

    static let kappaHat = -0.4, kappaSigma = 1.3, kappaUpper = 1.69

    func config() throws -> AnalysisConfig {
        var c = try ConfigLoader.parse(text: ConfigSchema.minimalExample, file: "\(dir)/texono.yaml")
        c.experiment = "texono-test"
        c.analysis.maskedKeV = withMask ? [[29.5, 31.5]] : nil
        if withCoherent { c.coherent = CoherentConfig(quenching: QuenchingConfig(model: .lindhard, k: 0.162)) }
        c.sha256 = SHA256Hex.of(string: "texono-test config")
        return c
    }

    /// Deterministic pseudo-Poisson counts: mean + √mean × a uniform(−√3, √3) deviate.
    static func counts(mean: [Double], seed: UInt64) -> [Double] {
        var state = seed
        return mean.map { m in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(state >> 11) / Double(1 << 53)
            return max(0, (m + m.squareRoot() * (u - 0.5) * 2 * 3.0.squareRoot()).rounded())
        }
    }

    func spectra() -> SpectrumPair {
        let lo = (0..<98).map { 2 + Double($0) }, hi = lo.map { $0 + 1 }
        // Flat 1 /kg/keV/day plus the 10.37 keV Ge K X-ray line (σ 0.3 keV, 30 counts/kg/day).
        func rate(_ e: Double) -> Double { 1.0 + 30 * exp(-0.5 * pow((e - 10.37) / 0.3, 2)) / (0.3 * (2 * Double.pi).squareRoot()) }
        let onDays = 4712.0 / 24, offDays = 1250.0 / 24, mass = 1.06
        let onMean = zip(lo, hi).map { rate(0.5 * ($0 + $1)) * onDays * mass }
        let offMean = zip(lo, hi).map { rate(0.5 * ($0 + $1)) * offDays * mass }
        return SpectrumPair(
            on: RawSpectrum(energyLowKeV: lo, energyHighKeV: hi, counts: Self.counts(mean: onMean, seed: 1),
                            liveTimeDays: onDays, massKg: mass, sourceFile: "\(dir)/on.csv"),
            off: RawSpectrum(energyLowKeV: lo, energyHighKeV: hi, counts: Self.counts(mean: offMean, seed: 2),
                             liveTimeDays: offDays, massKg: mass, sourceFile: "\(dir)/off.csv"),
            offExposureFactor: 1)
    }

    func templates(_ r: Residual) -> TemplateSet {
        // SM ≈ 1.36e-3 and MM(κ = 1) ≈ 2.88e-2·(12/T) per kg·keV·day (physics.md §5, T in keV).
        let centre = zip(r.energyLowKeV, r.energyHighKeV).map { 0.5 * ($0 + $1) }
        return TemplateSet(energyLowKeV: r.energyLowKeV, energyHighKeV: r.energyHighKeV,
                           smRate: centre.map { 1.36e-3 * (1 - 0.002 * ($0 - 12)) }, mmRate: centre.map { 2.88e-2 * 12 / $0 },
                           fluxEnergyMeV: [1, 2, 3], fluxPerCm2PerSPerMeV: [3e12, 2e12, 1e12], totalFluxPerCm2PerS: 6.4e12,
                           electronsPerKg: 2.6533e26, inputs: [FITSKeyword("FLUXMOD", .string("test"), "test flux")])
    }

    func fit() -> FitProduct {
        let ks = stride(from: -5.0, through: 6.0, by: 0.1).map { $0 }
        return FitProduct(FitResult(method: .chi2, parameterNames: ["kappa", "smNorm"], values: [Self.kappaHat, 1.02],
                                    covariance: [[Self.kappaSigma * Self.kappaSigma, 0.01], [0.01, 0.01]], minimum: 48.0,
                                    ndof: 49, converged: true, covarianceAccurate: true, atLimit: false, iterations: 7,
                                    profile: ks.map { ProfilePoint(kappa: $0, deltaChi2: pow(($0 - Self.kappaHat) / Self.kappaSigma, 2)) }))
    }

    /// Feldman–Cousins acceptance region for a Gaussian measurement x (σ = 1) of μ ≥ 0:
    /// rank x by R = exp(−(x−μ)²/2) / exp(−(x−max(0,x))²/2) and take the highest-R set holding CL.
    static func acceptance(mu: Double, cl: Double) -> (low: Double, high: Double) {
        let dx = 0.002
        let xs = stride(from: mu - 8, through: mu + 8, by: dx).map { $0 }
        let ranked = xs.map { x -> (Double, Double) in
            let r = -0.5 * (x - mu) * (x - mu) + 0.5 * pow(x - max(0, x), 2)
            return (x, r)
        }.sorted { $0.1 > $1.1 }
        var p = 0.0, lo = Double.infinity, hi = -Double.infinity
        for (x, _) in ranked where p < cl {
            p += exp(-0.5 * (x - mu) * (x - mu)) / (2 * Double.pi).squareRoot() * dx
            lo = min(lo, x)
            hi = max(hi, x)
        }
        return (lo <= mu - 8 + dx ? -Double.infinity : lo, hi)
    }

    func limit() -> LimitProduct {
        let s = Self.kappaSigma, grid = stride(from: 0.0, through: 8.0, by: 0.2).map { $0 }
        let belt: LimitProduct.Belt
        if toys {
            // t_obs(κ) = ((κ − κ̂)/σ)² − (κ̂/σ)² (best physical fit at κ = 0); t_c rises from ~1.6 to 2.71.
            let tObs = grid.map { pow(($0 - Self.kappaHat) / s, 2) - pow(Self.kappaHat / s, 2) }
            let tCrit = grid.map { 2.71 - 1.1 * exp(-$0 / s) }
            belt = .toys(.init(kappa: grid, criticalValue: tCrit, observed: tObs,
                               toys: grid.map { _ in 2000 }, failures: grid.map { $0 == 0 ? 3 : 0 }))
        } else {
            let acc = grid.map { Self.acceptance(mu: $0 / s, cl: 0.9) }
            belt = .gaussian(.init(kappa: grid, acceptLow: acc.map { $0.low * s }, acceptHigh: acc.map { $0.high * s }))
        }
        let sens = withSensitivity
            ? LimitProduct.Sensitivity(quantiles: [0.0228, 0.1587, 0.5, 0.8413, 0.9772],
                                       kappaUpper: [1.0, 1.4, 2.1, 3.2, 4.4], pseudoExperiments: 1000)
            : nil
        return LimitProduct(method: toys ? .toys : .gaussian, statistic: toys ? .chi2 : nil, confidenceLevel: 0.9,
                            kappaHat: Self.kappaHat, kappaSigma: s, kappaLower: 0, kappaUpper: Self.kappaUpper,
                            seed: 20030331, belt: belt, sensitivity: sens,
                            failedToys: toys ? 3 : 0, totalToys: toys ? 2000 * grid.count : 0)
    }

    /// Writes the raw inputs and the five typed files with provenance, each naming its parents.
    func writeAll() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let cfg = try config()
        try Data("energy,counts\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/on.csv"))
        try Data("energy,counts\n1,2\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/off.csv"))
        func prov<P: StageProduct>(_ type: P.Type, _ parents: [String]) throws -> Provenance {
            Provenance(kind: P.kind, schemaVersion: P.schemaVersion, configSHA256: cfg.sha256,
                       parents: try parents.map { Provenance.Parent(file: $0, sha256: try SHA256Hex.of(fileAt: $0)) })
        }
        let pair = spectra()
        try ProductStore.write(pair, provenance: try prov(SpectrumPair.self, ["\(dir)/on.csv", "\(dir)/off.csv"]), to: spectraPath)
        let residual = try Subtract().run(pair, config: cfg)
        try ProductStore.write(residual, provenance: try prov(Residual.self, [spectraPath]), to: residualPath)
        try ProductStore.write(templates(residual), provenance: try prov(TemplateSet.self, []), to: templatesPath)
        try ProductStore.write(fit(), provenance: try prov(FitProduct.self, [residualPath, templatesPath]), to: fitPath)
        try ProductStore.write(limit(), provenance: try prov(LimitProduct.self, [fitPath]), to: limitPath)
    }

    func runReport(logY: Bool = false) throws -> [String] {
        try Report().run(config: try config(), spectraPath: spectraPath, residualPath: residualPath,
                         templatesPath: templatesPath, fitPath: fitPath, limitPath: limitPath,
                         outputDirectory: reportDir, logY: logY)
    }

    static func temporary(_ name: String) -> ReportFixtures {
        ReportFixtures(dir: FileManager.default.temporaryDirectory.appendingPathComponent("nmm-report-\(name)-\(UUID().uuidString)").path)
    }
}
