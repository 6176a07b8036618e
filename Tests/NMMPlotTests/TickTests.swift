import XCTest
@testable import NMMPlot

final class TickTests: XCTestCase {
    func testFixedFormattingIsPlainAndDeterministic() {
        XCTAssertEqual(SVGText.fixed(12.3456, decimals: 2), "12.35")
        XCTAssertEqual(SVGText.fixed(-0.001, decimals: 2), "0")          // no "-0"
        XCTAssertEqual(SVGText.fixed(-2.5, decimals: 2), "-2.5")
        XCTAssertEqual(SVGText.fixed(3, decimals: 3), "3")
        XCTAssertEqual(SVGText.fixed(0.05, decimals: 2), "0.05")
        XCTAssertEqual(SVGText.fixed(1e6, decimals: 2), "1000000")
        XCTAssertEqual(SVGText.fixed(.nan, decimals: 2), "0")
    }

    func testNiceStepsAreOneTwoFive() {
        XCTAssertEqual(TickGenerator.niceStep(span: 10, target: 5), 2)
        XCTAssertEqual(TickGenerator.niceStep(span: 7, target: 6), 2)
        XCTAssertEqual(TickGenerator.niceStep(span: 100, target: 6), 20)
        XCTAssertEqual(TickGenerator.niceStep(span: 0.3, target: 6), 0.05, accuracy: 1e-15)
        XCTAssertEqual(TickGenerator.niceStep(span: 3e-10, target: 3), 1e-10, accuracy: 1e-24)
        let r = TickGenerator.niceLinearRange(low: 12.3, high: 61.7)
        XCTAssertEqual(r.low, 10)
        XCTAssertEqual(r.high, 70)
    }

    func testLinearTicksAndLabels() {
        let t = TickGenerator.linear(low: -2, high: 6, target: 4)
        XCTAssertEqual(t.map(\.value), [-2, 0, 2, 4, 6])
        XCTAssertEqual(t.map(\.label), ["\u{2212}2", "0", "2", "4", "6"])
        let f = TickGenerator.linear(low: 0, high: 1, target: 5)
        XCTAssertEqual(f.map(\.label), ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        let small = TickGenerator.linear(low: 0, high: 3e-10, target: 3, format: .auto)
        XCTAssertEqual(small.map(\.label), ["0", "10⁻¹⁰", "2×10⁻¹⁰", "3×10⁻¹⁰"])
        let sci = TickGenerator.linear(low: 0, high: 3e-10, target: 3, format: .scientific)
        XCTAssertEqual(sci.map(\.label), ["0", "1e-10", "2e-10", "3e-10"])
    }

    func testPowerLabels() {
        XCTAssertEqual(TickFormatter.power(2.5e-10, mantissaDecimals: { _ in 1 }, style: .timesTen), "2.5×10⁻¹⁰")
        XCTAssertEqual(TickFormatter.power(1e-10, mantissaDecimals: { _ in 0 }, style: .scientific), "1e-10")
        XCTAssertEqual(TickFormatter.power(-3e5, mantissaDecimals: { _ in 0 }, style: .timesTen), "\u{2212}3×10⁵")
        XCTAssertEqual(TickFormatter.power(9.96e-11, mantissaDecimals: { _ in 1 }, style: .timesTen), "1.0×10⁻¹⁰")
        XCTAssertEqual(TickFormatter.timesTen(1.3e-10), "1.3×10⁻¹⁰")
        XCTAssertEqual(TickFormatter.timesTen(2.1e19), "2.1×10¹⁹")
        XCTAssertEqual(TickFormatter.scientific(7.4e-11), "7.4e-11")
    }

    func testLogTicksByDecades() {
        let t = TickGenerator.log(low: 1e-12, high: 1e-9)
        XCTAssertEqual(t.filter(\.major).map(\.label), ["10⁻¹²", "10⁻¹¹", "10⁻¹⁰", "10⁻⁹"])
        XCTAssertEqual(t.filter { !$0.major }.count, 3 * 8)                 // minor ticks 2…9 in each decade
        let sci = TickGenerator.log(low: 1e-12, high: 1e-9, format: .scientific)
        XCTAssertEqual(sci.filter(\.major).map(\.label), ["1e-12", "1e-11", "1e-10", "1e-9"])
        let few = TickGenerator.log(low: 1, high: 50)
        XCTAssertEqual(few.filter(\.major).map(\.label), ["1", "2", "5", "10", "20", "50"])
        let many = TickGenerator.log(low: 1e-20, high: 1e0)
        XCTAssertLessThanOrEqual(many.filter(\.major).count, 9)             // every k-th decade when crowded
        let r = TickGenerator.niceLogRange(low: 208, high: 759)
        XCTAssertEqual(r.low, 200)
        XCTAssertEqual(r.high, 1000)
        let wide = TickGenerator.niceLogRange(low: 3e-12, high: 2e-9)
        XCTAssertEqual(wide.low, 1e-12, accuracy: 1e-26)
        XCTAssertEqual(wide.high, 1e-8, accuracy: 1e-22)
        let narrow = TickGenerator.niceLogRange(low: 0.8, high: 1.25)
        XCTAssertEqual(narrow.low, 0.5, accuracy: 1e-15)
        XCTAssertEqual(narrow.high, 2, accuracy: 1e-15)
        XCTAssertEqual(TickGenerator.log(low: 0.5, high: 2).filter(\.major).map(\.label), ["0.5", "1", "2"])
    }

    func testScaleMapsAndRejects() {
        let lin = Scale(kind: .linear, low: 0, high: 10, start: 100, end: 200)
        XCTAssertEqual(lin.pixel(5), 150)
        XCTAssertNil(lin.pixel(.nan))
        let log = Scale(kind: .log, low: 1, high: 100, start: 400, end: 0)
        XCTAssertEqual(log.pixel(10)!, 200, accuracy: 1e-9)
        XCTAssertNil(log.pixel(0))
        XCTAssertEqual(log.pixelOrEdge(-1), 420)          // beyond the low edge, clipped later
    }

    func testEscape() {
        XCTAssertEqual(SVGText.escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;")
        XCTAssertEqual(SVGText.escape("x\u{01}y"), "xy")
        XCTAssertEqual(SVGText.superscript(-20), "⁻²⁰")
    }
}
