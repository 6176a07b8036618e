import XCTest
@testable import NMMPhysics

/// Not a timed assertion: prints the time to build SM+MM binned rates for 1000 bins of
/// 0.1 keV between 12 and 112 keV (brief §6), with and without folding.
final class BenchmarkTests: XCTestCase {
    func testBinnedRatesBenchmark() throws {
        let edges = (0...1000).map { 12 + Double($0) * 0.1 }
        let clock = ContinuousClock()
        var model: RateModel?
        let setup = try clock.measure { model = try Fixtures.germaniumModel(bindingStep: true) }
        let plain = try XCTUnwrap(model)
        var unfolded: (sm: [Double], mm: [Double]) = ([], [])
        let t1 = try clock.measure { unfolded = try plain.binnedRates(edgesKeV: edges) }
        // TEXONO-like HPGe: σ² = 0.15² + 0.0015 E keV² (σ ≈ 0.2 keV at 12 keV), efficiency ramp.
        let response = try DetectorResponse(resolutionAKeV: 0.15, resolutionBKeV: 0.0015, efficiency: [(12, 0.9), (112, 0.98)])
        let foldedModel = try Fixtures.germaniumModel(bindingStep: true, response: response)
        var folded: (sm: [Double], mm: [Double]) = ([], [])
        let t2 = try clock.measure { folded = try foldedModel.binnedRates(edgesKeV: edges) }
        print("BENCHMARK model setup \(setup.seconds) s; 1000 bins unfolded \(t1.seconds) s; folded \(t2.seconds) s")
        XCTAssertEqual(unfolded.mm.count, 1000)
        XCTAssertEqual(folded.sm.count, 1000)
        XCTAssert(unfolded.mm.allSatisfy { $0 > 0 } && folded.mm.allSatisfy { $0 > 0 })
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
