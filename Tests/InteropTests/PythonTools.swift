import Foundation
import XCTest

/// The Python environment of the interop tests: .venv at the package root (made by `make venv`,
/// which `make test` runs first) or $NMM_PYTHON. Missing: the test is skipped when run by hand,
/// and fails under `make test` (NMM_REQUIRE_PYTHON=1), so CI can never pass without pyhf.
enum PythonTools {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("scripts")

    static var venvBin: URL { packageRoot.appendingPathComponent(".venv/bin") }

    static func tool(_ name: String) throws -> String {
        let env = ProcessInfo.processInfo.environment
        let path = name == "python" && !(env["NMM_PYTHON"] ?? "").isEmpty ? env["NMM_PYTHON"]! : venvBin.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            let message = "\(path) not found: run `make venv` (pyhf and hepdata-validator; make test does it)"
            if env["NMM_REQUIRE_PYTHON"] == "1" { throw MissingTool(description: message) }
            throw XCTSkip(message)
        }
        return path
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a tool of the environment (python, hepdata-validate) with `arguments`.
    static func run(_ tool: String, _ arguments: [String]) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try self.tool(tool))
        p.arguments = arguments
        p.currentDirectoryURL = packageRoot
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// Runs scripts/<name> with the environment's Python and decodes its one JSON line.
    static func script<T: Decodable>(_ name: String, _ arguments: [String], as type: T.Type) throws -> T {
        let r = try run("python", [scripts.appendingPathComponent(name).path] + arguments)
        guard r.status == 0 else { throw ScriptError(name: name, output: r) }
        return try JSONDecoder().decode(T.self, from: Data(r.stdout.utf8))
    }

    struct MissingTool: Error, CustomStringConvertible { var description: String }

    struct ScriptError: Error, CustomStringConvertible {
        var name: String
        var output: Output
        var description: String { "\(name) exited \(output.status): \(output.stderr.suffix(2000))" }
    }
}
