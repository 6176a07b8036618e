import Foundation
import NMMStages
import NMMStatistics

/// Progress of long toy runs on stderr: a redrawn bar on a terminal, a plain line every
/// 10% otherwise (logs, CI). Thread-safe; silent with --quiet.
final class ProgressDisplay: @unchecked Sendable {
    private let label: String
    private let quiet: Bool
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastDecile = -1
    private var lastDraw = Date.distantPast
    private var drew = false
    private var lastDone = 0

    init(label: String, quiet: Bool) {
        self.label = label
        self.quiet = quiet
    }

    var handler: ProgressHandler {
        { [self] done, total in self.update(done: done, total: total) }
    }

    func update(done: Int, total: Int) {
        guard !quiet, total > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        if done < lastDone { lastDecile = -1 }   // a new phase (e.g. sensitivity after the belt)
        lastDone = done
        let fraction = Double(done) / Double(total)
        if isTerminal {
            let now = Date()
            guard done == total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = now
            let width = 30, filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
            drew = true
        } else {
            let decile = Int(fraction * 10)
            guard decile > lastDecile else { return }
            lastDecile = decile
            FileHandle.standardError.write(Data("\(label): \(done)/\(total) tasks (\(decile * 10)%)\n".utf8))
        }
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if drew { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
