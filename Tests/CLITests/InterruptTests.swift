import Foundation
import XCTest
import NMMCore

/// A stage killed with SIGKILL while it writes (no cleanup possible) must leave under the
/// final name either nothing or the previous complete file, never a partial one; the rerun
/// must succeed, write a complete file and remove the temporary file the killed writer left.
///
/// The kill lands at a known point, whatever the machine's speed: nmm runs with a
/// `TestPausePoint` armed, stops there for good after creating a marker file, and the test
/// waits for the marker (no sleeps, no deadline a slow machine could miss), then kills it.
final class InterruptTests: XCTestCase {
    static let bins = 2_000
    static let ingest = ["ingest", "--config", "c.yaml", "--output", "out/spectra.fits", "--quiet"]
    /// Safety net only, for a writer that never reaches its pause point: it fails the test.
    static let safetyTimeout: TimeInterval = 600

    func testKilledBeforeRenameLeavesNoFileAndTheRerunSucceeds() throws {
        let ws = try workspace(previous: false)
        defer { ws.remove() }
        let tmp = try killWriter(ws, at: .beforeRename, previousSHA256: nil)
        XCTAssertEqual(try completeSpectraRows(tmp), [Self.bins, Self.bins],
                       "the pause point is after the temporary file is complete")
        try assertRerunSucceedsAndCleansUp(ws)
    }

    func testKilledBeforeRenameKeepsThePreviousFile() throws {
        let ws = try workspace(previous: true)
        defer { ws.remove() }
        let tmp = try killWriter(ws, at: .beforeRename, previousSHA256: try SHA256Hex.of(fileAt: ws.path("out/spectra.fits")))
        XCTAssertEqual(try completeSpectraRows(tmp), [Self.bins, Self.bins])
        try assertRerunSucceedsAndCleansUp(ws)
    }

    func testKilledMidWriteLeavesNoFileAndTheRerunSucceeds() throws {
        let ws = try workspace(previous: false)
        defer { ws.remove() }
        let tmp = try killWriter(ws, at: .midWrite, previousSHA256: nil)
        try assertPartial(tmp)
        try assertRerunSucceedsAndCleansUp(ws)
    }

    func testKilledMidWriteKeepsThePreviousFile() throws {
        let ws = try workspace(previous: true)
        defer { ws.remove() }
        let tmp = try killWriter(ws, at: .midWrite, previousSHA256: try SHA256Hex.of(fileAt: ws.path("out/spectra.fits")))
        try assertPartial(tmp)
        try assertRerunSucceedsAndCleansUp(ws)
    }

    // MARK: - Steps

    /// Inputs of `bins` bins, the config, an `out` folder and, if `previous`, a complete
    /// spectra.fits from an earlier run.
    func workspace(previous: Bool) throws -> Workspace {
        guard FileManager.default.isExecutableFile(atPath: NMMProcess.binary) else {
            throw XCTSkip("nmm binary not built at \(NMMProcess.binary)")
        }
        let ws = try Workspace()
        try ws.writeFITS("on.fits") { s in
            s.low = (0..<Self.bins).map { 12 + Double($0) * 0.001 }
            s.high = (0..<Self.bins).map { 12 + Double($0 + 1) * 0.001 }
            s.counts = .double((0..<Self.bins).map { Double($0 % 17) })
        }
        try FileManager.default.copyItem(atPath: ws.path("on.fits"), toPath: ws.path("off.fits"))
        try ws.writeConfig()
        try ws.makeFolder("out")
        if previous {
            let r = try ws.nmm(Self.ingest)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(try completeSpectraRows(ws.path("out/spectra.fits")), [Self.bins, Self.bins])
        }
        return ws
    }

    /// Runs ingest with `point` armed, waits until it stops there, kills it with SIGKILL and
    /// checks what it left: the final name absent or still the previous file (same SHA-256),
    /// and its temporary file (returned) as the only one in the folder.
    func killWriter(_ ws: Workspace, at point: TestPausePoint, previousSHA256: String?,
                    file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let marker = ws.path("paused")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: NMMProcess.binary)
        p.arguments = Self.ingest
        p.currentDirectoryURL = ws.dir
        p.environment = NMMProcess.environment(arming: point, marker: marker)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() } }

        let started = Date()
        while !FileManager.default.fileExists(atPath: marker) {
            guard p.isRunning else {
                throw NoPause("nmm exited (status \(p.terminationStatus)) before reaching \(point.variable)")
            }
            guard Date().timeIntervalSince(started) < Self.safetyTimeout else {
                throw NoPause("nmm did not reach \(point.variable) within the safety timeout of \(Self.safetyTimeout) s")
            }
            usleep(5_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal, file: file, line: line)
        XCTAssertEqual(p.terminationStatus, SIGKILL, file: file, line: line)

        let lines = try String(contentsOfFile: marker, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, "marker: the file being written and the final path", file: file, line: line)
        let tmp = try XCTUnwrap(lines.first, file: file, line: line)
        XCTAssertEqual(lines.last, "out/spectra.fits", file: file, line: line)
        XCTAssertEqual(temporaries(ws), [URL(fileURLWithPath: tmp).lastPathComponent],
                       "SIGKILL leaves the temporary file (no cleanup is possible), and only it", file: file, line: line)
        if let previousSHA256 {
            XCTAssertEqual(try SHA256Hex.of(fileAt: ws.path("out/spectra.fits")), previousSHA256,
                           "the killed writer replaced or changed the previous file", file: file, line: line)
        } else {
            XCTAssertFalse(ws.exists("out/spectra.fits"), "a file under the final name before the rename", file: file, line: line)
        }
        return tmp.hasPrefix("/") ? tmp : ws.path(tmp)
    }

    struct NoPause: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The rerun (nothing armed) succeeds, writes a complete file and removes the dead
    /// writer's temporary file.
    func assertRerunSucceedsAndCleansUp(_ ws: Workspace, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try ws.nmm(Self.ingest)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        XCTAssertEqual(try completeSpectraRows(ws.path("out/spectra.fits")), [Self.bins, Self.bins], file: file, line: line)
        XCTAssertEqual(temporaries(ws), [], "the rerun removes temporary files of killed writers", file: file, line: line)
    }

    /// A partial spectra file, and a well-formed one that a careless reader would take: the
    /// primary HDU and ON are written and flushed, OFF (the last table) is not.
    func assertPartial(_ tmp: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let doc = try FITSIO.read(tmp)
        XCTAssertEqual(try doc.string("NMMTYPE"), "SPECTRA", file: file, line: line)
        XCTAssertEqual(doc.tables.map(\.name), ["ON"], "the pause point is before the last table", file: file, line: line)
        XCTAssertEqual(try doc.table("ON").rowCount, Self.bins, file: file, line: line)
    }

    /// Rows of ON and OFF in a whole spectra file (reading verifies every HDU's CHECKSUM/DATASUM).
    func completeSpectraRows(_ path: String) throws -> [Int] {
        let doc = try FITSIO.read(path)
        XCTAssertEqual(try doc.string("NMMTYPE"), "SPECTRA", path)
        return try ["ON", "OFF"].map { try doc.table($0).rowCount }
    }

    func temporaries(_ ws: Workspace) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: ws.path("out"))) ?? []).filter { $0.contains(".tmp-") }.sorted()
    }
}
