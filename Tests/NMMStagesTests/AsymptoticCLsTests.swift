import Foundation
import NMMCore
@testable import NMMStatistics
import XCTest

/// Asymptotic CLs (`AsymptoticCLs`): the Asimov data set is the model's expectation, unrounded;
/// on a high-count model the limits follow CCGV's Gaussian closed forms; the formulas are
/// pyhf's. (The comparison with pyhf itself is InteropTests/PyhfUpperLimitTests.)
final class AsymptoticCLsTests: XCTestCase {
    /// The TEXONO-like spectrum of the toy tests, Poisson-drawn at κ = 0.5 (κ-only model).
    static func smallModel(exposureScale: Double = 1, seed: UInt64 = 5) throws -> StatisticalModel {
        let input = try TestSpectra.small(kappa: 0.5, exposureScale: exposureScale, poissonSeed: seed)
        return StatisticalModel(legacyInput: input, options: FitOptions(method: .poisson))
    }

    /// The Asimov data set at κ_A is the expectation at the conditional fit: non-integer counts,
    /// loaded as they are (rounding would move the fit), so its own best fit is κ̂ = κ_A with the
    /// nuisances of the generating point, and its global observables are those nuisances.
    func testAsimovDataSetIsTheUnroundedExpectation() throws {
        let model = try ModelTestModels.general()
        let compiled = try CompiledModel(model)
        for statistic in [FitMethod.poisson, .chi2] {
            let observed = ModelProfiler(compiled, statistic: statistic, rule: .expected)
            observed.loadObserved()
            for kappaA in [0.0, 1.3] {
                let asimov = try AsimovDataSet.make(compiled, observed: observed, kappa: kappaA)
                XCTAssertTrue(asimov.on.contains { $0 != $0.rounded() }, "non-integer counts")
                for q in compiled.constrainedParameters { XCTAssertEqual(asimov.globals[q], asimov.parameters[q], "θ̃ = θ̂(κ_A)") }
                let p = ModelProfiler(compiled, statistic: statistic, rule: .expected)
                p.start = asimov.parameters
                p.load(on: asimov.on, off: asimov.off, globals: asimov.globals)
                let best = try XCTUnwrap(p.best())
                let sigma = try XCTUnwrap(p.bestFitKappa()).error
                XCTAssertEqual(best.parameters[0], kappaA, accuracy: 1e-6 * sigma, "\(statistic): κ̂ of the Asimov data set")
                for q in compiled.fittedModifiers {
                    XCTAssertEqual(best.parameters[q], asimov.parameters[q], accuracy: 1e-6, "\(statistic): nuisance \(q)")
                }
                if kappaA == 0 {
                    XCTAssertEqual(p.qTildeValue(atKappa: 0) ?? .nan, 0, accuracy: 1e-9)
                }
            }
        }
    }

    /// q̃ is 0 where κ̂ > κ and t(κ) (κ̂ clipped at 0) elsewhere.
    func testQTildeIsOneSided() throws {
        let compiled = try CompiledModel(try Self.smallModel(exposureScale: 10))
        let p = ModelProfiler(compiled, statistic: .poisson, rule: .expected)
        p.loadObserved()
        let kappaHat = try XCTUnwrap(p.best()).parameters[0]
        XCTAssertGreaterThan(kappaHat, 0)
        XCTAssertEqual(p.qTildeValue(atKappa: 0.5 * kappaHat), 0)
        XCTAssertGreaterThan(p.tValue(atKappa: 0.5 * kappaHat) ?? 0, 0)
        XCTAssertEqual(p.qTildeValue(atKappa: 2 * kappaHat) ?? .nan, p.tValue(atKappa: 2 * kappaHat) ?? 0, accuracy: 1e-12)
    }

    /// pyhf's formulas at chosen (q̃, q̃_A) (`AsymptoticCalculator.teststatistic`, `pvalues`,
    /// `expected_pvalues`, computed by hand): q̃ = 1, q̃_A = 4 gives t = 1 − 2 = −1, CL_{s+b} =
    /// Φ(−1), CL_b = Φ(1); q̃ = 9, q̃_A = 4 gives t = (9 − 4)/4 = 1.25, CL_{s+b} = Φ(−3.25),
    /// CL_b = Φ(−1.25); expected at n: Φ(−(n + 2))/Φ(−n).
    func testPyhfFormulas() {
        let a = AsymptoticCLsCalculator.pValues(q: 1, qA: 4)
        XCTAssertEqual(a.clsb, Distributions.gaussianP(-1), accuracy: 1e-15)
        XCTAssertEqual(a.clb, Distributions.gaussianP(1), accuracy: 1e-15)
        XCTAssertEqual(a.cls, Distributions.gaussianP(-1) / Distributions.gaussianP(1), accuracy: 1e-15)
        let b = AsymptoticCLsCalculator.pValues(q: 9, qA: 4)
        XCTAssertEqual(b.clsb, Distributions.gaussianP(-3.25), accuracy: 1e-15)
        XCTAssertEqual(b.clb, Distributions.gaussianP(-1.25), accuracy: 1e-15)
        for n in [-2.0, -1, 0, 1, 2] {
            XCTAssertEqual(AsymptoticCLsCalculator.expectedCLs(qA: 4, shift: n),
                           Distributions.gaussianP(-(n + 2)) / Distributions.gaussianP(-n), accuracy: 1e-15)
        }
        XCTAssertEqual(AsymptoticCLsCalculator.pValues(q: 0, qA: 0).cls, 1)
    }

    /// At high counts q̃ is the Gaussian ((κ − κ̂)/σ)² (CCGV Sec. 3.7), so the limits have closed
    /// forms: observed κ̂ + σ·Φ⁻¹(1 − α·Φ(κ̂/σ)) and expected σ·(Φ⁻¹(1 − α·Φ(−n)) − n) for the
    /// band at n = +2 … −2 (α = 1 − CL), with σ the curvature error of the fit. The TEXONO-like
    /// spectrum with 10× the exposure (≈ 8000 counts per bin): 2% (the residual non-Gaussianity
    /// of the Poisson likelihood; σ of the observed data vs the Asimov data's).
    func testHighCountLimitsMatchGaussianClosedForms() throws {
        let model = try Self.smallModel(exposureScale: 10)
        let cl = 0.9, alpha = 1 - cl
        let r = try AsymptoticCLs(model: model, confidenceLevel: cl).intervals()[0]
        let compiled = try CompiledModel(model)
        let p = ModelProfiler(compiled, statistic: .poisson, rule: .expected)
        p.loadObserved()
        let fit = try XCTUnwrap(p.bestFitKappa())
        let s = fit.error, k = fit.kappa
        XCTAssertGreaterThan(k, 0, "the closed form below is for κ̂ > 0")
        let observed = k + s * (try Distributions.gaussianQinv(alpha * Distributions.gaussianP(fit.kappa / s)))
        XCTAssertEqual(r.kappaUpper, observed, accuracy: 0.02 * observed, "observed")
        let bands = try XCTUnwrap(r.expected).values
        for (i, n) in AsymptoticCLs.expectedShifts.enumerated() {
            let e = s * (try Distributions.gaussianQinv(alpha * Distributions.gaussianQ(n)) - n)
            XCTAssertEqual(bands[i], e, accuracy: 0.02 * e, "expected at \(n)")
        }
        XCTAssertEqual(bands, bands.sorted(), "−2σ … +2σ ascending")
        XCTAssertEqual(r.method, .asymptotic)
        XCTAssertEqual(r.curves.map(\.name), AsymptoticCLs.curveNames)
        let cls = try XCTUnwrap(r.curves.first { $0.name == "CLS" }).values
        XCTAssertEqual(cls.first ?? 0, 1, accuracy: 1e-6, "CLs(0) = 1")
        XCTAssertTrue(zip(cls, cls.dropFirst()).allSatisfy { $0 >= $1 - 1e-12 }, "CLs falls with κ")
        print("asymptotic CLs, 10× TEXONO-like: κ_up \(r.kappaUpper) (Gaussian \(observed)), expected \(bands)")
    }

    /// The χ² statistic works too (same Asimov convention), and a model with nuisances
    /// (global observables at the fitted values) gives a finite limit above κ̂.
    func testChiSquareAndNuisances() throws {
        for (model, statistic) in [(try Self.smallModel(), FitMethod.chi2), (try ModelTestModels.general(), .poisson),
                                   (try ModelTestModels.general(), .chi2)] {
            let r = try AsymptoticCLs(model: model, options: ModelFitOptions(statistic: statistic)).intervals()[0]
            XCTAssertTrue(r.kappaUpper.isFinite && r.kappaUpper > 0, "\(statistic)")
            let bands = try XCTUnwrap(r.expected).values
            XCTAssertEqual(bands, bands.sorted(), "\(statistic)")
            XCTAssertGreaterThan(bands[0], 0)
        }
    }
}
