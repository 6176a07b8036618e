import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// **Test only.** Points where a writer stops for good, so that a test can kill it with
/// SIGKILL at a known moment instead of guessing one with sleeps (which lands too early or
/// too late depending on how fast the machine is).
///
/// A point is armed by its environment variable, whose value is the path of a marker file:
///
/// - `NMM_TEST_PAUSE_MID_WRITE=<marker>`: the FITS writer (`FITSIO.write`) stops after every
///   HDU but the last has been written and flushed to the file it writes (for a stage
///   product: the temporary file of `AtomicFile`), so that file is a partial FITS file.
/// - `NMM_TEST_PAUSE_BEFORE_RENAME=<marker>`: `AtomicFile.write` stops after the temporary
///   file is complete and fsynced, just before it is renamed to the final name.
///
/// On reaching an armed point the process creates the marker atomically (written under a
/// temporary name, then renamed), holding two lines: the path of the file being written and
/// the final path; prints one line on stderr; and then waits forever to be killed. The first
/// armed point reached wins (the process never gets further). Unset or empty variables cost
/// one environment lookup per write and change nothing. Never set these outside tests.
public enum TestPausePoint: String, CaseIterable, Sendable {
    case midWrite = "NMM_TEST_PAUSE_MID_WRITE"
    case beforeRename = "NMM_TEST_PAUSE_BEFORE_RENAME"

    /// The environment variable that arms this point.
    public var variable: String { rawValue }

    /// The marker path when this point is armed.
    public var markerPath: String? {
        guard let value = ProcessInfo.processInfo.environment[rawValue], !value.isEmpty else { return nil }
        return value
    }

    /// Stops here for good if this point is armed (see the type's comment); returns at once
    /// otherwise. `file` is the file being written, `finalPath` the name it will get.
    public func reached(writing file: String, finalPath: String) {
        guard let marker = markerPath else { return }
        Self.stop(marker: marker, variable: rawValue, lines: [file, finalPath])
    }

    private static func stop(marker: String, variable: String, lines: [String]) -> Never {
        let staging = marker + ".tmp-\(getpid())"
        do {
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: staging))
            guard rename(staging, marker) == 0 else {
                throw OutputError(file: marker, "cannot rename \(staging) to the marker: \(String(cString: strerror(errno)))")
            }
        } catch {
            FileHandle.standardError.write(Data("nmm: \(variable): cannot create the marker \(marker): \(error)\n".utf8))
            exit(70)
        }
        FileHandle.standardError.write(Data("nmm: \(variable): paused writing \(lines[0]); waiting to be killed\n".utf8))
        while true { pause() }
    }
}
