import XCTest
import NMMCore
@testable import NMMStages

/// Ingest through its seam, `SpectrumSource`: any source feeds the same checks and the same
/// product, and the stages after it do not know where the spectra came from.
final class IngestTests: XCTestCase {
    /// Spectra held in memory, as a test (or a future generator) would supply them.
    struct InMemorySource: SpectrumSource {
        var on: RawSpectrum
        var off: RawSpectrum
        var inputFiles: [String] { ["memory:on", "memory:off"] }
        func spectra() throws -> (on: RawSpectrum, off: RawSpectrum) { (on, off) }
    }

    struct FailingSource: SpectrumSource {
        var inputFiles: [String] { ["nowhere"] }
        func spectra() throws -> (on: RawSpectrum, off: RawSpectrum) {
            throw InputError(file: "nowhere", "no spectra here", status: .noInput)
        }
    }

    func spectrum(_ counts: [Double], liveDays: Double, width: Double = 1, file: String) -> RawSpectrum {
        RawSpectrum(energyLowKeV: counts.indices.map { 10 + Double($0) * width },
                    energyHighKeV: counts.indices.map { 10 + Double($0 + 1) * width },
                    counts: counts, liveTimeDays: liveDays, massKg: 2, sourceFile: file)
    }

    func config() throws -> AnalysisConfig {
        var c = try ConfigLoader.parse(text: ConfigSchema.minimalExample, file: "t.yaml")
        c.analysis.windowKeV = [11, 15]
        c.inputs.offExposureFactor = 2
        return c
    }

    func testInMemorySourceFeedsIngestAndTheStagesAfterIt() throws {
        let on = spectrum([100, 40, 30, 20, 0, 5], liveDays: 10, file: "memory:on")
        let off = spectrum([50, 10, 10, 12, 0, 9], liveDays: 5, file: "memory:off")
        let pair = try Ingest().run(InMemorySource(on: on, off: off), config: try config())
        XCTAssertEqual(pair, SpectrumPair(on: on, off: off, offExposureFactor: 2))

        // Subtract sees only the product: ON 10 d × 2 kg = 20 kg·d, OFF 5 d × 2 kg × 2 = 20 kg·d.
        let residual = try Subtract().run(pair, config: try config())
        XCTAssertEqual(residual.onCounts, [40, 30, 20, 0])
        XCTAssertEqual(residual.rate[0], 40.0 / 20 - 10.0 / 20, accuracy: 1e-12)
        XCTAssertEqual(residual.offExposureKgDay, 20)
    }

    func testEverySourceGetsTheSameChecks() throws {
        let good = spectrum([1, 2, 3], liveDays: 1, file: "memory:on")
        let noLiveTime = spectrum([1, 2, 3], liveDays: 0, file: "memory:off")
        XCTAssertThrowsError(try Ingest().run(InMemorySource(on: good, off: noLiveTime), config: try config())) { e in
            XCTAssertEqual("\(e)", "memory:off: LIVETIME: expected a live time > 0, found 0.0 d")
            XCTAssertEqual((e as? NMMError)?.exitStatus, .dataError)
        }
        let wider = spectrum([1, 2, 3], liveDays: 1, width: 2, file: "memory:off")
        XCTAssertThrowsError(try Ingest().run(InMemorySource(on: good, off: wider), config: try config())) { e in
            XCTAssertTrue("\(e)".hasPrefix("memory:off: E_LO/E_HI row 1: ON and OFF binning differ"), "\(e)")
        }
        XCTAssertThrowsError(try Ingest().run(FailingSource(), config: try config())) { e in
            XCTAssertEqual("\(e)", "nowhere: no spectra here")
            XCTAssertEqual((e as? NMMError)?.exitStatus, .noInput)
        }
    }

    /// Today's source: the config's two files, each overridable (--on, --off), read ON first.
    func testTheConfigsSourceIsItsFilePair() throws {
        let c = try config()
        let source = try XCTUnwrap(Ingest.source(config: c) as? SpectrumFilePair)
        XCTAssertEqual(source, SpectrumFilePair(onPath: c.onPath, offPath: c.offPath))
        XCTAssertEqual(source.inputFiles, [c.onPath, c.offPath])
        let overridden = try XCTUnwrap(Ingest.source(config: c, offPath: "other.csv") as? SpectrumFilePair)
        XCTAssertEqual(overridden.inputFiles, [c.onPath, "other.csv"])

        let missing = SpectrumFilePair(onPath: "/nonexistent/on.fits", offPath: "/nonexistent/off.fits")
        XCTAssertThrowsError(try Ingest().run(missing, config: c)) { e in
            XCTAssertEqual("\(e)", "/nonexistent/on.fits: input spectrum not found")
            XCTAssertEqual((e as? NMMError)?.exitStatus, .noInput)
        }
    }
}
