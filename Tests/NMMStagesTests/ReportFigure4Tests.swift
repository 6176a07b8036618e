import Foundation
import NMMTestSupport
import XCTest
@testable import NMMCore
@testable import NMMStages
@testable import NMMPhysics

/// Seed Fig. 4 in the report (figure4.svg, and figure4-ee.svg when the config quenches): the
/// four curves, a labelled line at every change of the dominant process, the crossings printed
/// under the plot and on the page. The report fixtures' source is the minimal config's reactor
/// (seed Table 1 fractions, 0.6 captures, free electrons), so the true-recoil crossings are
/// those of Figure4Tests (NMMPhysics): 8.191 eV, 1.3148 keV, 332.6 keV — the seed's "coherent
/// MM below ~10 eV", "coherent SM below ~1 keV" (and ν–e SM above ≈ 333 keV, not the seed's 1 MeV).
final class ReportFigure4Tests: XCTestCase {
    var fixtures: ReportFixtures!

    override func setUpWithError() throws { fixtures = ReportFixtures.temporary("fig4") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: fixtures.dir) }

    func probe(_ file: String) throws -> SVGProbe {
        let p = SVGProbe(try String(contentsOfFile: "\(fixtures.reportDir)/\(file)", encoding: .utf8))
        XCTAssertTrue(p.isWellFormed, "\(file): \(String(describing: p.parseError))")
        return p
    }

    func testTrueRecoilFigureHasTheFourCurvesAndTheSeedsCrossings() throws {
        try fixtures.writeAll()
        let written = try fixtures.runReport().map { ($0 as NSString).lastPathComponent }
        XCTAssertTrue(written.contains("figure4.svg"))
        XCTAssertFalse(written.contains("figure4-ee.svg"), "no quenching in the config: no E_ee figure")
        let p = try probe("figure4.svg")
        for name in Figure4Process.allCases.map(\.rawValue) {
            XCTAssertTrue(p.seriesNames.contains(name), "missing \(name) in \(p.seriesNames)")
            XCTAssertFalse(p.elements(inSeries: name).isEmpty, "\(name) draws nothing")
        }
        let labels = (1...3).map { i in p.elements(inSeries: "crossing \(i)").map(\.text).joined().trimmingCharacters(in: .whitespacesAndNewlines) }
        XCTAssertEqual(labels, ["8.19 eV", "1.31 keV", "333 keV"])
        XCTAssertTrue(p.seriesNames.filter { $0.hasPrefix("crossing") }.count == 3, "\(p.seriesNames)")
        let expected = "Dominant process: coherent MM below 8.19 eV, coherent SM up to 1.31 keV, nu-e MM up to 333 keV, nu-e SM above."
        let html = try String(contentsOfFile: "\(fixtures.reportDir)/index.html", encoding: .utf8)
        XCTAssertTrue(html.contains(expected), "the page prints the crossings")
        XCTAssertTrue(p.elements.contains { $0.name == "desc" && $0.text.contains(expected) }, "the figure notes print them too")
    }

    // With a Lindhard-quenched coherent section the report adds the detector's axis: the
    // coherent crossings move down to E_ee = Y(T_N)·T_N (Figure4Tests: 0.734 eV_ee and
    // 0.227 keV_ee at k = 0.157; a larger k = 0.162 raises Y and both E_ee a little).
    func testElectronEquivalentFigureWithQuenching() throws {
        fixtures.withCoherent = true
        try fixtures.writeAll()
        let written = try fixtures.runReport().map { ($0 as NSString).lastPathComponent }
        XCTAssertTrue(written.contains("figure4-ee.svg"))
        let d = try XCTUnwrap(try Figure4Data.compute(try fixtures.config()).first { $0.axis == .electronEquivalent })
        XCTAssertEqual(d.changes.map(\.below), [.coherentMM, .coherentSM, .electronMM])
        XCTAssertEqual(d.changes.count, 3)
        guard d.changes.count == 3 else { return }
        XCTAssert((0.734e-3...0.8e-3).contains(d.changes[0].energyKeV), "\(d.changes[0].energyKeV)")
        XCTAssert((0.2273...0.26).contains(d.changes[1].energyKeV), "\(d.changes[1].energyKeV)")
        XCTAssertEqual(d.changes[2].energyKeV, 332.6, accuracy: 0.5)
        let p = try probe("figure4-ee.svg")
        XCTAssertEqual(p.elements(inSeries: "crossing 3").map(\.text).joined().trimmingCharacters(in: .whitespacesAndNewlines), "333 keV")
        let html = try String(contentsOfFile: "\(fixtures.reportDir)/index.html", encoding: .utf8)
        XCTAssertTrue(html.contains("Dominant process: coherent MM below 0."), "E_ee crossings printed")
        XCTAssertTrue(html.contains("eV_ee"))
    }

    // Other sources end the figure at their ν–e end point: T_max(747 keV) = 556.6 keV for the
    // lines, T_max(18.591 keV) = 1.26 keV for tritium (whose coherent recoils stay below the axis).
    func testTheFigureEndsAtTheSourcesEndPoint() throws {
        var c = try fixtures.config()
        c.source = SourceConfig(kind: .reactorLines)
        let lines = try XCTUnwrap(try Figure4Data.compute(c).first)
        XCTAssertEqual(lines.energiesKeV.last!, 556.6, accuracy: 0.1)
        c.reactor = nil
        c.source = SourceConfig(kind: .tritium, totalFluxPerCm2PerS: 6e14)
        let tritium = try XCTUnwrap(try Figure4Data.compute(c).first)
        XCTAssertEqual(tritium.energiesKeV.last!, 1.26, accuracy: 0.01)
        // Tritium's nuclear recoils end at T_N,max = 2Q²/M ≈ 0.01 eV_nr: the axis starts a decade below.
        XCTAssertEqual(tritium.energiesKeV.first!, 1.02e-6, accuracy: 0.05e-6)
        for (e, r) in zip(tritium.energiesKeV, tritium.rates[.coherentSM]!) where e > 1.1e-5 { XCTAssertEqual(r, 0, "\(e)") }
        XCTAssertGreaterThan(tritium.rates[.coherentSM]!.max()!, 0)
        // The nuclear recoils end far below the lowest bound electron that can scatter (binding
        // step off: every electron at any T, so ν–e starts at the axis' lower end: no gap).
        XCTAssertTrue(tritium.crossingsText.hasSuffix("nu-e MM above."), tritium.crossingsText)
    }
}
