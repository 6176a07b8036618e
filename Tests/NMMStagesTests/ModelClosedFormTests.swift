import Foundation
import NMMCore
@testable import NMMStatistics
import XCTest

/// A linear-Gaussian case where every answer is known in closed form (statistics.md §2):
/// high counts (≈ 8·10⁴ per bin, so the χ² is Gaussian), the SM template proportional to the
/// MM one (s_i = c·m_i, so the data measure only μ = c·a + κ) and the SM normalisation a
/// constrained by a Gaussian auxiliary measurement ã = 1 ± σ_a. Then
///     σ_κ² = σ_stat² + (∂κ/∂a·σ_a)² = 1/Σ w_i m_i² + c²σ_a²,
/// the profile is exactly (κ − κ̂)²/σ_κ², and the toys with resampled global observables must
/// give the analytic Feldman–Cousins Gaussian belt with that σ_κ.
/// Without resampling (ã held at 1) each toy at κ_j is drawn at â(κ_j) = 1 − c σ_a² κ_j/σ_κ²
/// (the observed data are the Asimov set at κ = 0) and fitted with the constraint at 1:
/// κ̂* ~ N(κ_j(1 − ρ), (1 − ρ)σ_κ²), ρ = c²σ_a²/σ_κ² — too narrow (and biased low), so t_c is
/// smaller than the FC value near the limit and the limit is low (for ρ ≲ 0.3; here ρ = 0.2).
final class ModelClosedFormTests: XCTestCase {
    static let c = 2.0, rho = 0.2

    struct Setup {
        var model: StatisticalModel
        var sigmaStat: Double
        var sigmaA: Double
        var sigmaKappa: Double
    }

    static func setup() throws -> Setup {
        let lo = (0..<8).map { 12 + 4 * Double($0) }, hi = lo.map { $0 + 4 }
        let mm = zip(lo, hi).map { 0.05 * 12 / (0.5 * ($0 + $1)) }
        let sm = mm.map { c * $0 }
        let t = 2.0e4
        // Asimov data at κ = 0, a = 1, background 1 count/(kg·keV·day).
        let on = sm.map { t * 4 * (1 + $0) }, off = sm.map { _ in t * 4 * 1.0 }
        // σ_stat from the pooled weights of these counts (the rule of the fit below).
        var fisher = 0.0
        for i in 0..<8 {
            let v = FitInput.residualVariance(on: on[i], off: off[i], onScale: t * 4, offScale: t * 4, rule: .pooled)
            fisher += mm[i] * mm[i] / v
        }
        let sigmaStat = 1 / fisher.squareRoot()
        // ρ = c²σ_a²/(σ_stat² + c²σ_a²) ⇒ σ_a = σ_stat √(ρ/(1 − ρ)) / c.
        let sigmaA = sigmaStat * (rho / (1 - rho)).squareRoot() / c
        let d = ModelDataSet(name: "lg", energyLowKeV: lo, energyHighKeV: hi, onCounts: on, offCounts: off,
                             onExposureKgDay: t, offExposureKgDay: t,
                             samples: [ModelSample(name: "sm", role: .known, rate: sm, modifiers: ["smNorm"]),
                                       ModelSample(name: "mm", role: .signal, rate: mm)])
        let model = StatisticalModel(dataSets: [d], modifiers: [.normalisation("smNorm", sigma: sigmaA)])
        return Setup(model: model, sigmaStat: sigmaStat, sigmaA: sigmaA,
                     sigmaKappa: (sigmaStat * sigmaStat + c * c * sigmaA * sigmaA).squareRoot())
    }

    /// The 90% quantile of the toy t when κ̂*/σ_κ ~ N(mean, sd²) at x_j = κ_j/σ_κ (FC ordering
    /// with κ̂ ≥ 0: t = (k − x)² for k ≥ 0, x² − 2xk for k < 0), by bisection on its CDF.
    static func criticalValue(x: Double, mean: Double, sd: Double, cl: Double = 0.9) -> Double {
        func accepted(_ tc: Double) -> Double {
            let r = tc.squareRoot()
            let low = x - r >= 0 ? x - r : (x > 0 ? (x * x - tc) / (2 * x) : -Double.infinity)
            return Distributions.gaussianP((x + r - mean) / sd) - (low.isFinite ? Distributions.gaussianP((low - mean) / sd) : 0)
        }
        var a = 0.0, b = 20.0
        for _ in 0..<200 { let m = 0.5 * (a + b); if accepted(m) < cl { a = m } else { b = m } }
        return 0.5 * (a + b)
    }

    func testProfileErrorIsTheClosedForm() throws {
        let s = try Self.setup()
        let fit = try ModelFit(model: s.model, options: ModelFitOptions(statistic: .chi2, residualErrors: .pooled)).run()
        print("linear-Gaussian: σ_stat = \(s.sigmaStat), σ_a = \(s.sigmaA), closed-form σ_κ = \(s.sigmaKappa), fit \(fit.kappaError)")
        XCTAssertEqual(fit.kappa, 0, accuracy: 1e-10)
        XCTAssertEqual(fit.kappaError, s.sigmaKappa, accuracy: 1e-9 * s.sigmaKappa)
        // The profile is the parabola (κ − κ̂)²/σ_κ² exactly.
        let p = try ModelFit(model: s.model, options: ModelFitOptions(statistic: .chi2, residualErrors: .pooled,
                                                                        profileGrid: KappaGrid(min: -2 * s.sigmaKappa, max: 3 * s.sigmaKappa, points: 6))).run()
        for point in p.profile {
            XCTAssertEqual(point.deltaChi2, pow(point.kappa / s.sigmaKappa, 2), accuracy: 1e-8)
        }
        // The Poisson likelihood agrees at these counts (to the Gaussian approximation's 1%).
        let poisson = try ModelFit(model: s.model, options: ModelFitOptions(statistic: .poisson)).run()
        XCTAssertEqual(poisson.kappaError, s.sigmaKappa, accuracy: 0.01 * s.sigmaKappa)
    }

    /// The belt with and without resampled global observables against the closed forms, and the
    /// direction statistics.md §2 states. 4000 toys per grid point: t_c carries ≈ 0.07 (MC).
    func testToyBeltsAgainstClosedForms() throws {
        let s = try Self.setup()
        let xs = [0, 0.4, 0.8, 1.2, 1.6, 2.0, 2.4]
        let fc = try FeldmanCousinsGaussian(cl: 0.9)
        var belts: [Bool: ToyBelt] = [:]
        for resample in [true, false] {
            let cfg = ToyConfiguration(kappaGrid: xs.map { $0 * s.sigmaKappa }, toysPerPoint: 4000, seed: 1998,
                                       statistic: .chi2, threads: 2, toysPerBlock: 200, resampleGlobalObservables: resample)
            belts[resample] = try ModelToys(model: s.model, options: ModelFitOptions(statistic: .chi2, residualErrors: .pooled),
                                            configuration: cfg).belt()
        }
        let with = try XCTUnwrap(belts[true]), without = try XCTUnwrap(belts[false])
        var meanWith = 0.0, meanWithout = 0.0, lowerBy = 0.0
        for (j, x) in xs.enumerated() {
            let d = fc.acceptanceRegion(mu: x).upper - x
            let exactWith = d * d
            let exactWithout = Self.criticalValue(x: x, mean: x * (1 - Self.rho), sd: (1 - Self.rho).squareRoot())
            // The analytic resampled value is also this formula with ρ = 0.
            XCTAssertEqual(Self.criticalValue(x: x, mean: x, sd: 1), exactWith, accuracy: 1e-6)
            print(String(format: "x = %.1f: t_c resampled %.3f (FC %.3f), held %.3f (closed form %.3f)",
                         x, with.criticalValues[j], exactWith, without.criticalValues[j], exactWithout))
            XCTAssertEqual(with.criticalValues[j], exactWith, accuracy: 0.25, "resampled, x = \(x)")
            XCTAssertEqual(without.criticalValues[j], exactWithout, accuracy: 0.25, "held, x = \(x)")
            meanWith += (with.criticalValues[j] - exactWith) / Double(xs.count)
            meanWithout += (without.criticalValues[j] - exactWithout) / Double(xs.count)
            if x >= 1.2 && x <= 2.0 { lowerBy += (with.criticalValues[j] - without.criticalValues[j]) / 3 }
        }
        XCTAssertEqual(meanWith, 0, accuracy: 0.1)
        XCTAssertEqual(meanWithout, 0, accuracy: 0.1)
        // Near the limit the held constraint gives a smaller t_c: closed form ≈ 0.2 lower; the MC
        // error of this mean of differences (same counts in both belts) is ≈ 0.03.
        let exactLowerBy = [1.2, 1.6, 2.0].map { x -> Double in
            let d = fc.acceptanceRegion(mu: x).upper - x
            return d * d - Self.criticalValue(x: x, mean: x * (1 - Self.rho), sd: (1 - Self.rho).squareRoot())
        }.reduce(0, +) / 3
        print("t_c(resampled) − t_c(held) near the limit: \(lowerBy) (closed form \(exactLowerBy))")
        XCTAssertGreaterThan(lowerBy, 0.1)
        XCTAssertEqual(lowerBy, exactLowerBy, accuracy: 0.1)
        // The upper limits: the FC Gaussian one (x̂ = 0) with resampling, lower without.
        let upWith = try XCTUnwrap(with.interval).upper / s.sigmaKappa
        let upWithout = try XCTUnwrap(without.interval).upper / s.sigmaKappa
        let exact = fc.upperLimit(measured: 0, sigma: 1)
        print("κ_up/σ_κ: resampled \(upWith), held \(upWithout) (\(100 * (upWithout / upWith - 1))%), FC Gaussian \(exact)")
        XCTAssertEqual(upWith, exact, accuracy: 0.08)
        XCTAssertLessThan(upWithout, upWith - 0.02)
        XCTAssertTrue(with.resampleGlobalObservables)
        XCTAssertFalse(without.resampleGlobalObservables)
    }
}
