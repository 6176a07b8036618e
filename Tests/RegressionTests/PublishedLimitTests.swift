import Foundation
import XCTest
@testable import NMMStages
@testable import NMMStatistics

/// Reproduces the published reactor limits (physics.md §7) two ways: the limit machinery
/// alone from a published fit summary, and the whole pipeline from fixtures built only from
/// the published inputs (Fixtures/<experiment>/README.md lists every input and assumption).
final class PublishedLimitTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    // MARK: from the published fit summary

    /// TEXONO-KS 2003 (Li et al., PRL 90 (2003) 131802): κ = −0.4 ± 1.3 (stat) gives
    /// μ_ν < 1.3e-10 μ_B at 90% CL and < 1.0e-10 at 68% CL with the Gaussian FC belt.
    func testTexono2003SummaryReproducesBothPublishedLimits() throws {
        let l90 = try SummaryLimit.compute(kappa: -0.4, statError: 1.3, sysError: 0, cl: 0.9)
        XCTAssertEqual(l90.muLimitBohr, 1.3e-10, accuracy: 0.05 * 1.3e-10)
        let l68 = try SummaryLimit.compute(kappa: -0.4, statError: 1.3, sysError: 0, cl: 0.6827)
        XCTAssertEqual(l68.muLimitBohr, 1.0e-10, accuracy: 0.05 * 1.0e-10)
        // Adding the published systematic error (±0.4) in quadrature loosens the limit.
        let sys = try SummaryLimit.compute(kappa: -0.4, statError: 1.3, sysError: 0.4, cl: 0.9)
        XCTAssertGreaterThan(sys.muLimitBohr, l90.muLimitBohr)
        XCTAssertLessThan(sys.muLimitBohr, 1.45e-10)
        // Radiative-decay bound, seed Eq. 7: TEXONO quotes τm³ > 1.2e19 eV³ s for this limit.
        XCTAssertEqual(l90.tauM3Bound, 1.2e19, accuracy: 0.15e19)
    }

    // MARK: from the published inputs, the whole pipeline

    func run(_ experiment: String) throws -> RegressionRun.Row {
        let build = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-regr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: build) }
        // Cheap but honest toy settings: the band's quantiles carry ≈ ±5% Monte Carlo error.
        let settings = LimitSettings(method: .toys, confidenceLevel: 0.9, seed: 20050101, toysPerPoint: 300,
                                     gridPoints: 30, sensitivityToys: 400)
        let row = try RegressionRun(configPath: Self.root.appendingPathComponent("config/\(experiment).yaml").path,
                                    buildRoot: build.path, settings: settings).run()
        print("regression \(experiment): published \(row.publishedMuBohr), Asimov \(row.asimovMuBohr) (ratio \(row.ratio)), "
              + "σ_κ \(row.asimovKappaSigma), expected band \(row.expectedMuBohr)")
        XCTAssertEqual(row.expectedMuBohr.count, 5)
        // χ² and Poisson fits agree on the same data within a fraction of σ_κ, for each belt.
        for method in ["gaussian", "toys"] {
            let limits = row.dataLimits.filter { $0.limit == method }.map(\.muBohr)
            XCTAssertLessThan((limits.max()! - limits.min()!) / limits.max()!, 0.2, "\(method): \(row.dataLimits)")
        }
        // The Gaussian and toy belts agree within 20% without nuisances (low counts: the toy belt
        // uses the Poisson distribution of the actual counts); a log-normal efficiency of ±30%
        // (MUNU) makes κ̂ non-Gaussian and the toy belt is then the trustworthy one (up to ≈ 30% looser).
        let spread = (row.dataLimits.map(\.muBohr).max()! - row.dataLimits.map(\.muBohr).min()!) / row.dataLimits.map(\.muBohr).max()!
        XCTAssertLessThan(spread, experiment == "munu2005" ? 0.3 : 0.2, "\(row.dataLimits)")
        return row
    }

    func testTexono2003FromPublishedInputs() throws {
        let row = try run("texono2003")
        XCTAssertTrue(row.publishedInsideOneSigma, "published 1.3e-10 outside nmm's ±1σ band \(row.expectedMuBohr)")
        XCTAssertLessThan(row.ratio, 1.5)
        XCTAssertGreaterThan(row.ratio, 1 / 1.5)
        // Published statistical error on κ: 1.3 (physics.md §7, recon). nmm's, from the published
        // live times and background level, is larger (≈ 1.73: the OFF spectrum's 55 counts per
        // bin dominate); a known deviation of the inputs we have, kept visible here.
        // Hand estimate: background-dominated σ_κ ∝ √(1/t_on + 1/t_off); the Fisher σ of 50 flat
        // 1-keV bins at 1 count/(kg·keV·day) with the 1/T MM template is ≈ 1.7, i.e. 1.33 × 1.3.
        XCTAssertEqual(row.asimovKappaSigma / 1.3, 1.33, accuracy: 0.05)
    }

    /// MUNU with its shipped systematics (efficiency ±30% log-normal, flux ±3%, the spectrum
    /// below 2 MeV): the efficiency anchored to the published excess (±32%) is what our sources
    /// allow, much looser than MUNU's own Monte Carlo efficiency, so the expected limit is ≈ 1.2×
    /// the statistics-only one and the published 9e-11 sits between nmm's −2σ and −1σ edges.
    /// Without the systematics the Asimov limit reproduces the published one within 20%.
    func testMunu2005FromPublishedInputs() throws {
        let row = try run("munu2005")
        let band = row.expectedMuBohr
        XCTAssertTrue(band[0] <= row.publishedMuBohr && row.publishedMuBohr <= band[4], "published 9e-11 outside nmm's ±2σ band \(band)")
        XCTAssertLessThan(row.ratio, 1.5)
        XCTAssertGreaterThan(row.ratio, 1 / 1.5)
        XCTAssertEqual(row.asimovNoSystematicsMuBohr / row.publishedMuBohr, 1.19, accuracy: 0.05, "statistics only")
        XCTAssertEqual(row.asimovMuBohr / row.asimovNoSystematicsMuBohr, 1.19, accuracy: 0.05, "what the systematics cost")
    }

    /// Known deviation: TEXONO-KS 2007's 7.4e-11 needs σ_κ ≈ 0.33 at κ̂ = 0; the published
    /// live times (570.7 d ON / 127.8 d OFF, recon) with the 2003 background level give
    /// σ_κ ≈ 1.09, so nmm's expected limit is ≈ 1.8× the published one and the published
    /// limit lies below nmm's −1σ edge. The paper must have used a lower background or
    /// information not in our sources (Fixtures/texono2007/README.md). This test pins the
    /// measured ratio so a change in either direction is seen.
    func testTexono2007KnownDeviation() throws {
        let row = try run("texono2007")
        // By hand: σ₂₀₀₇/σ₂₀₀₃ = √[(1/570.7 + 1/127.8)/(1/196.3 + 1/52.08)] = 0.628 → σ ≈ 1.09; at κ̂ = 0
        // the Gaussian FC limit is √(1.64 σ)·1e-10 = 1.34e-10, i.e. 1.81 × 7.4e-11.
        XCTAssertEqual(row.ratio, 1.81, accuracy: 0.05)
        XCTAssertFalse(row.publishedInsideOneSigma)
        XCTAssertLessThan(row.publishedMuBohr, row.expectedMuBohr[1])
        XCTAssertGreaterThan(row.publishedMuBohr, row.expectedMuBohr[0], "still inside the ±2σ band")
    }
}
