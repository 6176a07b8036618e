import Foundation
import NMMTestSupport
import XCTest
@testable import NMMCore
@testable import NMMStages
@testable import NMMStatistics

final class ReportTests: XCTestCase {
    var fixtures: ReportFixtures!

    override func setUpWithError() throws {
        fixtures = ReportFixtures.temporary("t")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: fixtures.dir)
    }

    func probe(_ file: String) throws -> SVGProbe {
        let text = try String(contentsOfFile: "\(fixtures.reportDir)/\(file)", encoding: .utf8)
        let p = SVGProbe(text)
        XCTAssertTrue(p.isWellFormed, "\(file): \(String(describing: p.parseError))")
        return p
    }

    func assertSeries(_ p: SVGProbe, _ names: [String], file: StaticString = #filePath, line: UInt = #line) {
        for n in names {
            XCTAssertTrue(p.seriesNames.contains(n), "missing series \(n) in \(p.seriesNames)", file: file, line: line)
        }
    }

    func testWritesEveryFileAndEveryFigureHasItsSeriesAndLabels() throws {
        try fixtures.writeAll()
        let written = try fixtures.runReport()
        XCTAssertEqual(written.map { ($0 as NSString).lastPathComponent },
                       ["spectra.svg", "residual.svg", "belt.svg", "profile.svg", "sensitivity.svg", "figure4.svg", "index.html"])
        for path in written { XCTAssertTrue(FileManager.default.fileExists(atPath: path), path) }

        let spectra = try probe("spectra.svg")
        assertSeries(spectra, ["ON", "OFF", "analysis window", "masked"])
        XCTAssertEqual(spectra.texts(class: "xlabel"), ["Energy (keV)"])
        XCTAssertTrue(spectra.texts(class: "ylabel").first?.contains("counts/(kg·keV·day)") ?? false)
        XCTAssertTrue(spectra.legendNames.contains("ON") && spectra.legendNames.contains("OFF"))
        XCTAssertEqual(spectra.elements(inSeries: "ON").filter { $0.name == "circle" }.count, 98)

        let residual = try probe("residual.svg")
        assertSeries(residual, ["data", "masked bins", "best fit", "SM expectation", "limit"])
        XCTAssertEqual(residual.texts(class: "xlabel"), ["Energy (keV)"])
        XCTAssertTrue(residual.texts(class: "ylabel").first?.contains("counts/(kg·keV·day)") ?? false)
        let legendTexts = residual.elements.filter { $0.name == "text" && $0.ancestorClasses.contains("legend") }.map(\.text)
        XCTAssertTrue(legendTexts.contains { $0.hasPrefix("best fit: κ̂ = −0.4 ± 1.3") }, "\(legendTexts)")
        XCTAssertTrue(legendTexts.contains { $0.contains("1.3×10⁻¹⁰ μ_B (90% CL limit)") }, "\(legendTexts)")

        let belt = try probe("belt.svg")
        assertSeries(belt, ["belt", "measured", "interval", "upper limit"])
        XCTAssertEqual(belt.texts(class: "xlabel"), ["measured κ̂ (10⁻²⁰ μ_B²)"])
        XCTAssertEqual(belt.texts(class: "ylabel"), ["true κ (10⁻²⁰ μ_B²)"])

        let profile = try probe("profile.svg")
        assertSeries(profile, ["profile", "critical", "best fit", "upper limit", "unphysical"])
        XCTAssertEqual(profile.texts(class: "xlabel"), ["κ (10⁻²⁰ μ_B²)"])
        XCTAssertTrue(profile.texts(class: "label").contains("Δχ² = 2.71"))

        let sens = try probe("sensitivity.svg")
        assertSeries(sens, ["expected", "±1σ band", "±2σ band", "published", "this run"])
        XCTAssertEqual(sens.texts(class: "xlabel"), ["Exposure (kg·day)"])
        XCTAssertEqual(sens.texts(class: "ylabel"), ["μ_ν upper limit (μ_B)"])
        let labels = sens.texts(class: "label")
        for name in ["TEXONO-KS 2003", "TEXONO-KS 2007", "MUNU 2005", "GEMMA 2007", "this run"] {
            XCTAssertTrue(labels.contains { $0.hasPrefix(name) }, "\(name) not among \(labels)")
        }
        XCTAssertTrue(sens.texts(class: "note").joined(separator: " ").contains("differ in flux, background"))
    }

    func testIndexHasTheLimitTheTableTheFiguresAndTheProvenance() throws {
        try fixtures.writeAll()
        _ = try fixtures.runReport()
        let html = try String(contentsOfFile: "\(fixtures.reportDir)/index.html", encoding: .utf8)
        XCTAssertTrue(SVGProbe(html).isWellFormed, "index.html should be well-formed (polyglot) markup")
        XCTAssertTrue(html.contains("μ_ν(ν̄e) &lt; 1.3×10⁻¹⁰ μ_B at 90% CL (Feldman–Cousins, Gaussian belt)"))
        for needle in ["[0, 1.69]", "−0.4 ± 1.3", "48.0/49", "208.1", "55.21", "1.06 kg", "6.4×10¹²", "20030331",
                       "Gaussian belt", "smNorm", "eV³·s", "fitted"] {
            XCTAssertTrue(html.contains(needle), "index.html lacks \(needle)")
        }
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 6)     // six figures inlined (Fig. 4 on the true-recoil axis)
        XCTAssertFalse(html.contains("<?xml"))
        for path in [fixtures.spectraPath, fixtures.residualPath, fixtures.templatesPath, fixtures.fitPath, fixtures.limitPath] {
            XCTAssertTrue(html.contains(try SHA256Hex.of(fileAt: path)), "no hash of \(path)")
            XCTAssertTrue(html.contains(path), "no path \(path)")
        }
        XCTAssertTrue(html.contains(try SHA256Hex.of(fileAt: "\(fixtures.dir)/on.csv")))   // PSHA1 of spectra
        XCTAssertTrue(html.contains("✓ input of this report"))
        XCTAssertTrue(html.contains("✓ this config"))
        XCTAssertTrue(html.contains("RESIDUAL v1"))
    }

    func testToyBeltShowsCriticalAndObservedStatistic() throws {
        fixtures.toys = true
        try fixtures.writeAll()
        _ = try fixtures.runReport()
        let belt = try probe("belt.svg")
        assertSeries(belt, ["critical value", "observed", "interval", "measured"])
        XCTAssertEqual(belt.texts(class: "xlabel"), ["κ (10⁻²⁰ μ_B²)"])
        XCTAssertEqual(belt.texts(class: "ylabel"), ["test statistic t = Δχ²"])
        XCTAssertTrue(belt.texts(class: "note").joined(separator: " ").contains("3 failed"))
        let html = try String(contentsOfFile: "\(fixtures.reportDir)/index.html", encoding: .utf8)
        XCTAssertTrue(html.contains("toy Neyman construction"))
        XCTAssertTrue(html.contains("<td>82000</td>"))       // toys in the belt
    }

    func testWithoutSensitivityTheObservedLimitIsScaledAndNoBands() throws {
        fixtures.withSensitivity = false
        fixtures.withMask = false
        try fixtures.writeAll()
        _ = try fixtures.runReport()
        let sens = try probe("sensitivity.svg")
        XCTAssertFalse(sens.seriesNames.contains { $0.hasSuffix("band") })
        XCTAssertTrue(sens.legendNames.contains("expected"))
        let legend = sens.elements.filter { $0.name == "text" && $0.ancestorClasses.contains("legend") }.map(\.text)
        XCTAssertTrue(legend.contains { $0.hasPrefix("observed limit scaled") }, "\(legend)")
        XCTAssertFalse(try probe("residual.svg").seriesNames.contains("masked bins"))
    }

    func testLogYSpectra() throws {
        try fixtures.writeAll()
        _ = try fixtures.runReport(logY: true)
        let p = try probe("spectra.svg")
        let ticks = p.tickLabels("yticks")
        XCTAssertTrue(ticks.contains("1") && ticks.contains("10"), "\(ticks)")   // decades (or 1-2-5) on a log axis
        XCTAssertEqual(p.elements(inSeries: "ON").filter { $0.name == "circle" }.count, 98)
    }

    func testDeterministicOutput() throws {
        try fixtures.writeAll()
        let first = try fixtures.runReport().map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let second = try fixtures.runReport().map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        XCTAssertEqual(first, second)
    }

    func testWrongTypeAndStaleInputsAreRefused() throws {
        try fixtures.writeAll()
        let cfg = try fixtures.config()
        XCTAssertThrowsError(try Report().run(config: cfg, spectraPath: fixtures.spectraPath, residualPath: fixtures.residualPath,
                                              templatesPath: fixtures.templatesPath, fitPath: fixtures.limitPath,
                                              limitPath: fixtures.limitPath, outputDirectory: fixtures.reportDir)) { e in
            XCTAssertEqual((e as? ProductError)?.kind, .wrongType, "\(e)")
        }
        // Rewrite the residual: the fit that names it is now stale.
        var residual = try ProductStore.read(Residual.self, from: fixtures.residualPath).0
        residual.rate[0] += 1
        try ProductStore.write(residual, provenance: Provenance(kind: .residual, schemaVersion: 1, configSHA256: "x", parents: []),
                               to: fixtures.residualPath)
        XCTAssertThrowsError(try fixtures.runReport()) { e in
            XCTAssertEqual((e as? ProductError)?.kind, .stale, "\(e)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(fixtures.reportDir)/index.html"))
    }

    func testOutputFolderThatIsAFileIsAnOutputError() throws {
        try fixtures.writeAll()
        try Data().write(to: URL(fileURLWithPath: fixtures.reportDir))
        XCTAssertThrowsError(try fixtures.runReport()) { e in
            XCTAssertEqual((e as? NMMError)?.exitStatus, .cannotCreate, "\(e)")
        }
    }
}
