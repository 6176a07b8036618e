import Foundation
import NMMCore

/// Writes an export's files (one workspace, or a HEPData record's YAML files) so that a
/// failure leaves nothing behind: the folder is created if missing, every file is checked
/// writable before the first is written, each is written atomically (`AtomicFile`), and a
/// folder this call created is removed again when any write fails (exit 73).
enum ExportFiles {
    static func write(_ files: [(name: String, data: Data)], into folder: String) throws {
        var isDir: ObjCBool = false
        let existed = FileManager.default.fileExists(atPath: folder, isDirectory: &isDir)
        if existed, !isDir.boolValue { throw OutputError(file: folder, "exists and is not a folder") }
        if !existed {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw OutputError(file: folder, "cannot create folder \(folder)")
            }
        }
        let paths = files.map { (folder as NSString).appendingPathComponent($0.name) }
        do {
            for p in paths { try AtomicFile.checkWritable(p) }
            for (p, f) in zip(paths, files) { try AtomicFile.writeData(f.data, to: p) }
        } catch {
            if !existed { try? FileManager.default.removeItem(atPath: folder) }
            throw error
        }
    }

    /// One file at `path` (its folder created if missing, and removed again on failure).
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        guard !path.hasSuffix("/"), !url.lastPathComponent.isEmpty else { throw OutputError(file: path, "the output path names a folder, not a file") }
        let folder = (path as NSString).deletingLastPathComponent
        try write([(url.lastPathComponent, data)], into: folder.isEmpty ? "." : folder)
    }
}
