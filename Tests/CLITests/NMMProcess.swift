import Foundation
import XCTest
import NMMCore

/// Runs the built `nmm` binary: $NMM_BIN, else the one built next to the test bundle (the same
/// configuration and scratch path as the tests: `make test` builds release with testing enabled),
/// else .build/debug/nmm.
enum NMMProcess {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var binary: String {
        if let env = ProcessInfo.processInfo.environment["NMM_BIN"], !env.isEmpty { return env }
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("nmm").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        return packageRoot.appendingPathComponent(".build/debug/nmm").path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    static func run(_ args: [String], cwd: URL? = nil) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw XCTSkip("nmm binary not built at \(binary); run `swift build` first (make test does)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = cwd ?? packageRoot
        p.environment = environment(arming: nil, marker: nil)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read before waiting so a full pipe cannot block the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }

    /// This process's environment with no `TestPausePoint` armed, or only `point` (its marker
    /// at `marker`): a pause variable left in the shell must not stop every nmm run of the tests.
    static func environment(arming point: TestPausePoint?, marker: String?) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for p in TestPausePoint.allCases { env[p.variable] = nil }
        if let point, let marker { env[point.variable] = marker }
        return env
    }

    static func tempDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nmm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// All files below `dir`, relative, sorted.
    static func files(in dir: URL) -> [String] {
        let e = FileManager.default.enumerator(atPath: dir.path)
        var out: [String] = []
        while let f = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path, isDirectory: &isDir), !isDir.boolValue {
                out.append(f)
            }
        }
        return out.sorted()
    }
}
