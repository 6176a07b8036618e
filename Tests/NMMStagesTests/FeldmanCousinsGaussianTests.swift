import Foundation
import NMMCore
@testable import NMMStages
@testable import NMMStatistics
import XCTest

/// The analytic Gaussian belt against (a) values we can justify, (b) an independent
/// brute-force construction that follows the paper literally (add x cells in order of
/// decreasing R until their probability reaches CL), and (c) exact coverage.
final class FeldmanCousinsGaussianTests: XCTestCase {
    /// Brute-force acceptance region: x cells of width h around μ, added in order of
    /// decreasing R (R falls monotonically away from μ on each side, so greedy two-pointer
    /// expansion is the same as sorting), each with its exact Gaussian probability.
    private func bruteAcceptance(mu: Double, cl: Double, h: Double = 5e-4, xMin: Double = -14) -> (Double, Double) {
        func lnR(_ x: Double) -> Double { x >= 0 ? -(x - mu) * (x - mu) / 2 : x * mu - mu * mu / 2 }
        func mass(_ a: Double, _ b: Double) -> Double { Distributions.gaussianP(b - mu) - Distributions.gaussianP(a - mu) }
        var left = mu - h / 2, right = mu + h / 2
        var p = mass(left, right)
        while p < cl {
            let canLeft = left - h >= xMin
            if canLeft && lnR(left - h / 2) >= lnR(right + h / 2) {
                p += mass(left - h, left); left -= h
            } else {
                p += mass(right, right + h); right += h
            }
        }
        return (left <= xMin + h ? -.infinity : left, right)
    }

    private func bruteInterval(x0: Double, cl: Double) -> (Double, Double) {
        var lo = 0.0, hi = max(x0, 0) + 4
        for _ in 0..<36 { let m = 0.5 * (lo + hi); if bruteAcceptance(mu: m, cl: cl).0 <= x0 { lo = m } else { hi = m } }
        let upper = 0.5 * (lo + hi)
        var lower = 0.0
        if bruteAcceptance(mu: 0, cl: cl).1 < x0 {
            var a = 0.0, b = x0
            for _ in 0..<36 { let m = 0.5 * (a + b); if bruteAcceptance(mu: m, cl: cl).1 < x0 { a = m } else { b = m } }
            lower = 0.5 * (a + b)
        }
        return (lower, upper)
    }

    func testPublishedPoints() throws {
        let fc90 = try FeldmanCousinsGaussian(cl: 0.90)
        // Feldman & Cousins Table X / Sec. IV.B (physics.md §6), tolerance 0.01 (table precision).
        let x0 = fc90.interval(measured: 0, sigma: 1)
        XCTAssertEqual(x0.lower, 0)
        XCTAssertEqual(x0.upper, 1.64, accuracy: 0.01)
        let x26 = fc90.interval(measured: 2.6, sigma: 1)
        XCTAssertEqual(x26.lower, 1.02, accuracy: 0.01)
        XCTAssertEqual(x26.upper, 4.24, accuracy: 0.01)
        let xm3 = fc90.interval(measured: -3, sigma: 1)
        XCTAssertEqual(xm3.lower, 0)
        XCTAssertEqual(xm3.upper, 0.26, accuracy: 0.01)
        // Two-sided from x = Φ⁻¹(0.9) = 1.2816 on.
        XCTAssertEqual(fc90.interval(measured: 1.28, sigma: 1).lower, 0)
        XCTAssertGreaterThan(fc90.interval(measured: 1.29, sigma: 1).lower, 0)
    }

    func testJustifiedExactValues() throws {
        // At x = 0 the upper end is where x1(μ) = 0, i.e. the symmetric region just touches 0:
        // 2Φ(μ) − 1 = CL → μ = Φ⁻¹((1+CL)/2). Far from the boundary the interval is central.
        for cl in [0.6827, 0.90, 0.95, 0.99] {
            let fc = try FeldmanCousinsGaussian(cl: cl)
            let zc = try Distributions.gaussianPinv(0.5 * (1 + cl))
            XCTAssertEqual(fc.upperLimit(measured: 0, sigma: 1), zc, accuracy: 1e-9)
            let far = fc.interval(measured: 10, sigma: 1)
            XCTAssertEqual(far.lower, 10 - zc, accuracy: 1e-9)
            XCTAssertEqual(far.upper, 10 + zc, accuracy: 1e-9)
            // σ scaling.
            let scaled = fc.interval(measured: -0.8, sigma: 2)
            let unit = fc.interval(measured: -0.4, sigma: 1)
            XCTAssertEqual(scaled.upper, 2 * unit.upper, accuracy: 1e-9)
        }
    }

    func testTableAgainstBruteForce() throws {
        var table = "Feldman–Cousins Gaussian belt (σ = 1), analytic [brute force]\n x0   "
        let cls = [0.6827, 0.90, 0.95]
        table += cls.map { "CL \($0)".padding(toLength: 34, withPad: " ", startingAt: 0) }.joined() + "\n"
        for x0 in [-3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.6, 3.0] {
            table += String(format: "%5.1f ", x0)
            for cl in cls {
                let fc = try FeldmanCousinsGaussian(cl: cl)
                let a = fc.interval(measured: x0, sigma: 1)
                let b = bruteInterval(x0: x0, cl: cl)
                XCTAssertEqual(a.lower, b.0, accuracy: 3e-3, "lower x0=\(x0) CL=\(cl)")
                XCTAssertEqual(a.upper, b.1, accuracy: 3e-3, "upper x0=\(x0) CL=\(cl)")
                table += String(format: "[%.3f, %.3f] [%.3f, %.3f]  ", a.lower, a.upper, b.0, b.1)
            }
            table += "\n"
        }
        print(table)
    }

    func testBeltEdgesIncrease() throws {
        let fc = try FeldmanCousinsGaussian(cl: 0.9)
        var previous = fc.acceptanceRegion(mu: 0)
        for k in 1...200 {
            let r = fc.acceptanceRegion(mu: Double(k) * 0.03)
            XCTAssertGreaterThan(r.lower, previous.lower)
            XCTAssertGreaterThan(r.upper, previous.upper)
            previous = r
        }
    }

    func testExactCoverage() throws {
        for cl in [0.6827, 0.90, 0.95] {
            let fc = try FeldmanCousinsGaussian(cl: cl)
            for mu in [0.0, 0.1, 0.3, 0.7, 1.2, 2.0, 3.5] {
                // {x : μ ∈ interval(x)} = [xa, xb]: find both ends by bisection on x.
                func contains(_ x: Double) -> Bool {
                    let i = fc.interval(measured: x, sigma: 1)
                    return i.lower <= mu && mu <= i.upper
                }
                var xa = -Double.infinity
                if mu > 0 {
                    var a = mu - 12, b = mu   // contains(b) is true, contains(a) false
                    for _ in 0..<40 { let m = 0.5 * (a + b); if contains(m) { b = m } else { a = m } }
                    xa = 0.5 * (a + b)
                }
                var a = mu, b = mu + 6
                for _ in 0..<40 { let m = 0.5 * (a + b); if contains(m) { a = m } else { b = m } }
                let xb = 0.5 * (a + b)
                let coverage = Distributions.gaussianP(xb - mu) - Distributions.gaussianP(xa - mu)
                XCTAssertEqual(coverage, cl, accuracy: 1e-4, "μ = \(mu), CL = \(cl)")
            }
        }
    }

    func testTexono2003() throws {
        // κ = −0.4 ± 1.3 (stat) ± 0.4 (sys) (physics.md §7, reconstructed); μ_ν = √κ_up × 1e-10 μ_B.
        let stat = 1.3, sys = 0.4
        let both = FeldmanCousinsGaussian.combinedSigma(stat: stat, sys: sys)
        XCTAssertEqual(both, 1.360147, accuracy: 1e-6)
        var lines: [String] = []
        for cl in [0.90, 0.6827] {
            let fc = try FeldmanCousinsGaussian(cl: cl)
            let kStat = fc.upperLimit(measured: -0.4, sigma: stat)
            let kBoth = fc.upperLimit(measured: -0.4, sigma: both)
            let muStat = MagneticMomentLimit(kappaUpper: kStat, confidenceLevel: cl).magneticMomentBohr
            let muBoth = MagneticMomentLimit(kappaUpper: kBoth, confidenceLevel: cl).magneticMomentBohr
            lines.append(String(format: "TEXONO 2003 CL %.4f: stat κ_up %.4f μ < %.4e; stat⊕sys κ_up %.4f μ < %.4e",
                                cl, kStat, muStat, kBoth, muBoth))
            let published = cl == 0.9 ? 1.3e-10 : 1.0e-10
            XCTAssertEqual(muStat, published, accuracy: 0.05 * published)
            XCTAssertGreaterThan(muBoth, muStat)
        }
        print(lines.joined(separator: "\n"))
    }

    func testGaussianSensitivity() throws {
        let fc = try FeldmanCousinsGaussian(cl: 0.9)
        let bands = fc.sensitivity(sigma: 1.3)
        XCTAssertEqual(bands.median, 1.3 * 1.6449, accuracy: 1e-3)
        XCTAssertEqual(bands.median, fc.upperLimit(measured: 0, sigma: 1.3), accuracy: 1e-12)
        let v = bands.values
        for k in 1..<5 { XCTAssertGreaterThan(v[k], v[k - 1]) }
        XCTAssertEqual(LimitBands.quantiles[0], 0.02275, accuracy: 1e-5)
        XCTAssertEqual(LimitBands.quantiles[3], 0.84134, accuracy: 1e-5)
        print("Gaussian sensitivity σ = 1.3 (κ): \(v)")
    }

    func testMagneticMomentLimit() {
        let m = MagneticMomentLimit(kappaUpper: 1.69, confidenceLevel: 0.9)
        XCTAssertEqual(m.magneticMomentBohr, 1.3e-10, accuracy: 1e-16)
        // 8ħ m_e²/α = 0.18842 eV³·s; μ = 1.3e-10 → 1.115e19 eV³·s (TEXONO quotes > 1.2e19 at 90% CL,
        // consistent with their unrounded μ limit ≈ 1.25e-10).
        XCTAssertEqual(MagneticMomentLimit.radiativeDecayTauM3EV3s(magneticMomentBohr: 1), 0.18842, accuracy: 1e-4)
        XCTAssertEqual(m.radiativeDecayTauM3EV3s, 1.115e19, accuracy: 0.005e19)
        XCTAssertEqual(MagneticMomentLimit.kappa(magneticMomentBohr: 1.3e-10), 1.69, accuracy: 1e-12)
        XCTAssertEqual(MagneticMomentLimit(kappaUpper: -1, confidenceLevel: 0.9).magneticMomentBohr, 0)
    }
}
