import ArgumentParser
import Foundation
import NMMCore

// Errors from nmm carry their sysexits status (design.md); everything else (usage errors,
// --help) is ArgumentParser's to report.
do {
    var command = try NMM.parseAsRoot()
    try command.run()
} catch let error as NMMError {
    // One line, whatever the message quotes from a bad file (design.md).
    FileHandle.standardError.write(Data("nmm: error: \(ErrorText.oneLine(String(describing: error)))\n".utf8))
    exit(error.exitStatus.rawValue)
} catch {
    // ArgumentParser's own errors (usage: 64, --help/--version: 0) are its to report. Any
    // other error that is not an NMMError would otherwise end with exit 1, which design.md
    // does not know: it is a bug in nmm, reported as an internal error (70) on one line.
    if NMM.exitCode(for: error) == .failure, !(error is ExitCode) {
        let text = ErrorText.oneLine(NMM.message(for: error))
        FileHandle.standardError.write(Data("nmm: error: internal error: \(text)\n".utf8))
        exit(ExitStatus.software.rawValue)
    }
    NMM.exit(withError: error)
}
