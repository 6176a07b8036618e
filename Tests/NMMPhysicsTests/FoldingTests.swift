import XCTest
@testable import NMMPhysics

final class FoldingTests: XCTestCase {
    /// A rather wide resolution: σ(E) = √(0.3² + 0.01 E + 4×10⁻⁴ E²) keV.
    private func wideResponse(efficiency: [(energyKeV: Double, efficiency: Double)] = []) throws -> DetectorResponse {
        try DetectorResponse(resolutionAKeV: 0.3, resolutionBKeV: 0.01, resolutionC: 4e-4, efficiency: efficiency)
    }

    // A flat spectrum folded with a constant-σ Gaussian stays flat away from the edges of its
    // support; with ε(E) the bin average is the bin average of ε; a linear spectrum stays linear.
    func testFlatSpectrumStaysFlat() throws {
        let edges = stride(from: 20.0, through: 40.0, by: 0.5).map { $0 }
        let constant = try DetectorResponse(resolutionAKeV: 0.7)
        for v in try SpectrumFolding.binAverages(edgesKeV: edges, response: constant, { _ in 1 }) { XCTAssertEqual(v, 1, accuracy: 1e-8) }
        let ramp = try DetectorResponse(resolutionAKeV: 0.7, efficiency: [(10, 0.5), (50, 0.9)])
        let withEfficiency = try SpectrumFolding.binAverages(edgesKeV: edges, response: ramp) { _ in 1 }
        for (j, v) in withEfficiency.enumerated() {
            let centre = 0.5 * (edges[j] + edges[j + 1])
            XCTAssertEqual(v, 0.5 + 0.4 * (centre - 10) / 40, accuracy: 1e-8)
        }
        let linear = try SpectrumFolding.binAverages(edgesKeV: edges, response: constant) { 3 + 2 * $0 }
        for (j, v) in linear.enumerated() { XCTAssertEqual(v, 3 + (edges[j] + edges[j + 1]), accuracy: 1e-7) }
    }

    // With σ depending on the true energy the kernel is normalised in observed energy (every
    // event lands somewhere), not in true energy: a flat spectrum becomes 1 + σ'² + σσ'' to
    // second order (expanding ∫ G(E − T; σ(T)) dT about T = E) — flat to < 10⁻³ here.
    func testFlatSpectrumWithEnergyDependentResolution() throws {
        let response = try wideResponse()
        let edges = stride(from: 20.0, through: 40.0, by: 0.5).map { $0 }
        let folded = try SpectrumFolding.binAverages(edgesKeV: edges, response: response) { _ in 1 }
        for (j, v) in folded.enumerated() {
            let e = 0.5 * (edges[j] + edges[j + 1]), h = 1e-3
            let s = response.sigmaKeV(energyKeV: e)
            let d1 = (response.sigmaKeV(energyKeV: e + h) - response.sigmaKeV(energyKeV: e - h)) / (2 * h)
            let d2 = (response.sigmaKeV(energyKeV: e + h) - 2 * s + response.sigmaKeV(energyKeV: e - h)) / (h * h)
            XCTAssertEqual(v, 1 + d1 * d1 + s * d2, accuracy: 2e-6, "bin \(j)")
            XCTAssertEqual(v, 1, accuracy: 1e-3)
        }
    }

    // The bin acceptance of one true energy sums to 1 over bins covering ±10σ (normalised Gaussian).
    func testAcceptanceIsNormalised() throws {
        let r = try wideResponse()
        let t = 30.0, s = r.sigmaKeV(energyKeV: t)
        let edges = stride(from: t - 10 * s, through: t + 10 * s, by: s / 7).map { $0 }
        let sum = (0..<(edges.count - 1)).reduce(0.0) { $0 + r.binAcceptance(trueEnergyKeV: t, observedLowKeV: edges[$1], observedHighKeV: edges[$1 + 1]) }
        XCTAssertEqual(sum, 1, accuracy: 1e-12)
        XCTAssertEqual(r.efficiency(energyKeV: 5), 1)
        let table = try DetectorResponse(efficiency: [(10, 0.5), (20, 0.7)])
        XCTAssertEqual(table.efficiency(energyKeV: 15), 0.6, accuracy: 1e-15)
        XCTAssertEqual(table.efficiency(energyKeV: 1), 0.5)
        XCTAssertEqual(table.efficiency(energyKeV: 99), 0.7)
    }

    // Binned rate = integral average over the bin, checked against a fine midpoint Riemann sum
    // of the tabulated dR/dT (no response), and against a brute-force double sum over true and
    // observed energy (with resolution and efficiency).
    func testBinnedRateIsIntegralAverage() throws {
        let model = try Fixtures.germaniumModel(bindingStep: true)
        let edges = [10.5, 11.5, 12.0, 15.0]  // the first bin straddles the K edge
        let binned = try model.binnedRates(edgesKeV: edges)
        for j in 0..<3 {
            let n = 20_000, w = edges[j + 1] - edges[j], h = w / Double(n)
            var sm = 0.0, mm = 0.0
            for i in 0..<n {
                let r = model.tabulatedDifferentialRates(recoilKeV: edges[j] + (Double(i) + 0.5) * h)
                sm += r.smPerKgKeVDay * h
                mm += r.mmPerKgKeVDay * h
            }
            assertRelative(binned.sm[j], sm / w, 1e-6, "SM bin \(j)")
            assertRelative(binned.mm[j], mm / w, 1e-6, "MM bin \(j)")
        }

        let response = try DetectorResponse(resolutionAKeV: 0.4, resolutionBKeV: 0.004, efficiency: [(11, 0.6), (14, 0.95)])
        let folded = try Fixtures.germaniumModel(bindingStep: true, response: response)
        let foldedBins = try folded.binnedRates(edgesKeV: edges)
        for j in 0..<3 {
            let lo = edges[j], hi = edges[j + 1]
            let nT = 3000, tLo = lo - 4, tHi = hi + 4, dT = (tHi - tLo) / Double(nT)
            let nE = 400, dE = (hi - lo) / Double(nE)
            var mm = 0.0
            for i in 0..<nT {
                let t = tLo + (Double(i) + 0.5) * dT
                let f = model.tabulatedDifferentialRates(recoilKeV: t).mmPerKgKeVDay
                let s = response.sigmaKeV(energyKeV: t)
                var acc = 0.0
                for k in 0..<nE {
                    let e = lo + (Double(k) + 0.5) * dE, z = (e - t) / s
                    acc += response.efficiency(energyKeV: e) * exp(-0.5 * z * z) / (s * (2 * Double.pi).squareRoot()) * dE
                }
                mm += f * acc * dT
            }
            assertRelative(foldedBins.mm[j], mm / (hi - lo), 2e-4, "folded MM bin \(j)")
        }
    }

    // Bad binning and bad response parameters are data errors (brief §7).
    func testValidation() throws {
        let model = try Fixtures.germaniumModel()
        XCTAssertThrowsError(try model.binnedRates(edgesKeV: [12]))
        XCTAssertThrowsError(try model.binnedRates(edgesKeV: [12, 11]))
        XCTAssertThrowsError(try model.binnedRates(edgesKeV: [12, .nan]))
        XCTAssertThrowsError(try DetectorResponse(resolutionAKeV: -1))
        XCTAssertThrowsError(try DetectorResponse(efficiency: [(10, 0.5), (10, 0.6)]))
        XCTAssertThrowsError(try DetectorResponse(efficiency: [(10, 1.5)]))
    }
}
