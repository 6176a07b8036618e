import Foundation
import NMMCore
import Synchronization

/// Inputs a stage accepted although they were made from other config-section content
/// (`--allow-config-mismatch`); written into the output as CFGMISMn ("fit.fits: fit").
final class MismatchLog: Sendable {
    private let entries = Mutex<[(file: String, section: ConfigSection)]>([])

    func add(file: String, section: ConfigSection) {
        entries.withLock { $0.append((file, section)) }
    }

    /// One line per input among `files` that was accepted with mismatched sections.
    func lines(for files: [String]) -> [String] {
        entries.withLock { list in
            files.compactMap { file in
                let sections = list.filter { $0.file == file }.map(\.section.rawValue)
                guard !sections.isEmpty else { return nil }
                return "\((file as NSString).lastPathComponent): \(Array(Set(sections)).sorted().joined(separator: ", "))"
            }
        }
    }
}
