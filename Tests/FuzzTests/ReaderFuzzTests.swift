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
        XCTAssertGreaterThanOrEqual(try FuzzSeeds.all().count, 3, "FITS, CSV and YAML seeds")
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

    /// Inputs that trapped or crashed before their fix (found by the fuzz campaigns, by probes
    /// and while writing the harness; see the commit messages).
    func testKnownCrashers() throws {
        let seeds = try FuzzSeeds.all()
        func seed(_ name: String) throws -> [UInt8] { try XCTUnwrap(seeds.first { $0.name == name }).bytes }
        /// Replaces the value of one header card (right-justified in columns 11–30).
        func card(_ bytes: [UInt8], _ keyword: String, _ value: String) throws -> [UInt8] {
            var b = bytes
            let key = Array(keyword.padding(toLength: 8, withPad: " ", startingAt: 0).utf8)
            let at = try XCTUnwrap(stride(from: 0, to: b.count - 80, by: 80).first { Array(b[$0..<($0 + 8)]) == key }, keyword)
            let v = Array(value.utf8)
            for i in 10..<30 { b[at + i] = UInt8(ascii: " ") }
            for (i, c) in v.enumerated() { b[at + 30 - v.count + i] = c }
            return b
        }
        let config = ConfigSchema.minimalExample
        let crashers: [(String, [UInt8])] = [
            ("CSV with a lone CR inside a line (index out of range)",
             Array("#! livetime = 1 h\n#! mass = 1 kg\nE_LO [keV],E_HI [keV],COUNTS\n1,2,3\r4,5,6\n".utf8)),
            ("FITS table claiming 2^63-1 rows (allocation of exabytes)",
             try card(seed("input-spectrum-nosum.fits"), "NAXIS2", "9223372036854775807")),
            ("LIMIT file with CL = 1E308 (Int(inf) in the headline)", try card(seed("limit-nosum.fits"), "CL", "1E308")),
            ("LIMITSHARD with PTLO > PTHI (invalid Range)", try card(seed("limitshard-nosum.fits"), "PTLO", "3")),
            ("config with a formula nested 100 000 deep (stack overflow)",
             Array(config.replacingOccurrences(of: "target: Ge", with: "target: '"
                 + String(repeating: "(", count: 100_000) + "H" + String(repeating: ")", count: 100_000) + "'").utf8)),
        ]
        for (name, bytes) in crashers {
            let outcomes = FuzzHarness.check(bytes)
            XCTAssertFalse(outcomes.isEmpty, name)
            for outcome in outcomes {
                if case .unexpected(let reader, let error) = outcome { XCTFail("\(name): \(reader): \(error)") }
            }
        }
    }
}
