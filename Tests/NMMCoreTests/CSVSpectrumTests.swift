import XCTest
@testable import NMMCore

final class CSVSpectrumTests: XCTestCase {
    let good = """
        # TEXONO-like test spectrum
        #! livetime = 48 h
        #! mass = 1.06 kg
        E_LO [keV],E_HI [keV],COUNTS
        12,13,10
        13,14,0
        14,15,7
        """

    func testParsesGoodFile() throws {
        let s = try CSVSpectrumReader.parse(good, file: "a.csv")
        XCTAssertEqual(s.energyLowKeV, [12, 13, 14])
        XCTAssertEqual(s.counts, [10, 0, 7])
        XCTAssertEqual(s.liveTimeDays, 2, accuracy: 1e-12)
        XCTAssertEqual(s.massKg, 1.06)
        XCTAssertNoThrow(try s.validate())
    }

    func testEVConvertedToKeV() throws {
        let text = good.replacingOccurrences(of: "E_LO [keV],E_HI [keV]", with: "E_LO [eV],E_HI [eV]")
            .replacingOccurrences(of: "12,13,", with: "12000,13000,")
            .replacingOccurrences(of: "13,14,", with: "13000,14000,")
            .replacingOccurrences(of: "14,15,", with: "14000,15000,")
        let s = try CSVSpectrumReader.parse(text, file: "a.csv")
        XCTAssertEqual(s.energyLowKeV, [12, 13, 14])
        XCTAssertEqual(s.energyHighKeV, [13, 14, 15])
    }

    func expectError(_ text: String, _ fragment: String, line: UInt = #line) {
        do {
            let s = try CSVSpectrumReader.parse(text, file: "a.csv")
            try s.validate()
            XCTFail("no error; expected '\(fragment)'", line: line)
        } catch {
            XCTAssertTrue("\(error)".contains(fragment), "\(error)", line: line)
            XCTAssertEqual((error as? NMMError)?.exitStatus, .dataError, line: line)
        }
    }

    func testBadInputs() {
        expectError(good.replacingOccurrences(of: "14,15,7", with: "14,15,-1"), "expected a count ≥ 0")
        expectError(good.replacingOccurrences(of: "14,15,7", with: "14,15,nan"), "expected a finite count")
        expectError(good.replacingOccurrences(of: "14,15,7", with: "14,15,inf"), "expected a finite count")
        expectError(good.replacingOccurrences(of: "14,15,7", with: "14,15,abc"), "a.csv:7: COUNTS: expected a number")
        expectError(good.replacingOccurrences(of: "14,15,7", with: "15,16,7"), "gap between bins")
        expectError(good.replacingOccurrences(of: "14,15,7", with: "13.5,15,7"), "overlap")
        expectError(good.replacingOccurrences(of: "14,15,7", with: "14,14,7"), "expected E_HI > E_LO")
        expectError(good.replacingOccurrences(of: "14,15,7", with: "14,15"), "expected 3 fields, found 2")
        expectError(good.replacingOccurrences(of: "48 h", with: "0 h"), "expected a live time > 0")
        expectError(good.replacingOccurrences(of: "48 h", with: "-5 h"), "expected a live time > 0")
        expectError(good.replacingOccurrences(of: "48 h", with: "48 fortnights"), "expected unit s, h or d")
        expectError(good.replacingOccurrences(of: "1.06 kg", with: "0 kg"), "expected a mass > 0")
        expectError(good.replacingOccurrences(of: "#! mass = 1.06 kg\n", with: ""), "#! mass")
        expectError(good.replacingOccurrences(of: "[keV],E_HI", with: "[furlong],E_HI"), "energy units")
        expectError(good.replacingOccurrences(of: "COUNTS", with: "N"), "expected columns")
        expectError(good.replacingOccurrences(of: "14,15,7", with: "14,15,1e20"), "absurdly large")
        expectError("#! livetime = 1 h\n", "header row")
    }
}
