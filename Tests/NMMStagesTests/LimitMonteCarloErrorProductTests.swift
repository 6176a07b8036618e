import Foundation
import NMMCore
@testable import NMMStages
@testable import NMMStatistics
import XCTest

/// limit.fits and limit.json with the toy limit's Monte Carlo error, files written before it,
/// and the headline with the error.
final class LimitMonteCarloErrorProductTests: XCTestCase {
    private func toyProduct() -> LimitProduct {
        let grid = [0.0, 1, 2, 3]
        var p = LimitProduct(method: .toys, statistic: .poisson, confidenceLevel: 0.9, kappaHat: 0.3, kappaSigma: 0.9,
                             kappaLower: 0, kappaUpper: 2.34, seed: 7,
                             belt: .toys(.init(kappa: grid, criticalValue: [2.6, 2.7, 2.7, 2.71], observed: [0, 0.8, 2.2, 4.5],
                                               toys: [2000, 2000, 8000, 8000], failures: [0, 1, 0, 0],
                                               criticalValueError: [0.11, 0.12, 0.06, 0.061])),
                             sensitivity: nil, failedToys: 1, totalToys: 20000)
        p.kappaLowerError = 0
        p.kappaUpperError = 0.031
        p.adaptiveToys = AdaptiveToyOutcome(settings: AdaptiveToySettings(targetRelativeError: 0.02, maxToysPerPoint: 100_000),
                                            targetMet: true, rounds: 2)
        p.globalObservables = "none"
        return p
    }

    func testRoundTripThroughAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-mcerr-\(UUID().uuidString).fits").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let p = toyProduct()
        try FITSIO.write(p.document(), to: path)
        let doc = try FITSIO.read(path)
        let back = try LimitProduct(document: doc)
        XCTAssertEqual(back, p)
        XCTAssertEqual(try doc.double("KAPUPERR"), 0.031)
        // σ_μ = σ_κ/(2√κ)·1e-10 μ_B.
        XCTAssertEqual(try doc.double("MULIMERR"), 0.031 / (2 * 2.34.squareRoot()) * 1e-10, accuracy: 1e-22)
        XCTAssertEqual(try doc.int("NTOYS"), 20000)
        XCTAssertEqual(try doc.bool("MCTGTMET"), true)
        XCTAssertEqual(try doc.table("BELT").doubles("T_CRIT_ERR", unit: nil), [0.11, 0.12, 0.06, 0.061])
        XCTAssertEqual(try doc.table("BELT").integers("NTOYS"), [2000, 2000, 8000, 8000])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(p.json(experiment: "x").utf8)) as? [String: Any])
        XCTAssertEqual(json["kappaUpperMCError"] as? Double, 0.031)
        XCTAssertEqual((json["adaptiveToys"] as? [String: Any])?["targetMet"] as? Bool, true)
        XCTAssertEqual(json["toys"] as? Int, 20000)
    }

    /// A schema-2 file written before the Monte Carlo error existed (no T_CRIT_ERR, no KAPUPERR,
    /// no adaptive keywords) still reads, with no error, and prints the plain headline.
    func testAFileWithoutTheErrorReadsWithNone() throws {
        var old = toyProduct()
        old.kappaLowerError = nil
        old.kappaUpperError = nil
        old.adaptiveToys = nil
        if case .toys(var t) = old.belt { t.criticalValueError = nil; old.belt = .toys(t) }
        let doc = old.document()
        XCTAssertFalse(try doc.table("BELT").hasColumn("T_CRIT_ERR"))
        XCTAssertNil(doc.keyword("KAPUPERR"))
        let back = try LimitProduct(document: doc)
        XCTAssertEqual(back, old)
        XCTAssertNil(back.muLimitErrorBohr)
        XCTAssertEqual(back.headline, "mu_nu(anti-nu_e) < 1.5e-10 mu_B at 90% CL (Feldman-Cousins, toy MC, poisson)")
        // The Gaussian belt never has one.
        let g = try Limit().gaussian(kappaHat: 0.1, statError: 1, settings: LimitSettings(gridPoints: 5))
        XCTAssertNil(g.kappaUpperError)
        XCTAssertNil(g.document().keyword("MULIMERR"))
    }

    func testHeadlineCarriesTheError() {
        XCTAssertEqual(toyProduct().headline,
                       "mu_nu(anti-nu_e) < 1.530e-10 ± 0.010e-10 mu_B at 90% CL (Feldman-Cousins, toy MC, poisson)")
        XCTAssertEqual(MagneticMomentUnits.format(1.534e-10, error: 0.04e-10), "1.53e-10 ± 0.04e-10")
        XCTAssertEqual(MagneticMomentUnits.format(1.534e-10, error: 0.0123e-10), "1.534e-10 ± 0.012e-10")
        XCTAssertEqual(MagneticMomentUnits.format(1.534e-10, error: 0.3e-10), "1.5e-10 ± 0.3e-10")
        XCTAssertEqual(MagneticMomentUnits.format(9.996e-11, error: 0.02e-11), "1.000e-10 ± 0.002e-10")
        XCTAssertEqual(MagneticMomentUnits.format(2.4e-10, error: 3.2e-10), "2.4e-10 ± 3.2e-10")
        XCTAssertNil(MagneticMomentUnits.format(1.5e-10, error: 0))
    }
}
