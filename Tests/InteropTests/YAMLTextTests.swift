@testable import NMMStages
import XCTest

/// The HEPData record's YAML writer: numbers PyYAML (YAML 1.1) reads as floats, quoted strings,
/// block layout.
final class YAMLTextTests: XCTestCase {
    func testFloatsAlwaysHaveAPointAndASignedExponent() {
        XCTAssertEqual(YAMLText.number(1e-5), "1.0e-05")
        XCTAssertEqual(YAMLText.number(2.5e20), "2.5e+20")
        XCTAssertEqual(YAMLText.number(12), "12.0")
        XCTAssertEqual(YAMLText.number(-0.5), "-0.5")
        XCTAssertEqual(YAMLText.number(6422643673277.012), "6422643673277.012")
        XCTAssertEqual(YAMLText.number(1.5e-10), "1.5e-10")
        for x in [1e-5, 2.5e20, 12, -0.5, 1.5e-10, 0.1 + 0.2] {
            XCTAssertEqual(Double(YAMLText.number(x)), x, "round trip of \(x)")
        }
    }

    func testStringsAreQuotedWithEscapes() {
        XCTAssertEqual(YAMLText.quoted("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c\\nd\"")
        XCTAssertEqual(YAMLText.quoted("κ ≥ 0"), "\"κ ≥ 0\"")
    }

    func testBlockLayout() {
        let v = YAMLValue.map([("name", .string("x")), ("values", .list([.map([("low", .number(1)), ("high", .number(2))]), .integer(3)])),
                               ("header", .map([("units", .string("keV"))])), ("empty", .list([]))])
        XCTAssertEqual(YAMLText.document(v), """
            name: "x"
            values:
            - low: 1.0
              high: 2.0
            - 3
            header:
              units: "keV"
            empty: []

            """)
        XCTAssertEqual(YAMLText.documents([.map([("a", .integer(1))]), .map([("b", .integer(2))])]), "---\na: 1\n---\nb: 2\n")
    }
}
