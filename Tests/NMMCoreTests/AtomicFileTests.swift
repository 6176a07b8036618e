import Foundation
@testable import NMMCore
import XCTest

struct BodyFailed: Error {}

final class AtomicFileTests: XCTestCase {
    func testWritesAndLeavesNoTemporary() throws {
        let dir = try TempDir()
        let path = dir.file("out.json")
        try AtomicFile.writeData(Data("{\"a\": 1}".utf8), to: path)
        try AtomicFile.writeData(Data("{\"a\": 2}".utf8), to: path)   // replaces
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "{\"a\": 2}")
        XCTAssertEqual(dir.contents(), ["out.json"])
    }

    func testTemporaryIsHiddenInTheSameFolder() throws {
        let dir = try TempDir()
        var seen = ""
        try AtomicFile.write(to: dir.file("x.fits")) { tmp in
            seen = tmp
            XCTAssertTrue(FileManager.default.fileExists(atPath: tmp))
            try FITSIO.write(sampleDocument(), to: tmp)
        }
        XCTAssertTrue(seen.hasPrefix(dir.file(".x.fits.tmp-")), seen)
        XCTAssertEqual(dir.contents(), ["x.fits"])
        XCTAssertEqual(try FITSIO.read(dir.file("x.fits")).tables.count, 2)
    }

    func testFailingBodyLeavesNeitherTemporaryNorFinalFile() throws {
        let dir = try TempDir()
        let path = dir.file("out.fits")
        assertThrows(BodyFailed.self) {
            try AtomicFile.write(to: path) { tmp in
                try Data("half a file".utf8).write(to: URL(fileURLWithPath: tmp))
                throw BodyFailed()
            }
        }
        XCTAssertEqual(dir.contents(), [])
        // An invalid document fails inside the body, too.
        let bad = FITSDocument(primaryKeywords: [FITSKeyword("WAYTOOLONG", .int(1))])
        assertThrows(FITSError.self) { try AtomicFile.write(to: path) { try FITSIO.write(bad, to: $0) } }
        XCTAssertEqual(dir.contents(), [])
    }

    func testFailureKeepsTheOldFileIntact() throws {
        let dir = try TempDir()
        let path = dir.file("keep.txt")
        try AtomicFile.writeData(Data("old".utf8), to: path)
        assertThrows(BodyFailed.self) {
            try AtomicFile.write(to: path) { tmp in
                try Data("new".utf8).write(to: URL(fileURLWithPath: tmp))
                throw BodyFailed()
            }
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old")
        XCTAssertEqual(dir.contents(), ["keep.txt"])
    }

    func testMissingFolderIsAnOutputError() throws {
        let dir = try TempDir()
        let folder = dir.file("no/such")
        let e = assertThrows(OutputError.self) { try AtomicFile.writeData(Data(), to: folder + "/x.json") }
        XCTAssertEqual(e?.exitStatus, .cannotCreate)
        XCTAssertTrue(e?.description.contains("'\(folder)' does not exist") ?? false, e?.description ?? "")
        // A path whose "folder" is a file.
        try AtomicFile.writeData(Data(), to: dir.file("plain"))
        XCTAssertEqual(assertThrows(OutputError.self) { try AtomicFile.writeData(Data(), to: dir.file("plain/x")) }?
            .exitStatus, .cannotCreate)
    }

    func testUnwritableFolderIsAnOutputError() throws {
        let dir = try TempDir()
        let locked = dir.file("locked")
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        chmod(locked, 0o555)
        defer { chmod(locked, 0o755) }
        var folder = locked
        if access(locked, W_OK) == 0 {
            // Running as root: permission bits do not stop us. /sys refuses new files even for root.
            let probe = open("/sys/.nmm-probe", O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if probe >= 0 {
                close(probe)
                unlink("/sys/.nmm-probe")
                throw XCTSkip("no unwritable folder available (running as root)")
            }
            folder = "/sys"
        }
        let e = assertThrows(OutputError.self) {
            try AtomicFile.write(to: folder + "/out.fits") { try FITSIO.write(sampleDocument(), to: $0) }
        }
        XCTAssertEqual(e?.exitStatus, .cannotCreate)
        XCTAssertTrue(e?.description.contains("output folder '\(folder)'") ?? false, e?.description ?? "")
    }

    func testPathThatIsAFolderIsRefused() throws {
        let dir = try TempDir()
        try FileManager.default.createDirectory(atPath: dir.file("sub"), withIntermediateDirectories: false)
        XCTAssertNotNil(assertThrows(OutputError.self) { try AtomicFile.writeData(Data(), to: dir.file("sub")) })
        XCTAssertNotNil(assertThrows(OutputError.self) { try AtomicFile.writeData(Data(), to: dir.path + "/") })
        XCTAssertEqual(dir.contents(), ["sub"])
    }

    /// Temporary files of a writer killed mid-write are removed by the next write of the same
    /// name; a live writer's, another name's and an old-pattern one are left alone.
    func testNextWriteRemovesTemporariesOfDeadWriters() throws {
        let dir = try TempDir()
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let old = Date().addingTimeInterval(-3600)
        let stale = ".x.fits.tmp-\(dead.processIdentifier)-deadbeef"
        let live = ".x.fits.tmp-\(getppid())-cafe"          // the test runner's parent is alive
        let other = ".y.fits.tmp-\(dead.processIdentifier)-beef"
        let oldPattern = ".x.fits.tmp-0123abcd"
        for name in [stale, live, other, oldPattern] {
            try Data("half".utf8).write(to: URL(fileURLWithPath: dir.file(name)))
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir.file(name))
        }
        try AtomicFile.writeData(Data("whole".utf8), to: dir.file("x.fits"))
        XCTAssertEqual(dir.contents(), [live, oldPattern, other, "x.fits"].sorted())
    }
}
