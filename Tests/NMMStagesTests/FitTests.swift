import Foundation
import NMMCore
@testable import NMMStages
@testable import NMMStatistics
import XCTest

final class FitTests: XCTestCase {
    private let nuisanceOptions: [FitOptions] = [
        FitOptions(),
        FitOptions(background: .flat),
        FitOptions(background: .linear, smNormalisation: .gaussian(mean: 1, sigma: 0.3)),
        FitOptions(background: .flat, smNormalisation: .gaussian(mean: 1, sigma: 0.3),
                   fluxNormalisation: .gaussian(mean: 1, sigma: 0.1)),
    ]

    func testAsimovRecoversInjectedKappa() throws {
        let input = try TestSpectra.texonoLike(kappa: 2.5)
        for var options in nuisanceOptions {
            options.profileGrid = KappaGrid(min: 0, max: 5, points: 3)
            let chi2 = try ChiSquareFit(input: input, options: options).run()
            XCTAssertEqual(chi2.kappa, 2.5, accuracy: 1e-6, "\(options)")
            XCTAssertEqual(chi2.minimum, 0, accuracy: 1e-8)
            XCTAssertTrue(chi2.converged)
            let closed = try ChiSquareFit(input: input, options: options).closedForm()
            XCTAssertEqual(closed.kappa, 2.5, accuracy: 1e-6)
            options.method = .poisson
            let pois = try PoissonOnOffFit(input: input, options: options).run()
            XCTAssertEqual(pois.kappa, 2.5, accuracy: 1e-4, "\(options)")
            XCTAssertEqual(pois.minimum, 0, accuracy: 1e-6)
            XCTAssertTrue(pois.converged)
        }
    }

    func testClosedFormAgreesWithGSL() throws {
        for seed: UInt64 in [1, 2, 3] {
            let input = try TestSpectra.texonoLike(kappa: 1, poissonSeed: seed)
            for options in nuisanceOptions {
                let gsl = try ChiSquareFit(input: input, options: options).run()
                let closed = try ChiSquareFit(input: input, options: options).closedForm()
                XCTAssertEqual(gsl.parameterNames, closed.parameterNames)
                XCTAssertEqual(gsl.minimum, closed.minimum, accuracy: 1e-7)
                for k in 0..<gsl.values.count {
                    XCTAssertEqual(gsl.values[k], closed.values[k], accuracy: 1e-6 * max(gsl.errors[k], 1e-3))
                    XCTAssertEqual(gsl.errors[k], closed.errors[k], accuracy: 1e-4 * gsl.errors[k])
                }
            }
        }
    }

    func testChiSquareAndPoissonAgreeOnHighCounts() throws {
        // 100× the TEXONO exposure: ~20 000 ON and ~5 500 OFF counts per bin.
        for seed: UInt64 in [11, 12] {
            let input = try TestSpectra.texonoLike(kappa: 0.3, exposureScale: 100, poissonSeed: seed)
            let chi2 = try ChiSquareFit(input: input, options: FitOptions()).run()
            let pois = try PoissonOnOffFit(input: input, options: FitOptions(method: .poisson)).run()
            print("high counts seed \(seed): chi2 κ = \(chi2.kappa) ± \(chi2.kappaError); poisson κ = \(pois.kappa) ± \(pois.kappaError)")
            XCTAssertEqual(chi2.kappa, pois.kappa, accuracy: 0.05 * chi2.kappaError)
            XCTAssertEqual(chi2.kappaError, pois.kappaError, accuracy: 0.03 * chi2.kappaError)
        }
    }

    func testTexonoLikeKappaError() throws {
        let input = try TestSpectra.texonoLike()
        let chi2 = try ChiSquareFit(input: input, options: FitOptions(residualErrors: .pooled)).run()
        let flat = try ChiSquareFit(input: input, options: FitOptions(background: .flat, residualErrors: .pooled)).run()
        let pois = try PoissonOnOffFit(input: input, options: FitOptions(method: .poisson)).run()
        print("TEXONO-like σ_κ: chi2 \(chi2.kappaError), chi2+flat bg \(flat.kappaError), poisson \(pois.kappaError); "
              + "ndof \(chi2.ndof); (TEXONO 2003 published stat error 1.3)")
        XCTAssertEqual(chi2.ndof, 51)
        // κ-only weighted least squares: σ_κ = (Σ MM_i² / σ_i²)^(−1/2) with the residual errors
        // (pooled, the default); the GSL nlinear covariance must reproduce it.
        let fisher = zip(input.mmRate, input.residualError(rule: .pooled)).reduce(0) { $0 + $1.0 * $1.0 / ($1.1 * $1.1) }
        XCTAssertEqual(chi2.kappaError, 1 / fisher.squareRoot(), accuracy: 1e-6 * chi2.kappaError)
        XCTAssertGreaterThan(flat.kappaError, chi2.kappaError)
        XCTAssertEqual(pois.kappaError, chi2.kappaError, accuracy: 0.1 * chi2.kappaError)
    }

    func testFitResultContents() throws {
        let input = try TestSpectra.texonoLike(kappa: 1, poissonSeed: 7)
        let options = FitOptions(smNormalisation: .gaussian(mean: 1, sigma: 0.5))
        let r = try ChiSquareFit(input: input, options: options).run()
        XCTAssertEqual(r.parameterNames, ["kappa", "smNorm"])
        XCTAssertEqual(r.ndof, 52 + 1 - 2)
        XCTAssertEqual(r.pValue, Distributions.chiSquareQ(r.minimum, dof: Double(r.ndof)), accuracy: 1e-12)
        XCTAssertTrue(r.covarianceAccurate)
        XCTAssertEqual(r.profile.count, 41)
        // Linear model: the profile is the parabola (κ − κ̂)²/σ².
        for p in r.profile {
            let expected = pow((p.kappa - r.kappa) / r.kappaError, 2)
            XCTAssertEqual(p.deltaChi2, expected, accuracy: 1e-5 * (1 + expected))
        }
        XCTAssertEqual(r.profile[20].deltaChi2, 0, accuracy: 1e-8)
    }

    func testPoissonNewtonMatchesGSL() throws {
        let input = try TestSpectra.texonoLike(kappa: -0.5, poissonSeed: 21)
        for options in [FitOptions(method: .poisson),
                        FitOptions(smNormalisation: .gaussian(mean: 1, sigma: 0.2),
                                   fluxNormalisation: .gaussian(mean: 1, sigma: 0.1), method: .poisson)] {
            let fit = try PoissonOnOffFit(input: input, options: options)
            let gsl = try fit.run()
            let newton = PoissonProfiler(model: fit.model)
            newton.load(on: input.onCounts, off: input.offCounts)
            let s = try XCTUnwrap(newton.fit(fixedKappa: nil))
            XCTAssertEqual(s.deviance, gsl.minimum, accuracy: 1e-6)
            XCTAssertEqual(s.point.kappa, gsl.kappa, accuracy: 1e-3 * gsl.kappaError)
            XCTAssertEqual(s.kappaVariance.squareRoot(), gsl.kappaError, accuracy: 1e-6 * gsl.kappaError)
            XCTAssertEqual(try fit.profiledDeviance(atKappa: 1), newton.fit(fixedKappa: 1)!.deviance, accuracy: 1e-6)
        }
    }

    func testNegativeKappaAndLowCounts() throws {
        // Few counts, many zero bins: κ̂ may be negative, the fit must still work.
        let input = try TestSpectra.texonoLike(kappa: 0, exposureScale: 0.01, poissonSeed: 3)
        XCTAssertTrue(input.onCounts.contains(0))
        let pois = try PoissonOnOffFit(input: input, options: FitOptions(method: .poisson)).run()
        XCTAssertTrue(pois.converged)
        XCTAssertTrue(pois.kappa.isFinite && pois.kappaError.isFinite)
        let chi2 = try ChiSquareFit(input: input, options: FitOptions()).run()
        XCTAssertTrue(chi2.kappa.isFinite)
        print("low counts: poisson κ = \(pois.kappa) ± \(pois.kappaError), chi2 κ = \(chi2.kappa) ± \(chi2.kappaError); notes \(pois.notes)")
    }

    func testDegenerateNormalisationsFlagCovariance() throws {
        // f and a both free: only f·a and f·κ are determined.
        let input = try TestSpectra.texonoLike(kappa: 1, poissonSeed: 4)
        let r = try ChiSquareFit(input: input, options: FitOptions(smNormalisation: .free, fluxNormalisation: .free,
                                                                   profileGrid: KappaGrid(min: 0, max: 1, points: 2))).run()
        XCTAssertFalse(r.covarianceAccurate)
    }

    func testInvalidInputIsRejected() throws {
        XCTAssertThrowsError(try FitInput(energyLowKeV: [1, 2], energyHighKeV: [2], onCounts: [1, 1], offCounts: [1, 1],
                                          onExposureKgDay: 1, offExposureKgDay: 1, smRate: [0, 0], mmRate: [1, 1]))
        XCTAssertThrowsError(try FitInput(energyLowKeV: [1], energyHighKeV: [2], onCounts: [-1], offCounts: [1],
                                          onExposureKgDay: 1, offExposureKgDay: 1, smRate: [0], mmRate: [1]))
        XCTAssertThrowsError(try FitInput(energyLowKeV: [1], energyHighKeV: [2], onCounts: [1], offCounts: [1],
                                          onExposureKgDay: 0, offExposureKgDay: 1, smRate: [0], mmRate: [1]))
        let input = try TestSpectra.texonoLike()
        XCTAssertThrowsError(try ChiSquareFit(input: input, options: FitOptions(smNormalisation: .gaussian(mean: 1, sigma: 0))))
    }

    func testZeroCountRule() throws {
        let input = try FitInput(energyLowKeV: [1], energyHighKeV: [3], onCounts: [0], offCounts: [4],
                                 onExposureKgDay: 10, offExposureKgDay: 5, smRate: [0], mmRate: [1])
        // σ² = max(0,1)/(10·2)² + 4/(5·2)²
        XCTAssertEqual(input.residualError[0], (1.0 / 400 + 4.0 / 100).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(input.residualRate[0], -0.4, accuracy: 1e-15)
    }
}

final class EstimatorBiasTests: XCTestCase {
    /// Mean κ̂ over pseudo-experiments at κ = 0 with TEXONO-like statistics. The Poisson
    /// ON/OFF estimator is unbiased; the Neyman χ² (errors from the observed counts, as
    /// `FitInput.residualError` defines them) is biased upward because a downward OFF
    /// fluctuation both raises the residual and shrinks its error.
    func testEstimatorBias() throws {
        let asimov = try TestSpectra.texonoLike()
        let chi2 = ChiSquareProfiler(model: FitModel(input: asimov, options: FitOptions(residualErrors: .observedCounts),
                                                     method: .chi2))
        let pooled = ChiSquareProfiler(model: FitModel(input: asimov, options: FitOptions(residualErrors: .pooled),
                                                       method: .chi2))
        let pois = PoissonProfiler(model: FitModel(input: asimov, options: FitOptions(), method: .poisson))
        let m = 300
        var sc = 0.0, spooled = 0.0, sp = 0.0, sigma = 0.0
        for e in 0..<m {
            let d = try TestSpectra.texonoLike(poissonSeed: 9000 + UInt64(e))
            for prof in [chi2, pooled, pois] as [any ProfileStatistic] { prof.load(on: d.onCounts, off: d.offCounts) }
            let c = try XCTUnwrap(chi2.bestFitKappa()), q = try XCTUnwrap(pooled.bestFitKappa())
            let p = try XCTUnwrap(pois.bestFitKappa())
            sc += c.kappa
            spooled += q.kappa
            sp += p.kappa
            sigma += p.error / Double(m)
        }
        let biasChi2 = sc / Double(m), biasPooled = spooled / Double(m), biasPoisson = sp / Double(m)
        let se = sigma / Double(m).squareRoot()
        print("TEXONO-like bias of κ̂ at κ = 0 (\(m) pseudo-experiments, σ_κ ≈ \(sigma)): "
              + "χ² observed-count errors \(biasChi2) (\(biasChi2 / sigma) σ), χ² pooled errors \(biasPooled) "
              + "(\(biasPooled / sigma) σ), Poisson \(biasPoisson) (\(biasPoisson / sigma) σ), MC error \(se)")
        XCTAssertEqual(biasPooled, 0, accuracy: 4 * se)
        XCTAssertEqual(biasPoisson, 0, accuracy: 4 * se)
        XCTAssertGreaterThan(biasChi2, 4 * se)
    }
}
