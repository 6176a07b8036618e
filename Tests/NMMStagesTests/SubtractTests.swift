import XCTest
@testable import NMMCore
@testable import NMMStages
@testable import NMMStatistics

final class SubtractTests: XCTestCase {
    func spectrum(_ counts: [Double], liveDays: Double, mass: Double = 2, from: Double = 10, width: Double = 1,
                  file: String = "x") -> RawSpectrum {
        RawSpectrum(energyLowKeV: counts.indices.map { from + Double($0) * width },
                    energyHighKeV: counts.indices.map { from + Double($0 + 1) * width },
                    counts: counts, liveTimeDays: liveDays, massKg: mass, sourceFile: file)
    }

    func config(window: [Double] = [11, 15], masked: [[Double]]? = nil, offFactor: Double? = nil) throws -> AnalysisConfig {
        var c = try ConfigLoader.parse(text: ConfigSchema.minimalExample, file: "t.yaml")
        c.analysis.windowKeV = window
        c.analysis.maskedKeV = masked
        c.inputs.offExposureFactor = offFactor
        return c
    }

    func testRatesErrorsAndWindowByHand() throws {
        // ON: 10 d × 2 kg = 20 kg·d; OFF: 5 d × 2 kg = 10 kg·d; 1 keV bins.
        let pair = SpectrumPair(on: spectrum([100, 40, 30, 20, 0, 5], liveDays: 10),
                                off: spectrum([50, 10, 10, 12, 0, 9], liveDays: 5), offExposureFactor: 1)
        let r = try Subtract().run(pair, config: try config())
        XCTAssertEqual(r.energyLowKeV, [11, 12, 13, 14])   // bins [11,12] … [14,15] lie wholly inside [11, 15]
        XCTAssertEqual(r.onCounts, [40, 30, 20, 0])
        XCTAssertEqual(r.rate[0], 40.0 / 20 - 10.0 / 10, accuracy: 1e-12)
        XCTAssertEqual(r.rateError[0], (40.0 / 400 + 10.0 / 100).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(r.rate[2], 20.0 / 20 - 12.0 / 10, accuracy: 1e-12)       // negative residual allowed
        XCTAssertEqual(r.rateError[3], (1.0 / 400 + 1.0 / 100).squareRoot(), accuracy: 1e-12)  // zero-count rule
        XCTAssertEqual(r.onExposureKgDay, 20)
        XCTAssertEqual(r.offExposureKgDay, 10)
        XCTAssertEqual(r.used, [true, true, true, true])
    }

    func testOffExposureFactorScalesOff() throws {
        let pair = SpectrumPair(on: spectrum([40, 40], liveDays: 10), off: spectrum([10, 10], liveDays: 5),
                                offExposureFactor: 2)
        let r = try Subtract().run(pair, config: try config(window: [10, 12]))
        XCTAssertEqual(r.offExposureKgDay, 20)
        XCTAssertEqual(r.rate[0], 40.0 / 20 - 10.0 / 20, accuracy: 1e-12)
    }

    func testMasksFlagBins() throws {
        let pair = SpectrumPair(on: spectrum([1, 2, 3, 4, 5, 6], liveDays: 1), off: spectrum([1, 2, 3, 4, 5, 6], liveDays: 1),
                                offExposureFactor: 1)
        let r = try Subtract().run(pair, config: try config(window: [10, 16], masked: [[12.5, 13.2]]))
        XCTAssertEqual(r.used, [true, true, false, false, true, true])
    }

    func testWindowOutsideDataOrOneBinIsAnError() throws {
        let pair = SpectrumPair(on: spectrum([1, 2, 3], liveDays: 1), off: spectrum([1, 2, 3], liveDays: 1), offExposureFactor: 1)
        XCTAssertThrowsError(try Subtract().run(pair, config: try config(window: [50, 60]))) { e in
            XCTAssertTrue("\(e)".contains("holds no whole bin"), "\(e)")
            XCTAssertEqual((e as? NMMError)?.exitStatus, .dataError)
        }
        XCTAssertThrowsError(try Subtract().run(pair, config: try config(window: [10, 11.5]))) { e in
            XCTAssertTrue("\(e)".contains("only one bin"), "\(e)")
        }
        XCTAssertThrowsError(try Subtract().run(pair, config: try config(window: [10, 13], masked: [[10, 12]]))) { e in
            XCTAssertTrue("\(e)".contains("after masking"), "\(e)")
        }
    }

    func testIngestRefusesDifferentBinning() {
        let a = spectrum([1, 2, 3], liveDays: 1, file: "on.csv")
        let b = spectrum([1, 2, 3], liveDays: 1, width: 2, file: "off.csv")
        XCTAssertThrowsError(try Ingest.checkSameBinning(a, b)) { e in
            XCTAssertTrue("\(e)".hasPrefix("off.csv: E_LO/E_HI row 1: ON and OFF binning differ"), "\(e)")
        }
        XCTAssertThrowsError(try Ingest.checkSameBinning(a, spectrum([1, 2], liveDays: 1))) { e in
            XCTAssertTrue("\(e)".contains("expected 3 bins"), "\(e)")
        }
    }
}
