import Foundation
import XCTest

/// The Python the interchange tests run (gammapy, uproot, astropy): $NMM_PYTHON, else
/// `.venv/bin/python` at the package root (`make venv`, scripts/interop-requirements.txt).
/// A test skips, saying so, only when that interpreter does not exist — and fails instead
/// under NMM_REQUIRE_PYTHON=1 (the convention of the interop tests' `make test`, so CI cannot
/// pass without them); an interpreter without the packages is a failure (the environment is
/// broken, not absent).
enum TestPython {
    static var path: String {
        if let env = ProcessInfo.processInfo.environment["NMM_PYTHON"], !env.isEmpty { return env }
        return NMMProcess.packageRoot.appendingPathComponent(".venv/bin/python").path
    }

    /// The interpreter, after checking it imports `modules`.
    static func require(_ modules: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            let message = "no Python at \(path): run `make venv` (scripts/interop-requirements.txt; make test does it) or set NMM_PYTHON"
            if ProcessInfo.processInfo.environment["NMM_REQUIRE_PYTHON"] == "1" { XCTFail(message, file: file, line: line) }
            throw XCTSkip(message)
        }
        let r = try run(["-c", "import " + modules.joined(separator: ", ")])
        guard r.status == 0 else {
            XCTFail("\(path) cannot import \(modules.joined(separator: ", ")): \(r.stderr.split(separator: "\n").last ?? "")"
                    + " — run `make venv` (scripts/interop-requirements.txt)", file: file, line: line)
            throw XCTSkip("Python packages missing")
        }
        return path
    }

    /// Runs the interpreter with `args` in `cwd`.
    static func run(_ args: [String], cwd: URL? = nil) throws -> NMMProcess.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.currentDirectoryURL = cwd ?? NMMProcess.packageRoot
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return NMMProcess.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                                 stderr: String(decoding: e, as: UTF8.self))
    }

    /// A script under Tests/Python.
    static func script(_ name: String) -> String {
        NMMProcess.packageRoot.appendingPathComponent("Tests/Python/\(name)").path
    }

    /// Numbers a script printed as repr strings (exact: Double(String) rounds correctly).
    static func doubles(_ value: Any?, file: StaticString = #filePath, line: UInt = #line) throws -> [Double] {
        let strings = try XCTUnwrap(value as? [String], "expected a list of number strings", file: file, line: line)
        return try strings.map { try XCTUnwrap(Double($0), "not a number: \($0)", file: file, line: line) }
    }

    /// The JSON object a script printed on its last stdout line.
    static func json(_ r: NMMProcess.Result) throws -> [String: Any] {
        let last = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], "no JSON in: \(r.stdout)")
    }
}
