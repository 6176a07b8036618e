import ArgumentParser
import Foundation
import NMMCore

// Errors from nmm carry their sysexits status (design.md); everything else (usage errors,
// --help) is ArgumentParser's to report.
do {
    var command = try NMM.parseAsRoot()
    try command.run()
} catch let error as NMMError {
    FileHandle.standardError.write(Data("nmm: error: \(error)\n".utf8))
    exit(error.exitStatus.rawValue)
} catch {
    NMM.exit(withError: error)
}
