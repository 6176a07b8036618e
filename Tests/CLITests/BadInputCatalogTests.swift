import Foundation
import XCTest
import NMMCore

/// A catalogue of bad inputs (issue "robustness"): FITS and CSV spectra, configs, stage
/// files, missing or unreadable files and unwritable outputs. Every case runs the built
/// binary and must end with the design.md exit code, exactly one line on stderr naming the
/// file, the field and what was expected, and the folder exactly as before the run: no
/// output created, no existing output changed (bytes and mtime), no temporary file left.
final class BadInputCatalogTests: XCTestCase {
    struct Case: Sendable {
        var name: String
        var status: Int32
        /// Fragments the one stderr line must contain: file, field, expectation.
        var mentions: [String]
        var args: [String]
        var setup: @Sendable (Workspace) throws -> Void
    }

    static let ingest = ["ingest", "--config", "c.yaml", "--output", "out/spectra.fits"]
    static let subtract = ["subtract", "--config", "c.yaml", "--input", "spectra.fits", "--output", "out/residual.fits"]

    /// Good inputs with one spectrum replaced by a spoiled FITS file.
    static func fits(_ name: String, _ mentions: [String], file: String = "on.fits",
                     _ edit: @escaping @Sendable (inout Workspace.FITSSpectrum) -> Void) -> Case {
        Case(name: name, status: 65, mentions: [file] + mentions, args: ingest) { ws in
            try ws.writeGoodInputs()
            try ws.writeFITS(file, edit)
        }
    }

    /// CSV spectra (ON spoiled by `on`) and a config naming them.
    static func csv(_ name: String, _ mentions: [String], status: Int32 = 65, on: @escaping @Sendable (Workspace) throws -> Void) -> Case {
        Case(name: name, status: status, mentions: mentions, args: ingest) { ws in
            try ws.writeCSV("off.csv")
            try on(ws)
            try ws.writeConfig(on: "on.csv", off: "off.csv")
        }
    }

    /// Good FITS inputs and a config spoiled by `edits` (run through ingest).
    static func config(_ name: String, _ mentions: [String], status: Int32 = 65, edits: [(String, String)] = [],
                       append: String = "", window: String = "[12, 16]") -> Case {
        Case(name: name, status: status, mentions: ["c.yaml"] + mentions, args: ingest) { ws in
            try ws.writeFITS("on.fits")
            try ws.writeFITS("off.fits")
            try ws.writeConfig(window: window, edits: edits, append: append)
        }
    }

    /// A hand-made spectra.fits (4 bins, 12–16 keV) and a config, run through subtract.
    static func window(_ name: String, _ mentions: [String], window: String) -> Case {
        Case(name: name, status: 65, mentions: ["c.yaml"] + mentions, args: subtract) { ws in
            try ws.writeConfig(window: window)
            try ws.writeStageFile("spectra.fits", kind: .spectra, schema: 1, document: StageDocuments.spectra())
        }
    }

    // MARK: - The catalogue

    static let fitsCases: [Case] = [
        Case(name: "empty FITS file", status: 65, mentions: ["on.fits", "empty", "FITS or CSV"], args: ingest) { ws in
            try ws.writeGoodInputs()
            try ws.write("on.fits", bytes: Data())
        },
        Case(name: "truncated FITS (not a whole 2880-byte block)", status: 65,
             mentions: ["on.fits", "truncated", "2880"], args: ingest) { ws in
            try ws.writeGoodInputs()
            let bytes = try ws.read("on.fits")
            try ws.write("on.fits", bytes: bytes.prefix(bytes.count - 1000))
        },
        Case(name: "truncated FITS (last block missing)", status: 65, mentions: ["off.fits", "truncated"], args: ingest) { ws in
            try ws.writeGoodInputs()
            let bytes = try ws.read("off.fits")
            try ws.write("off.fits", bytes: bytes.prefix(bytes.count - 2880))
        },
        Case(name: "not FITS at all", status: 65, mentions: ["off.fits", "not a FITS file", "SIMPLE"], args: ingest) { ws in
            try ws.writeGoodInputs()
            try ws.write("off.fits", text: "E_LO,E_HI,COUNTS\n12,13,5\n")
        },
        Case(name: "corrupted FITS data (DATASUM mismatch)", status: 65, mentions: ["on.fits", "DATASUM", "corrupted"],
             args: ingest) { ws in
            try ws.writeGoodInputs()
            var bytes = try ws.read("on.fits")
            bytes[bytes.count - 2880 + 3] ^= 0x40   // inside the table data of the last HDU
            try ws.write("on.fits", bytes: bytes)
        },
        fits("wrong HDU: no BINTABLE", ["SPECTRUM", "BINTABLE"]) { $0.noTable = true },
        fits("missing column COUNTS", ["COUNTS", "expected a column"]) { $0.leaveOut = ["COUNTS"] },
        fits("missing column E_HI", ["E_HI", "expected a column"], file: "off.fits") { $0.leaveOut = ["E_HI"] },
        fits("wrong column type: logical COUNTS", ["COUNTS", "expected a numeric column", "logical"]) {
            $0.counts = .bool([true, false, true, true])
        },
        fits("unknown energy unit", ["E_LO", "expected an energy unit (eV, keV or MeV)", "furlong"]) { $0.energyUnit = "furlong" },
        fits("COUNTS in a rate unit", ["COUNTS", "expected counts per bin", "count/s"]) { $0.countsUnit = "count/s" },
        fits("NaN count", ["COUNTS row 2", "expected a finite count", "nan"]) { $0.counts = .double([5, .nan, 7, 8]) },
        fits("infinite count", ["COUNTS row 3", "expected a finite count", "inf"], file: "off.fits") {
            $0.counts = .double([5, 6, .infinity, 8])
        },
        fits("negative count", ["COUNTS row 1", "expected a count ≥ 0", "-5"]) { $0.counts = .double([-5, 6, 7, 8]) },
        fits("absurdly large count", ["COUNTS row 4", "absurdly large", "1e+20"]) { $0.counts = .double([5, 6, 7, 1e20]) },
        fits("edges not increasing", ["E_HI row 2", "expected E_HI > E_LO"]) { $0.low = [12, 13, 14, 15]; $0.high = [13, 13, 15, 16] },
        fits("gap between bins", ["E_LO row 3", "gap between bins"]) { $0.low = [12, 13, 14.5, 15]; $0.high = [13, 14, 15, 16] },
        fits("overlapping bins", ["E_LO row 2", "bins overlap"]) { $0.low = [12, 12.5, 14, 15]; $0.high = [13, 14, 15, 16] },
        fits("ON/OFF binning mismatch", ["E_LO/E_HI row 2", "ON and OFF binning differ"], file: "off.fits") {
            $0.low = [12, 13, 14.5, 15.5]; $0.high = [13, 14.5, 15.5, 16]
        },
        fits("zero live time", ["LIVETIME", "expected a live time > 0"]) { $0.setKeyword("LIVETIME", .double(0)) },
        fits("negative live time", ["LIVETIME", "expected a live time > 0", "-"], file: "off.fits") {
            $0.setKeyword("LIVETIME", .double(-100))
        },
        fits("missing live time", ["LIVETIME", "expected a LIVETIME keyword"]) { $0.setKeyword("LIVETIME", nil) },
        fits("unknown live-time unit", ["TIMEUNIT", "expected 's', 'h' or 'd'", "fortnight"]) {
            $0.setKeyword("TIMEUNIT", .string("fortnight"))
        },
        fits("live time as text", ["LIVETIME", "expected a number, found 'a week'"]) { $0.setKeyword("LIVETIME", .string("a week")) },
        fits("zero mass", ["MASS", "expected a mass > 0 kg"]) { $0.setKeyword("MASS", .double(0)) },
        fits("unknown mass unit", ["MASSUNIT", "expected 'kg' or 'g'", "lb"]) { $0.setKeyword("MASSUNIT", .string("lb")) },
    ]

    static let csvCases: [Case] = [
        csv("CSV without a COUNTS column", ["on.csv:4", "header", "expected columns E_LO [unit], E_HI [unit], COUNTS"]) {
            try $0.writeCSV("on.csv", header: "E_LO [keV],E_HI [keV],N")
        },
        csv("CSV unknown energy unit", ["on.csv:4", "header", "expected energy units eV, keV or MeV"]) {
            try $0.writeCSV("on.csv", header: "E_LO [parsec],E_HI [parsec],COUNTS")
        },
        csv("CSV field that is not a number", ["on.csv:6", "COUNTS", "expected a number", "'lots'"]) {
            try $0.writeCSV("on.csv", rows: ["12,13,5", "13,14,lots", "14,15,7", "15,16,8"])
        },
        csv("CSV wrong field count", ["on.csv:7", "expected 3 fields, found 2"]) {
            try $0.writeCSV("on.csv", rows: ["12,13,5", "13,14,6", "14,7", "15,16,8"])
        },
        csv("CSV quoted field across lines", ["on.csv:7", "expected 3 fields"]) {
            try $0.writeCSV("on.csv", rows: ["12,13,5", "13,14,\"6", "\",14,15,7", "15,16,8"])
        },
        csv("CSV without live time", ["on.csv", "livetime", "expected a metadata line '#! livetime"]) {
            try $0.writeCSV("on.csv", liveTime: "")
        },
        csv("CSV live time without unit", ["on.csv:2", "livetime", "expected unit s, h or d"]) {
            try $0.writeCSV("on.csv", liveTime: "100")
        },
        csv("CSV NaN count", ["on.csv", "COUNTS row 2", "expected a finite count"]) {
            try $0.writeCSV("on.csv", rows: ["12,13,5", "13,14,nan", "14,15,7", "15,16,8"])
        },
        csv("CSV negative live time", ["on.csv", "LIVETIME", "expected a live time > 0"]) {
            try $0.writeCSV("on.csv", liveTime: "-3 h")
        },
        csv("CSV zero mass", ["on.csv", "MASS", "expected a mass > 0 kg"]) { try $0.writeCSV("on.csv", mass: "0 kg") },
        csv("CSV not UTF-8", ["on.csv", "expected UTF-8 CSV text"]) {
            try $0.write("on.csv", bytes: Data([0x23, 0x21, 0xff, 0xfe, 0x0a, 0xc3, 0x28]))
        },
    ]

    static let configCases: [Case] = [
        config("misspelt config key", ["c.yaml:2", "detector.massKG", "unknown key", "did you mean 'massKg'?"],
               edits: [("massKg: 1.06", "massKG: 1.06")]),
        config("unknown config section", ["colour", "unknown key"], append: "colour: blue"),
        config("YAML syntax error", ["YAML syntax error"], edits: [("windowKeV: [12, 16]}", "windowKeV: [12, 16}")]),
        config("config value of the wrong type", ["detector.massKg", "expected a number"],
               edits: [("massKg: 1.06", "massKg: heavy")]),
        config("zero detector mass in config", ["detector.massKg", "expected a mass > 0 kg"],
               edits: [("massKg: 1.06", "massKg: 0")]),
        config("missing required key", ["experiment", "required key is missing"], edits: [("experiment: t\n", "")]),
        config("fission fractions not summing to 1", ["reactor.fissionFractions", "summing to 1"],
               edits: [("U235: 0.49", "U235: 0.59")]),
        config("absurd toy grid", ["limit.gridPoints", "expected 3 to 100000 grid points"],
               append: "limit: {gridPoints: 1000000000000}"),
        config("flavour contradicting the source", ["c.yaml:10", "neutrino.flavor", "reactor-lines emits nu_e, found 'anti-nu_e'"],
               append: "source: {kind: reactor-lines}\nneutrino: {flavor: anti-nu_e}"),
        config("tritium source with a reactor section", ["c.yaml:3", "reactor", "not used with source.kind tritium"],
               append: "source: {kind: tritium, totalFluxPerCm2PerS: 6.0e14}"),
        config("unknown source kind", ["source.kind", "expected reactor, reactor-lines or tritium, found 'cobalt'"],
               append: "source: {kind: cobalt}"),
        config("Lindhard quenching without k", ["coherent.quenching.k", "required with model lindhard"],
               append: "coherent: {quenching: {model: lindhard}}"),
        config("simulation with absurdly many bins", ["simulation.binWidthKeV", "at most 10000000 bins"],
               append: "simulation: {rangeKeV: [2, 100], binWidthKeV: 1.0e-300, onLiveTimeHours: 1, offLiveTimeHours: 1, backgroundPerKgKeVDay: 1}"),
        config("window with low > high", ["analysis.windowKeV", "0 ≤ low < high"], window: "[16, 12]"),
        Case(name: "chemical formula nested too deep", status: 65,
             mentions: ["c.yaml", "detector.target", "nested deeper than 16 levels"],
             args: ["rates", "--config", "c.yaml", "--energies", "10"]) { ws in
            try ws.writeGoodInputs()
            try ws.writeConfig(edits: [("target: Ge", "target: '" + String(repeating: "(", count: 5000) + "H"
                                        + String(repeating: ")", count: 5000) + "'")])
        },
        Case(name: "empty config", status: 65, mentions: ["c.yaml", "empty", "YAML mapping"], args: ingest) { ws in
            try ws.writeGoodInputs()
            try ws.write("c.yaml", text: "# nothing yet\n")
        },
        Case(name: "config not UTF-8", status: 65, mentions: ["c.yaml", "not UTF-8"], args: ingest) { ws in
            try ws.writeGoodInputs()
            try ws.write("c.yaml", bytes: Data([0x65, 0x78, 0xff, 0xfe, 0x3a]))
        },
        window("energy window outside the data", ["analysis.windowKeV", "holds no whole bin", "[12.0, 16.0]"], window: "[100, 200]"),
        window("energy window with one bin", ["analysis.windowKeV", "only one bin", "at least 2"], window: "[12, 13.5]"),
        window("masks leave one bin", ["analysis.maskedKeV", "expected at least 2"],
               window: "[12, 16], maskedKeV: [[12, 15]]"),
    ]

    static let missingCases: [Case] = [
        Case(name: "missing config", status: 66, mentions: ["missing.yaml", "config file not found"],
             args: ["ingest", "--config", "missing.yaml", "--output", "out/spectra.fits"]) { ws in try ws.writeGoodInputs() },
        Case(name: "config is a folder (unreadable)", status: 66, mentions: ["c.yaml", "cannot be read"], args: ingest) { ws in
            try ws.writeFITS("on.fits"); try ws.writeFITS("off.fits")
            try ws.makeFolder("c.yaml")
        },
        Case(name: "missing input spectrum", status: 66, mentions: ["nope.fits", "not found"], args: ingest) { ws in
            try ws.writeFITS("on.fits")
            try ws.writeConfig(off: "nope.fits")
        },
        Case(name: "input spectrum is a folder (unreadable)", status: 66, mentions: ["on.fits", "folder"], args: ingest) { ws in
            try ws.writeGoodInputs()
            try FileManager.default.removeItem(atPath: ws.path("on.fits"))
            try ws.makeFolder("on.fits")
        },
        Case(name: "missing stage file", status: 66, mentions: ["spectra.fits", "not found"], args: subtract) { ws in
            try ws.writeConfig()
        },
    ]

    static let outputCases: [Case] = [
        Case(name: "output folder is a regular file", status: 73, mentions: ["blocker/spectra.fits", "not a folder"],
             args: ["ingest", "--config", "c.yaml", "--output", "blocker/spectra.fits"]) { ws in
            try ws.writeGoodInputs()
            try ws.write("blocker", text: "x")
        },
        Case(name: "output folder not writable (/proc)", status: 73, mentions: ["/proc/spectra.fits", "cannot"],
             args: ["ingest", "--config", "c.yaml", "--output", "/proc/spectra.fits"]) { ws in try ws.writeGoodInputs() },
        Case(name: "output folder cannot be made (/proc/nmm)", status: 73, mentions: ["/proc/nmm-out/spectra.fits", "cannot create folder"],
             args: ["ingest", "--config", "c.yaml", "--output", "/proc/nmm-out/spectra.fits"]) { ws in try ws.writeGoodInputs() },
        Case(name: "output name is a folder", status: 73, mentions: ["out/spectra.fits", "a folder with that name"], args: ingest) { ws in
            try ws.writeGoodInputs()
            try ws.makeFolder("out/spectra.fits")
        },
        Case(name: "limit.json cannot be written beside limit.fits", status: 73, mentions: ["limit.json", "folder"],
             args: ["limit", "--config", "c.yaml", "--fit", "fit.fits", "--output", "out/limit.fits"]) { ws in
            try ws.writeConfig()
            try ws.writeStageFile("fit.fits", kind: .fit, schema: 1, document: StageDocuments.fit())
            try ws.write("out/limit.fits", text: "previous limit")
            try ws.age("out/limit.fits")
            try ws.makeFolder("out/limit.json")
        },
    ]

    static let stageCases: [Case] = [
        Case(name: "stage file of the wrong NMMTYPE", status: 65, mentions: ["spectra.fits", "expected an NMMTYPE = SPECTRA", "FIT"],
             args: subtract) { ws in
            try ws.writeConfig()
            try ws.writeStageFile("spectra.fits", kind: .fit, schema: 1, document: StageDocuments.fit())
        },
        Case(name: "stage file of an unknown schema version", status: 65,
             mentions: ["spectra.fits", "unknown schema version 99", "reads 1"], args: subtract) { ws in
            try ws.writeConfig()
            try ws.writeStageFile("spectra.fits", kind: .spectra, schema: 99, document: StageDocuments.spectra())
        },
        Case(name: "input spectrum given as a stage file", status: 65, mentions: ["on.fits", "not an nmm stage file", "NMMTYPE"],
             args: ["subtract", "--config", "c.yaml", "--input", "on.fits", "--output", "out/residual.fits"]) { ws in
            try ws.writeGoodInputs()
        },
        Case(name: "stage file missing a keyword", status: 65, mentions: ["spectra.fits", "OFFFACT", "missing"], args: subtract) { ws in
            try ws.writeConfig()
            var doc = StageDocuments.spectra()
            doc.primaryKeywords = []
            try ws.writeStageFile("spectra.fits", kind: .spectra, schema: 1, document: doc)
        },
        Case(name: "stale parent hash", status: 65, mentions: ["spectra.fits", "stale", "on.fits", "PSHA1"],
             args: subtract) { ws in
            try ws.writeGoodInputs()
            try ws.writeStageFile("spectra.fits", kind: .spectra, schema: 1, document: StageDocuments.spectra(),
                                  parents: ["on.fits", "off.fits"])
            try ws.writeFITS("on.fits") { $0.counts = .double([5, 6, 7, 9]) }   // the parent changed afterwards
            try ws.write("out/residual.fits", text: "previous residual")
            try ws.age("out/residual.fits")
        },
        Case(name: "templates given a residual file", status: 65,
             mentions: ["residual.fits", "expected an NMMTYPE = SPECTRA", "RESIDUAL"],
             args: ["templates", "--config", "c.yaml", "--input", "residual.fits", "--output", "out/templates.fits"]) { ws in
            try ws.writeConfig()
            try ws.writeStageFile("residual.fits", kind: .residual, schema: 1,
                                  document: StageDocuments.residual(on: [5, 6, 7, 8], off: [5, 6, 7, 8]))
        },
        Case(name: "analyze stops at a bad input spectrum", status: 65, mentions: ["off.fits", "COUNTS row 4", "finite"],
             args: ["analyze", "--config", "c.yaml", "--build-dir", "b"]) { ws in
            try ws.writeGoodInputs()
            try ws.writeFITS("off.fits") { $0.counts = .double([5, 6, 7, -.infinity]) }
        },
        Case(name: "templates and residual binnings differ", status: 65, mentions: ["templates.fits", "bins", "residual.fits"],
             args: ["model", "--config", "c.yaml", "--residual", "residual.fits", "--templates", "templates.fits",
                    "--output", "out/model.fits"]) { ws in
            try ws.writeConfig()
            try ws.writeStageFile("residual.fits", kind: .residual, schema: 1,
                                  document: StageDocuments.residual(on: [5, 6, 7, 8], off: [5, 6, 7, 8]))
            try ws.writeStageFile("templates.fits", kind: .templates, schema: 2,
                                  document: StageDocuments.templates(sm: [1, 1, 1], mm: [0.1, 0.1, 0.1]))
        },
    ]

    static var all: [Case] { fitsCases + csvCases + configCases + missingCases + outputCases + stageCases + eventCases + ogipCases }

    // MARK: - Running

    func run(_ cases: [Case], file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertFalse(cases.isEmpty, "a category of the catalogue is empty", file: file, line: line)
        for c in cases {
            let ws = try Workspace()
            defer { ws.remove() }
            try c.setup(ws)
            let before = try ws.snapshot()
            let r = try ws.nmm(c.args)
            let after = try ws.snapshot()
            let label = "[\(c.name)]"
            XCTAssertEqual(r.status, c.status, "\(label) exit code; stderr: \(r.stderr)", file: file, line: line)
            XCTAssertEqual(r.stderrLines.count, 1, "\(label) exactly one stderr line expected: \(r.stderr)", file: file, line: line)
            XCTAssertTrue(r.stderr.hasPrefix("nmm: error: "), "\(label) \(r.stderr)", file: file, line: line)
            for m in c.mentions {
                XCTAssertTrue(r.stderr.contains(m), "\(label) '\(m)' not in: \(r.stderr)", file: file, line: line)
            }
            XCTAssertEqual(before, after, "\(label) the folder must be unchanged (no output, no temporary file)",
                           file: file, line: line)
            if ProcessInfo.processInfo.environment["NMM_CATALOG_PRINT"] != nil {
                print("CATALOG | \(c.name) | \(r.status) | \(r.stderr.trimmingCharacters(in: .newlines))")
            }
        }
    }

    func testCatalogueHasAtLeastThirtyCases() {
        XCTAssertGreaterThanOrEqual(Self.all.count, 30)
        XCTAssertEqual(Set(Self.all.map(\.name)).count, Self.all.count, "case names are unique")
    }

    func testBadFITSSpectra() throws { try run(Self.fitsCases) }
    func testBadCSVSpectra() throws { try run(Self.csvCases) }
    func testBadConfigs() throws { try run(Self.configCases) }
    func testMissingOrUnreadableInputs() throws { try run(Self.missingCases) }
    func testUnwritableOutputs() throws { try run(Self.outputCases) }
    func testBadStageFiles() throws { try run(Self.stageCases) }

    // MARK: - Good inputs that look unusual

    /// Energies in eV (FITS TUNIT and CSV header) are converted to keV: the same spectra
    /// in eV and in keV ingest to the same bins.
    func testElectronVoltsAreConvertedToKeV() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.writeFITS("on.fits") { s in
            s.energyUnit = "eV"; s.low = s.low.map { $0 * 1000 }; s.high = s.high.map { $0 * 1000 }
        }
        try ws.writeCSV("off.csv", rows: ["12000,13000,5", "13000,14000,6", "14000,15000,7", "15000,16000,8"],
                        header: "E_LO [eV],E_HI [eV],COUNTS")
        try ws.writeConfig(on: "on.fits", off: "off.csv")
        let r = try ws.nmm(Self.ingest)
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try FITSIO.read(ws.path("out/spectra.fits"))
        for name in ["ON", "OFF"] {
            let t = try doc.table(name)
            XCTAssertEqual(try t.doubles("E_LO", unit: "keV"), [12, 13, 14, 15], name)
            XCTAssertEqual(try t.doubles("E_HI", unit: "keV"), [13, 14, 15, 16], name)
        }
    }

    /// CSV files with Windows (CRLF) or old Mac (CR) line ends read like Unix ones.
    func testCSVLineEndings() throws {
        for (label, eol) in [("CRLF", "\r\n"), ("CR", "\r")] {
            let ws = try Workspace()
            defer { ws.remove() }
            try ws.write("on.csv", text: Workspace.csvText().replacingOccurrences(of: "\n", with: eol))
            try ws.writeCSV("off.csv")
            try ws.writeConfig(on: "on.csv", off: "off.csv")
            let r = try ws.nmm(Self.ingest)
            XCTAssertEqual(r.status, 0, "\(label): \(r.stderr)")
            let doc = try FITSIO.read(ws.path("out/spectra.fits"))
            XCTAssertEqual(try doc.table("ON").doubles("COUNTS", unit: "count"), [5, 6, 7, 8], label)
        }
    }
}
