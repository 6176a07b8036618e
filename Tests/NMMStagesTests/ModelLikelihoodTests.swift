import Foundation
import NMMCore
@testable import NMMStatistics
import XCTest

/// The model likelihood: analytic gradient and Hessian against finite differences on a model
/// with every feature (two data sets, shared, log-normal, shape, ON-only and fixed modifiers),
/// the fit's basic properties, and validation.
final class ModelLikelihoodTests: XCTestCase {
    func testGradientAndHessianMatchFiniteDifferences() throws {
        let model = try ModelTestModels.general()
        for (statistic, rule) in [(FitMethod.poisson, ResidualErrorRule.pooled), (.chi2, .observedCounts), (.chi2, .pooled),
                                  (.chi2, .expected)] {
            let l = try ModelLikelihood(model: model, statistic: statistic, residualErrors: rule)
            XCTAssertEqual(l.parameterNames, ["kappa", "flux", "eff", "spectrum", "lineNorm"])
            // Both branches of the shape interpolation.
            for point in [[1.3, 1.05, 0.9, 0.4, 0.02], [0.7, 0.97, 1.1, -0.6, 0.04]] {
                let (v, g) = try l.evaluate(point)
                let h = try l.hessian(point)
                XCTAssertTrue(v.isFinite)
                for k in point.indices {
                    let step = 1e-6 * max(abs(point[k]), 0.1)
                    var up = point, down = point
                    up[k] += step
                    down[k] -= step
                    let (vu, gu) = try l.evaluate(up), (vd, gd) = try l.evaluate(down)
                    let fd = (vu - vd) / (2 * step)
                    XCTAssertEqual(g[k], fd, accuracy: 1e-5 * max(1, abs(fd)), "\(statistic) \(rule) ∂/∂\(l.parameterNames[k])")
                    for m in point.indices {
                        let fdh = (gu[m] - gd[m]) / (2 * step)
                        XCTAssertEqual(h[m][k], fdh, accuracy: 1e-4 * max(1, abs(fdh)),
                                       "\(statistic) \(rule) ∂²/∂\(l.parameterNames[m])∂\(l.parameterNames[k])")
                    }
                }
            }
            // Outside the domain: the signal's normalisations and log-normal ones must be > 0.
            XCTAssertEqual(try l.evaluate([1, 1, -0.1, 0, 0]).value, .infinity)
            XCTAssertEqual(try l.evaluate([1, 0, 1, 0, 0]).value, .infinity)
        }
    }

    func testFitOfTheGeneralModel() throws {
        let model = try ModelTestModels.general()
        for statistic in FitMethod.allCases {
            let r = try ModelFit(model: model, options: ModelFitOptions(statistic: statistic)).run()
            XCTAssertEqual(r.parameterNames, ["kappa", "flux", "eff", "spectrum", "lineNorm"])
            XCTAssertTrue(r.converged)
            XCTAssertTrue(r.covarianceAccurate)
            // 11 bins + 3 constraint terms − 5 parameters.
            XCTAssertEqual(r.ndof, 9)
            // The profile is 0 at κ̂ (a grid through it) and rises both ways.
            let k = r.kappa, s = r.kappaError
            let fit = try ModelFit(model: model, options: ModelFitOptions(statistic: statistic,
                                                                            profileGrid: KappaGrid(min: k - s, max: k + s, points: 3)))
            let p = try fit.run().profile
            XCTAssertEqual(p[1].deltaChi2, 0, accuracy: 1e-9)
            // Δ(−2 ln L) at ±1σ ≈ 1 (the likelihood is close to parabolic here).
            XCTAssertEqual(p[0].deltaChi2, 1, accuracy: 0.15, "\(statistic)")
            XCTAssertEqual(p[2].deltaChi2, 1, accuracy: 0.15, "\(statistic)")
            // The conditional fit at κ̂ is the best fit.
            let c = try fit.conditional(atKappa: k)
            XCTAssertEqual(c.minimum, r.minimum, accuracy: 1e-9)
            XCTAssertEqual(c.parameterNames, ["flux", "eff", "spectrum", "lineNorm"])
            for (a, b) in zip(c.values, r.values.dropFirst()) { XCTAssertEqual(a, b, accuracy: 1e-6) }
            print("general model \(statistic): κ̂ = \(k) ± \(s), pulls \(zip(r.parameterNames, r.values).map { "\($0)=\($1)" })")
        }
    }

    func testInvalidModelsAreRefused() throws {
        var m = try ModelTestModels.general()
        m.dataSets[0].samples[0].modifiers.append("nope")
        XCTAssertThrowsError(try ModelFit(model: m))
        m = try ModelTestModels.general()
        m.globalObservables["lineNorm"] = 1
        XCTAssertThrowsError(try ModelFit(model: m), "global observable of a free modifier")
        m = try ModelTestModels.general()
        m.globalObservables["eff"] = -1
        XCTAssertThrowsError(try ModelFit(model: m), "log-normal global observable ≤ 0")
        m = try ModelTestModels.general()
        m.dataSets[0].samples[1].modifiers.append("flux")
        XCTAssertThrowsError(try ModelFit(model: m), "a modifier named twice on one sample")
    }
}

extension ModelLikelihoodTests {
    /// The prediction at the best fit is the model's own S_i: for χ² the residual rate the fit
    /// saw, whose weighted residuals give the minimum.
    func testPredictionAtTheBestFit() throws {
        let model = try ModelTestModels.general()
        let fit = try ModelFit(model: model, options: ModelFitOptions(statistic: .chi2, residualErrors: .observedCounts)).run()
        let pred = try model.prediction(fit)
        XCTAssertEqual(pred.map(\.dataSet), ["period0", "period1"])
        XCTAssertEqual(pred[1].samples.map(\.name), ["sm", "mm", "line"])
        var chi2 = 0.0
        for (d, set) in model.dataSets.enumerated() {
            let input = try set.fitInput(smRate: set.samples[0].rate, mmRate: set.samples[1].rate)
            let y = input.residualRate, e = input.residualError(rule: .observedCounts)
            for i in 0..<set.binCount { chi2 += pow((y[i] - pred[d].total[i]) / e[i], 2) }
        }
        for (k, name) in fit.parameterNames.enumerated() where name != "kappa" && name != "lineNorm" {
            let m = try XCTUnwrap(model.modifier(named: name))
            chi2 += m.constraint.penalty(fit.values[k], globalObservable: model.globalObservable(of: m))
        }
        XCTAssertEqual(chi2, fit.minimum, accuracy: 1e-9 * fit.minimum)
        // κ scales the signal sample only.
        let at0 = try model.prediction(["kappa": 0])
        XCTAssertEqual(at0[0].samples[1].rate, [Double](repeating: 0, count: 6))
        XCTAssertThrowsError(try model.prediction(["nope": 1]))
    }
}

extension ModelLikelihoodTests {
    /// The engine's Poisson −2 ln L equals the explicit-parameter likelihood (the function the
    /// pyhf export is checked against, written independently) with the backgrounds profiled, up
    /// to the saturated terms 2(n ln n − n), at points on both sides of the shape interpolation.
    func testPoissonAgreesWithTheExplicitLikelihood() throws {
        let model = try ModelTestModels.general()
        let l = try ModelLikelihood(model: model, statistic: .poisson)
        let saturated = model.dataSets.reduce(0.0) { sum, d in
            (d.onCounts + d.offCounts).reduce(sum) { $0 + ($1 > 0 ? 2 * ($1 * log($1) - $1) : 0) }
        }
        for values in [[1.3, 1.05, 0.9, 0.4, 0.02], [0.7, 0.97, 1.1, -0.6, 0.04], [0, 1, 1, 0, 0]] {
            var point = ModelParameterPoint(kappa: values[0], backgroundRates: [], globalObservables: model.globalObservables)
            for (k, name) in l.parameterNames.enumerated().dropFirst() { point.modifiers[name] = values[k] }
            point.backgroundRates = model.profiledBackgroundRates(at: point)
            let explicit = model.minusTwoLogLikelihood(at: point, constants: .omitted) + saturated
            XCTAssertEqual(try l.evaluate(values).value, explicit, accuracy: 1e-10 * abs(saturated), "\(values)")
        }
    }
}
