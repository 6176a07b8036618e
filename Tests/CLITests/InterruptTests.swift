import Foundation
import XCTest
import NMMCore

/// A stage killed with SIGKILL while it writes (no cleanup possible) must leave either no
/// file or a complete, checksum-valid file under the final name, never a partial one; the
/// rerun must succeed and remove the temporary file the killed writer left behind.
final class InterruptTests: XCTestCase {
    static let bins = 300_000   // spectra.fits ≈ 14 MB: long enough to be caught mid-write

    func writeBigInputs(_ ws: Workspace) throws {
        try ws.writeFITS("on.fits") { s in
            s.low = (0..<Self.bins).map { 12 + Double($0) * 0.001 }
            s.high = (0..<Self.bins).map { 12 + Double($0 + 1) * 0.001 }
            s.counts = .double((0..<Self.bins).map { Double($0 % 17) })
        }
        try FileManager.default.copyItem(atPath: ws.path("on.fits"), toPath: ws.path("off.fits"))
        try ws.writeConfig()
    }

    static let ingest = ["ingest", "--config", "c.yaml", "--output", "out/spectra.fits", "--quiet"]

    /// Starts nmm without waiting for it.
    func start(_ ws: Workspace, _ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: NMMProcess.binary)
        p.arguments = args
        p.currentDirectoryURL = ws.dir
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func temporaries(_ ws: Workspace) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: ws.path("out"))) ?? []).filter { $0.contains(".tmp-") }
    }

    /// The final file, if any, is a whole spectra file: it reads (CFITSIO verifies
    /// CHECKSUM/DATASUM of every HDU) and holds every bin ON and OFF.
    func assertAbsentOrComplete(_ ws: Workspace, _ label: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        guard ws.exists("out/spectra.fits") else { return false }
        do {
            let doc = try FITSIO.read(ws.path("out/spectra.fits"))
            XCTAssertEqual(try doc.string("NMMTYPE"), "SPECTRA", label, file: file, line: line)
            for name in ["ON", "OFF"] {
                XCTAssertEqual(try doc.table(name).rowCount, Self.bins, "\(label): \(name)", file: file, line: line)
            }
        } catch {
            XCTFail("\(label): a partial or broken spectra.fits under the final name: \(error)", file: file, line: line)
        }
        return true
    }

    func testSIGKILLMidWriteLeavesNoPartialFileAndTheRerunSucceeds() throws {
        guard FileManager.default.isExecutableFile(atPath: NMMProcess.binary) else {
            throw XCTSkip("nmm binary not built at \(NMMProcess.binary)")
        }
        let ws = try Workspace()
        defer { ws.remove() }
        try writeBigInputs(ws)
        try ws.makeFolder("out")

        // Kills after the temporary file appears (the write has begun) by these delays, with
        // and without a previous complete file under the final name; then two kills at fixed
        // delays from the start (reading and validating the inputs).
        let afterWriteStarts: [TimeInterval] = [0, 0.002, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16]
        var midWrite = 0, log: [String] = []
        for (k, delay) in afterWriteStarts.enumerated() {
            // Even k: no file under the final name yet; odd k: a complete previous one.
            if k % 2 == 0, ws.exists("out/spectra.fits") { try FileManager.default.removeItem(atPath: ws.path("out/spectra.fits")) }
            if k % 2 == 1, !ws.exists("out/spectra.fits") { XCTAssertEqual(try ws.nmm(Self.ingest).status, 0) }
            let oldHash = k % 2 == 1 ? try SHA256Hex.of(fileAt: ws.path("out/spectra.fits")) : nil
            let before = Set(temporaries(ws))
            let p = try start(ws, Self.ingest)
            let deadline = Date().addingTimeInterval(30)
            while p.isRunning, Set(temporaries(ws)).subtracting(before).isEmpty, Date() < deadline { usleep(500) }
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            let wasRunning = p.isRunning
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let left = Set(temporaries(ws)).subtracting(before)
            if wasRunning && !left.isEmpty { midWrite += 1 }
            let complete = assertAbsentOrComplete(ws, "kill \(k) (+\(delay) s)")
            if let oldHash, p.terminationReason == .uncaughtSignal, !left.isEmpty {
                // Killed before the rename: the old file is there and untouched.
                XCTAssertTrue(complete, "kill \(k): the previous file vanished")
                XCTAssertEqual(try SHA256Hex.of(fileAt: ws.path("out/spectra.fits")), oldHash, "kill \(k): the previous file changed")
            }
            log.append("+\(delay)s: \(p.terminationReason == .uncaughtSignal ? "killed" : "finished") old=\(oldHash == nil ? "none" : "complete") final=\(complete ? "complete" : "absent") tmp-left=\(left.count)")
        }
        for delay in [0.05, 0.15] {
            let p = try start(ws, Self.ingest)
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            _ = assertAbsentOrComplete(ws, "kill at +\(delay) s from the start")
        }
        XCTAssertGreaterThan(midWrite, 0, "no kill landed while the temporary file was being written: \(log)")
        XCTAssertFalse(temporaries(ws).isEmpty, "SIGKILL mid-write leaves the temporary file (no cleanup is possible)")

        // The rerun succeeds, writes a complete file and removes the dead writers' temporaries.
        let r = try ws.nmm(Self.ingest)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(assertAbsentOrComplete(ws, "rerun"))
        XCTAssertEqual(temporaries(ws), [], "the rerun removes temporary files of killed writers")
        if ProcessInfo.processInfo.environment["NMM_CATALOG_PRINT"] != nil {
            print("INTERRUPT mid-write kills: \(midWrite); " + log.joined(separator: "; "))
        }
    }
}
