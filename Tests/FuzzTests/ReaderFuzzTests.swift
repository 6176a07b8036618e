import Foundation
import XCTest
import NMMCore
@testable import NMMFuzzKit

/// Seeded mutation fuzzing of the FITS, CSV and config readers: every mutated input must
/// give a value or an NMMError (a trap would end the test run). A few hundred inputs here;
/// `make fuzz` runs 10 000+ (NMM_FUZZ_ITERATIONS) and libFuzzer.
final class ReaderFuzzTests: XCTestCase {
    static var iterations: Int { Int(ProcessInfo.processInfo.environment["NMM_FUZZ_ITERATIONS"] ?? "") ?? 400 }

    func testSeedsAreValid() throws {
        for seed in try FuzzSeeds.all() {
            let outcomes = FuzzHarness.check(seed.bytes)
            XCTAssertTrue(outcomes.contains { if case .value = $0 { true } else { false } },
                          "\(seed.name): some reader must accept the unmutated seed")
        }
    }

    func testMutatedInputsGiveValuesOrNMMErrors() throws {
        let seeds = try FuzzSeeds.all()
        let report = FuzzCampaign.run(iterations: Self.iterations, seed: 20030331, seeds: seeds)
        print("mutation fuzzing: \(report.iterations) inputs, \(report.values) values, \(report.errors) NMMErrors, "
              + "\(report.unexpected.count) other errors in \(String(format: "%.1f", report.seconds)) s")
        for u in report.unexpected.prefix(10) { XCTFail("input \(u.iteration): \(u.reader): \(u.error)") }
        XCTAssertEqual(report.iterations, Self.iterations)
        XCTAssertGreaterThan(report.errors, 0, "mutations must be refused sometimes")
    }

    /// Regression inputs found by fuzzing (each crashed or misbehaved before its fix).
    func testKnownCrashers() {
        let crashers: [(String, String)] = [
            ("CSV with a lone CR inside a line", "#! livetime = 1 h\n#! mass = 1 kg\nE_LO [keV],E_HI [keV],COUNTS\n1,2,3\r4,5,6\n"),
        ]
        for (name, text) in crashers {
            for outcome in FuzzHarness.check(Array(text.utf8)) {
                if case .unexpected(let reader, let error) = outcome { XCTFail("\(name): \(reader): \(error)") }
            }
        }
    }
}
