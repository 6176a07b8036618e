import Foundation
import NMMTestSupport
import XCTest
@testable import NMMCore
@testable import NMMStages
@testable import NMMStatistics

/// The numbers behind the figures, checked by hand.
final class ReportPieceTests: XCTestCase {
    func testChiSquareQuantileForOneDegreeOfFreedom() {
        // PDG Statistics review, Table 40.2: Δχ² = 1.00, 2.71, 3.84 for 68.27%, 90%, 95% (one parameter).
        XCTAssertEqual(ChiSquareOneDoF.quantile(0.6827), 1.0, accuracy: 1e-3)
        XCTAssertEqual(ChiSquareOneDoF.quantile(0.9), 2.7055, accuracy: 1e-4)
        XCTAssertEqual(ChiSquareOneDoF.quantile(0.95), 3.8415, accuracy: 1e-4)
        XCTAssertEqual(ChiSquareOneDoF.quantile(0.99), 6.6349, accuracy: 1e-4)
    }

    func testSpectrumRatesAndZeroCountRule() {
        let s = RawSpectrum(energyLowKeV: [10, 12], energyHighKeV: [12, 13], counts: [40, 0], liveTimeDays: 10, massKg: 2,
                            sourceFile: "x")
        let r = SpectraFigure.rates(s, exposureKgDay: 20)
        XCTAssertEqual(r.energyKeV, [11, 12.5])
        XCTAssertEqual(r.rate, [1, 0])                                  // 40/(20·2), 0/(20·1)
        XCTAssertEqual(r.error[0], 40.0.squareRoot() / 40, accuracy: 1e-15)
        XCTAssertEqual(r.error[1], 1.0 / 20, accuracy: 1e-15)           // empty bin: error of one count
    }

    func testBestFitCurveUsesNormalisationsAndBackground() throws {
        let f = ReportFixtures.temporary("bf")
        let pair = f.spectra()
        let residual = try Subtract().run(pair, config: try f.config())
        var fit = f.fit()
        let t = f.templates(residual)
        var inputs = ReportInputs(spectra: pair, residual: residual, templates: t, fit: fit, limit: f.limit(), files: [])
        var curve = ResidualFigure.bestFit(inputs)
        XCTAssertEqual(curve[0], 1.02 * t.smRate[0] + ReportFixtures.kappaHat * t.mmRate[0], accuracy: 1e-15)
        fit.result.parameterNames += ["fluxNorm", "bgConstPerKgKeVDay", "bgSlopePerKgKeV2Day"]
        fit.result.values += [0.9, 0.01, 0.001]
        inputs.fit = fit
        curve = ResidualFigure.bestFit(inputs)
        // Fitted bins span 12–64 keV, so E_ref = 38 keV; the first bin's centre is 12.5 keV.
        let expected = 0.9 * (1.02 * t.smRate[0] + ReportFixtures.kappaHat * t.mmRate[0]) + 0.01 + 0.001 * (12.5 - 38)
        XCTAssertEqual(curve[0], expected, accuracy: 1e-15)
    }

    func testSensitivityScalingAndPublishedExposures() {
        XCTAssertEqual(SensitivityFigure.scaled(1e-10, from: 100, to: 1600), 0.5e-10, accuracy: 1e-22)  // 16^(−1/4) = 1/2
        let byName = Dictionary(uniqueKeysWithValues: PublishedLimit.all.map { ($0.name, $0) })
        XCTAssertEqual(byName["TEXONO-KS 2003"]!.exposureKgDay, 208.1, accuracy: 0.05)
        XCTAssertEqual(byName["TEXONO-KS 2007"]!.exposureKgDay, 605, accuracy: 0.5)
        XCTAssertEqual(byName["MUNU 2005"]!.exposureKgDay, 759, accuracy: 0.5)
        XCTAssertEqual(byName["GEMMA 2007"]!.exposureKgDay, 387.5, accuracy: 0.05)
        let s = LimitProduct.Sensitivity(quantiles: [0.0228, 0.1587, 0.5, 0.8413, 0.9772], kappaUpper: [1, 2, 3, 4, 5],
                                         pseudoExperiments: 10)
        XCTAssertEqual(SensitivityFigure.kappa(at: 0.1587, s), 2)
        XCTAssertNil(SensitivityFigure.kappa(at: 0.3, s))
    }

    func testNumberFormats() {
        XCTAssertEqual(ReportText.valueWithError(-0.4, 1.3), "−0.4 ± 1.3")
        XCTAssertEqual(ReportText.valueWithError(0.0123, 0.0045), "0.0123 ± 0.0045")
        XCTAssertEqual(ReportText.mu(1.3e-10), "1.3×10⁻¹⁰")
        XCTAssertEqual(ReportText.general(208.08), "208.1")
        XCTAssertEqual(ReportText.general(1.69), "1.69")
        XCTAssertEqual(ReportText.general(6.4e12), "6.4×10¹²")
        XCTAssertEqual(ReportText.general(2.9e-5), "2.9×10⁻⁵")
        XCTAssertEqual(ReportText.percent(0.9), "90%")
        XCTAssertEqual(ReportText.number(.nan, decimals: 2), "n/a")
    }

    func testFeldmanCousinsFixtureBeltMatchesThePaper() {
        // Feldman & Cousins (1998) Table X, 90%: x = 0 → upper limit 1.64σ; the acceptance region at
        // μ = 1.64 then starts at x = 0 (within the grid step). Checks the test fixture itself.
        let acc = ReportFixtures.acceptance(mu: 1.64, cl: 0.9)
        XCTAssertEqual(acc.low, 0, accuracy: 0.02)
        XCTAssertEqual(ReportFixtures.acceptance(mu: 0, cl: 0.9).low, -.infinity)
        XCTAssertEqual(ReportFixtures.acceptance(mu: 0, cl: 0.9).high, 1.28, accuracy: 0.01)
    }
}

/// Odd but legal inputs must still give well-formed figures without NaN coordinates.
final class ReportEdgeCaseTests: XCTestCase {
    func testDegenerateProductsGiveWellFormedFigures() throws {
        let f = ReportFixtures.temporary("edge")
        let pair = f.spectra()
        let residual = try Subtract().run(pair, config: try f.config())
        var fit = f.fit()
        fit.result.profile = []
        var limit = f.limit()
        limit.kappaUpper = 0                       // μ limit 0: nothing to draw on log axes
        limit.sensitivity = nil
        if case .gaussian(var b) = limit.belt {
            b.acceptHigh[3] = .nan
            limit.belt = .gaussian(b)
        }
        let inputs = ReportInputs(spectra: pair, residual: residual, templates: f.templates(residual), fit: fit,
                                  limit: limit, files: [])
        for logY in [false, true] {
            for (name, svg) in Report().figures(inputs, config: try f.config(), logY: logY) {
                XCTAssertTrue(SVGProbe(svg).isWellFormed, name)
                XCTAssertFalse(svg.lowercased().contains("nan"), name)
                XCTAssertFalse(svg.contains("inf"), name)
            }
        }
        let html = IndexPage().html(inputs, config: try f.config(), figures: [])
        XCTAssertTrue(SVGProbe(html).isWellFormed)
    }
}
