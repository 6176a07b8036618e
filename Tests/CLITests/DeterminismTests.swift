import Foundation
import XCTest
import NMMCore

/// The same seed gives bit-identical limit.fits data for 1, 2 and 8 worker threads: every
/// header keyword but DATE (CHECKSUM/DATASUM are structural, and CHECKSUM's comment carries
/// a time stamp) and every column, compared by bit pattern (NaN-aware), and the same
/// limit.json bytes.
final class DeterminismTests: XCTestCase {
    func testToyLimitsAreBitIdenticalForOneTwoAndEightThreads() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let root = NMMProcess.packageRoot.path
        var config = try String(contentsOfFile: root + "/config/default.yaml", encoding: .utf8)
        for (from, to) in [("on: ../Fixtures/default/on.fits", "on: \(root)/Fixtures/default/on.fits"),
                           ("off: ../Fixtures/default/off.fits", "off: \(root)/Fixtures/default/off.fits"),
                           ("gridPoints: 60", "gridPoints: 8")] {
            XCTAssertTrue(config.contains(from), from)
            config = config.replacingOccurrences(of: from, with: to)
        }
        try ws.write("c.yaml", text: config)
        let prep = try ws.nmm(["analyze", "--config", "c.yaml", "--build-dir", "b", "--to", "fit", "--quiet"])
        XCTAssertEqual(prep.status, 0, prep.stderr)

        let chi2Fit = try ws.nmm(["fit", "--config", "c.yaml", "--build-dir", "b", "--method", "chi2",
                                  "--output", "b/default/fit-chi2.fits", "--quiet"])
        XCTAssertEqual(chi2Fit.status, 0, chi2Fit.stderr)
        for (statistic, fit) in [("chi2", "b/default/fit-chi2.fits"), ("poisson", "b/default/fit.fits")] {
            var docs: [(threads: Int, doc: FITSDocument, json: Data)] = []
            for threads in [1, 2, 8] {
                let out = "\(statistic)-t\(threads)"
                let r = try ws.nmm(["limit", "--config", "c.yaml", "--build-dir", "b", "--fit", fit, "--method", "toys",
                                    "--seed", "4711", "--toys", "200", "--sensitivity-toys", "100", "--threads", "\(threads)",
                                    "--output", "\(out)/limit.fits", "--quiet"])
                XCTAssertEqual(r.status, 0, r.stderr)
                docs.append((threads, try FITSIO.read(ws.path("\(out)/limit.fits")), try ws.read("\(out)/limit.json")))
            }
            let reference = docs[0]
            XCTAssertEqual(try reference.doc.string("STATISTC"), statistic)
            XCTAssertEqual(try reference.doc.string("SEED"), "4711")
            XCTAssertEqual(try reference.doc.int("NTOYS"), 200 * 8)
            for other in docs.dropFirst() {
                let label = "\(statistic), \(other.threads) threads vs 1"
                XCTAssertEqual(Self.keywords(other.doc.primaryKeywords), Self.keywords(reference.doc.primaryKeywords), label)
                XCTAssertEqual(other.doc.tables.map(\.name), reference.doc.tables.map(\.name), label)
                for (a, b) in zip(other.doc.tables, reference.doc.tables) {
                    XCTAssertEqual(Self.keywords(a.keywords), Self.keywords(b.keywords), "\(label): \(a.name) header")
                    XCTAssertEqual(a.columns.map(\.name), b.columns.map(\.name), "\(label): \(a.name) columns")
                    for (x, y) in zip(a.columns, b.columns) {
                        XCTAssertEqual(x.unit, y.unit, "\(label): \(a.name).\(x.name) unit")
                        XCTAssertEqual(Self.bits(x.data), Self.bits(y.data), "\(label): \(a.name).\(x.name) data differ")
                    }
                }
                XCTAssertEqual(other.json, reference.json, "\(label): limit.json")
            }
            // A real toy belt: the toy columns only, finite critical values.
            let belt = try reference.doc.table("BELT")
            XCTAssertEqual(try belt.string("BELTKIND"), "toys", statistic)
            XCTAssertTrue(try belt.doubles("T_CRIT", unit: nil).allSatisfy(\.isFinite), statistic)
            XCTAssertFalse(belt.columns.contains { $0.name == "ACC_LO" }, statistic)
        }
    }

    /// Keywords as comparable text, DATE left out, doubles by bit pattern.
    static func keywords(_ k: [FITSKeyword]) -> [String] {
        k.filter { $0.name != "DATE" }.map { kw in
            if case .double(let d) = kw.value { return "\(kw.name)=0x\(String(d.bitPattern, radix: 16))" }
            return "\(kw.name)=\(kw.value)"
        }
    }

    /// Column data as bit patterns, so NaN equals NaN and -0 differs from 0.
    static func bits(_ data: FITSColumnData) -> [UInt64] {
        switch data {
        case .double(let v): v.map(\.bitPattern)
        case .float(let v): v.map { UInt64($0.bitPattern) }
        case .int32(let v): v.map { UInt64(bitPattern: Int64($0)) }
        case .int64(let v): v.map { UInt64(bitPattern: $0) }
        case .bool(let v): v.map { $0 ? 1 : 0 }
        }
    }
}
