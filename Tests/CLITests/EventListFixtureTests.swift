import Foundation
import XCTest
import NMMCore

/// The event-list fixture (Fixtures/events, config/events.yaml) through the built binary:
/// ingest gives exactly the spectra and live times of an independent count written here, the
/// analysis on the event list gives the limit of the pre-binned pair made from the same
/// events, and `nmm simulate` regenerates the fixture bit for bit (seeded).
final class EventListFixtureTests: XCTestCase {
    var dir: URL!
    let root = NMMProcess.packageRoot

    override func setUpWithError() throws { dir = try NMMProcess.tempDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    struct Count {
        var on: [Double], off: [Double]
        var onEvents = 0, offEvents = 0
        var onTimeS = 0.0, offTimeS = 0.0
        var liveFactor = 1.0
    }

    /// The count, written without nmm's interval code: each event's reactor period is looked
    /// up, its run of equal state walked in both directions to test the margins, its bin is
    /// floor(E − 12 keV); the time is Σ over GTIs × runs of the overlap with the trimmed run.
    func independentCount() throws -> Count {
        let config = try ConfigLoader.load(path: root.appendingPathComponent("config/events.yaml").path)
        let (onFraction, offFraction) = (config.inputs.onPowerFraction!, config.inputs.offPowerFraction!)
        let marginS = config.inputs.transitionMarginHours! * 3600, nominal = config.reactor!.thermalPowerMW!
        XCTAssertEqual(config.inputs.binningKeV, [12, 64, 1], "the count below bins 1 keV from 12 keV")
        let doc = try FITSIO.read(root.appendingPathComponent("Fixtures/events/events.fits").path)
        let events = try doc.table("EVENTS"), gti = try doc.table("GTI")
        let times = try events.doubles("TIME", unit: "s"), energies = try events.doubles("ENERGY", unit: "keV")
        let gtis = zip(try gti.doubles("START", unit: "s"), try gti.doubles("STOP", unit: "s")).map { ($0, $1) }
        let logText = try String(contentsOf: root.appendingPathComponent("Fixtures/events/reactor-log.csv"), encoding: .utf8)
        XCTAssertTrue(logText.contains("#! mjdref = 60310.0") && logText.contains("#! timesys = TT"))
        let periods = logText.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("START") }.map {
            let f = $0.split(separator: ",").map { Double($0)! }
            return (start: f[0] * 3600, stop: f[1] * 3600, state: f[2] >= onFraction * nominal ? 1 : (f[2] <= offFraction * nominal ? 0 : -1))
        }
        /// The run of `k`'s state around period k, trimmed by the margin where it borders another run.
        func trimmedRun(_ k: Int) -> (Double, Double) {
            var a = k, b = k
            while a > 0, periods[a - 1].state == periods[k].state { a -= 1 }
            while b < periods.count - 1, periods[b + 1].state == periods[k].state { b += 1 }
            return (periods[a].start + (a > 0 ? marginS : 0), periods[b].stop - (b < periods.count - 1 ? marginS : 0))
        }
        var c = Count(on: [Double](repeating: 0, count: 52), off: [Double](repeating: 0, count: 52))
        c.liveFactor = try events.double("DEADC")
        for (t, e) in zip(times, energies) {
            guard let k = periods.firstIndex(where: { $0.start <= t && t < $0.stop }), periods[k].state >= 0 else { continue }
            let (lo, hi) = trimmedRun(k)
            guard t >= lo, t < hi, gtis.contains(where: { $0.0 <= t && t < $0.1 }) else { continue }
            let isOn = periods[k].state == 1
            if isOn { c.onEvents += 1 } else { c.offEvents += 1 }
            guard e >= 12, e < 64 else { continue }
            let bin = Int((e - 12).rounded(.down))
            if isOn { c.on[bin] += 1 } else { c.off[bin] += 1 }
        }
        var seenRuns = Set<Double>()
        for k in periods.indices where periods[k].state >= 0 {
            let (lo, hi) = trimmedRun(k)
            guard hi > lo, seenRuns.insert(lo).inserted else { continue }
            let time = gtis.reduce(0.0) { $0 + max(0, min(hi, $1.1) - max(lo, $1.0)) }
            if periods[k].state == 1 { c.onTimeS += time } else { c.offTimeS += time }
        }
        return c
    }

    func testFixtureSpectraAndLiveTimesEqualAnIndependentCount() throws {
        let count = try independentCount()
        let out = dir.appendingPathComponent("spectra.fits").path
        let r = try NMMProcess.run(["ingest", "--config", "config/events.yaml", "--output", out, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try FITSIO.read(out)
        let on = try doc.table("ON"), off = try doc.table("OFF")
        XCTAssertEqual(try on.doubles("COUNTS", unit: "count"), count.on, "ON counts, bin by bin")
        XCTAssertEqual(try off.doubles("COUNTS", unit: "count"), count.off, "OFF counts, bin by bin")
        XCTAssertEqual(try on.int("NEVENTS"), count.onEvents)
        XCTAssertEqual(try off.int("NEVENTS"), count.offEvents)
        XCTAssertEqual(try on.int("NBINNED"), Int(count.on.reduce(0, +)))
        // Sums of the same interval lengths in another order: equal to the last bits.
        XCTAssertEqual(try on.double("SELTIME"), count.onTimeS / 86400, accuracy: 1e-12 * count.onTimeS / 86400)
        XCTAssertEqual(try off.double("SELTIME"), count.offTimeS / 86400, accuracy: 1e-12 * count.offTimeS / 86400)
        XCTAssertEqual(try on.double("LIVETIME"), count.onTimeS * count.liveFactor / 86400, accuracy: 1e-12 * count.onTimeS / 86400)
        XCTAssertEqual(try off.double("LIVETIME"), count.offTimeS * count.liveFactor / 86400, accuracy: 1e-12 * count.offTimeS / 86400)
        // The fixture's ON periods all run at the nominal power, so FLUXSCAL = 1 and the limit
        // below does not depend on whether the templates apply it; the OFF side has a 3% test.
        XCTAssertEqual(try doc.double("FLUXSCAL"), 1)
        XCTAssertEqual(try doc.double("ONPOWER"), 2900)
        XCTAssertEqual(try doc.double("OFFPOWER"), 12.0 * 87 / (count.offTimeS / 3600), accuracy: 1e-9)
        XCTAssertGreaterThan(count.on.reduce(0, +), 1000, "a fixture worth the name")
    }

    /// The pre-binned pair (CSV, written from the independent count) and the event list,
    /// each through `nmm analyze --to limit` with otherwise the same config.
    func testEventListAndPrebinnedPairGiveTheSameLimit() throws {
        let count = try independentCount()
        func csv(_ counts: [Double], _ liveDays: Double) -> String {
            "#! livetime = \(liveDays) d\n#! mass = 1.06 kg\nE_LO [keV],E_HI [keV],COUNTS\n"
                + counts.indices.map { "\(12 + $0),\(13 + $0),\(Int(counts[$0]))\n" }.joined()
        }
        try csv(count.on, count.onTimeS * count.liveFactor / 86400).write(to: dir.appendingPathComponent("on.csv"), atomically: true, encoding: .utf8)
        try csv(count.off, count.offTimeS * count.liveFactor / 86400).write(to: dir.appendingPathComponent("off.csv"), atomically: true, encoding: .utf8)
        let text = try String(contentsOf: root.appendingPathComponent("config/events.yaml"), encoding: .utf8)
        let inputs = try XCTUnwrap(text.range(of: "inputs:\n")), analysis = try XCTUnwrap(text.range(of: "\nanalysis:"))
        let pair = text.replacingCharacters(in: inputs.lowerBound..<analysis.lowerBound, with: "inputs: {on: on.csv, off: off.csv}\n")
        try pair.write(to: dir.appendingPathComponent("pair.yaml"), atomically: true, encoding: .utf8)
        let build = dir.appendingPathComponent("build").path
        let runs = [("config/events.yaml", "events"), (dir.appendingPathComponent("pair.yaml").path, "pair")]
        for (config, sub) in runs {
            let r = try NMMProcess.run(["analyze", "--config", config, "--build-dir", "\(build)/\(sub)", "--to", "limit", "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let e = try FITSIO.read("\(build)/events/events/limit.fits"), p = try FITSIO.read("\(build)/pair/events/limit.fits")
        for key in ["KAPHAT", "KAPSIG", "KAPUP", "MULIMIT"] {
            let a = try e.double(key), b = try p.double(key)
            XCTAssertEqual(a, b, accuracy: 1e-9 * max(abs(b), 1e-30), key)
        }
        let shown = try runs.map { try NMMProcess.run(["show", "--config", $0.0, "--build-dir", "\(build)/\($0.1)"]).stdout }
        XCTAssertEqual(shown[0], shown[1])
        XCTAssertTrue(shown[0].hasPrefix("mu_nu(anti-nu_e) < "), shown[0])
    }

    /// Seeded: `nmm simulate` writes the fixture again, every card and cell (but dates and
    /// checksums) and the log text identical.
    func testSimulateRegeneratesTheFixture() throws {
        let events = dir.appendingPathComponent("events.fits").path, log = dir.appendingPathComponent("log.csv").path
        let r = try NMMProcess.run(["simulate", "--config", "config/events.yaml", "--events", events, "--reactor-log", log, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        func stable(_ path: String) throws -> String { try NMMProcess.run(["inspect", "--stable", path]).stdout }
        XCTAssertEqual(try stable(events), try stable(root.appendingPathComponent("Fixtures/events/events.fits").path),
                       "regenerate the fixture (Fixtures/events/README.md) after changing config/events.yaml")
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8),
                       try String(contentsOf: root.appendingPathComponent("Fixtures/events/reactor-log.csv"), encoding: .utf8))
    }
}
