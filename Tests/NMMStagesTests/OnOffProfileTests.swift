import Foundation
@testable import NMMStages
@testable import NMMStatistics
import XCTest

/// The closed-form per-bin background profile against brute-force maximisation.
final class OnOffProfileTests: XCTestCase {
    /// −2 ln L(b) + saturated terms for one bin (the deviance before profiling).
    private func deviance(_ n: Double, _ m: Double, _ a: Double, _ be: Double, _ s: Double, _ b: Double) -> Double {
        let muOn = a * (b + s), muOff = be * b
        if muOn < 0 || muOff < 0 { return .infinity }
        var d = 2 * (muOn - n) + 2 * (muOff - m)
        if n > 0 { d += muOn > 0 ? 2 * n * log(n / muOn) : .infinity }
        if m > 0 { d += muOff > 0 ? 2 * m * log(m / muOff) : .infinity }
        return d
    }

    /// Golden-section minimum of the bin deviance over the allowed b ≥ max(0, −s).
    private func bruteForce(_ n: Double, _ m: Double, _ a: Double, _ be: Double, _ s: Double) -> (b: Double, d: Double) {
        var lo = max(0, -s), hi = max(lo, 0) + 10 * (n + m + 10) / min(a, be) + abs(s)
        let g = (5.0.squareRoot() - 1) / 2
        for _ in 0..<300 {
            let x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo)
            if deviance(n, m, a, be, s, x1) < deviance(n, m, a, be, s, x2) { hi = x2 } else { lo = x1 }
        }
        let b = 0.5 * (lo + hi)
        let atLower = max(0, -s)
        let dl = deviance(n, m, a, be, s, atLower), dm = deviance(n, m, a, be, s, b)
        return dl <= dm ? (atLower, dl) : (b, dm)
    }

    func testAgainstBruteForce() {
        let alpha = 200.0, beta = 55.0
        let counts: [(Double, Double)] = [(200, 55), (0, 0), (0, 3), (5, 0), (1, 1), (250, 40), (30, 20), (0, 12)]
        let signals = [0.0, 0.01, 0.3, 2.0, -0.01, -0.2, -1.5, 1e-9, -1e-9]
        for (n, m) in counts {
            for s in signals {
                let p = OnOffProfile.profile(on: n, off: m, onScale: alpha, offScale: beta, signal: s)
                let bf = bruteForce(n, m, alpha, beta, s)
                XCTAssertGreaterThanOrEqual(p.background, 0)
                XCTAssertGreaterThanOrEqual(p.onRate, 0)
                XCTAssertEqual(p.onRate, p.background + s, accuracy: 1e-12 * (1 + abs(s)))
                XCTAssertEqual(p.deviance, bf.d, accuracy: 1e-7 * (1 + bf.d), "n=\(n) m=\(m) s=\(s)")
                XCTAssertLessThanOrEqual(p.deviance, bf.d + 1e-9, "closed form must be the minimum (n=\(n) m=\(m) s=\(s))")
            }
        }
    }

    func testSlopeAndCurvatureMatchFiniteDifferences() {
        let alpha = 200.0, beta = 55.0
        for (n, m) in [(200.0, 55.0), (5.0, 0.0), (0.0, 3.0), (30.0, 20.0), (2.0, 1.0)] {
            for s in [0.05, 0.3, -0.02, 1.0] {
                let h = 1e-5
                let dp = OnOffProfile.profile(on: n, off: m, onScale: alpha, offScale: beta, signal: s + h).deviance
                let d0 = OnOffProfile.profile(on: n, off: m, onScale: alpha, offScale: beta, signal: s)
                let dm = OnOffProfile.profile(on: n, off: m, onScale: alpha, offScale: beta, signal: s - h).deviance
                let slope = (dp - dm) / (2 * h), curv = (dp - 2 * d0.deviance + dm) / (h * h)
                XCTAssertEqual(d0.slope, slope, accuracy: 1e-5 * (1 + abs(slope)), "slope n=\(n) m=\(m) s=\(s)")
                XCTAssertEqual(d0.curvature, curv, accuracy: 2e-3 * (1 + abs(curv)), "curvature n=\(n) m=\(m) s=\(s)")
            }
        }
    }

    func testZeroCountsAndNegativeSignal() {
        // n = m = 0, s > 0: b = 0, D = 2αs.
        let p = OnOffProfile.profile(on: 0, off: 0, onScale: 10, offScale: 5, signal: 0.2)
        XCTAssertEqual(p.background, 0)
        XCTAssertEqual(p.deviance, 4, accuracy: 1e-12)
        // n = 0, large negative s: ON mean pinned at 0, b = −s.
        let q = OnOffProfile.profile(on: 0, off: 2, onScale: 10, offScale: 5, signal: -3)
        XCTAssertEqual(q.onRate, 0)
        XCTAssertEqual(q.background, 3, accuracy: 1e-12)
        // n > 0, very negative s: ON mean stays positive, no cancellation.
        let r = OnOffProfile.profile(on: 4, off: 1, onScale: 10, offScale: 5, signal: -1e6)
        XCTAssertGreaterThan(r.onRate, 0)
        XCTAssertTrue(r.deviance.isFinite)
    }
}
