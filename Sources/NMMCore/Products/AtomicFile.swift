import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Atomic file replacement: the content is written to `<dir>/.<name>.tmp-<random>` in the
/// destination folder, flushed to disk (fsync), renamed over the final name, and the folder
/// is fsynced. Readers see either the old file or the complete new one, never half a file;
/// on any failure the temporary file is removed and the final name is left untouched.
public enum AtomicFile {
    /// Calls `body` with the temporary path to write, then moves it into place.
    /// The temporary file already exists (empty) when `body` runs; `body` may replace it.
    /// A missing or unwritable output folder is an `OutputError` (exit 73) naming the folder.
    public static func write(to finalPath: String, _ body: (String) throws -> Void) throws {
        let url = URL(fileURLWithPath: finalPath)
        let name = url.lastPathComponent
        let dir = folder(of: finalPath)
        try checkFolder(dir, finalPath: finalPath, name: name)
        let tmp = try createTemporary(in: dir, name: name, finalPath: finalPath)
        do {
            try body(tmp)
            guard FileManager.default.fileExists(atPath: tmp) else {
                throw OutputError(file: finalPath, "the temporary file \(tmp) disappeared before it could be renamed")
            }
            try fsyncPath(tmp, finalPath: finalPath, directory: false)
            if rename(tmp, finalPath) != 0 {
                throw OutputError(file: finalPath, "cannot rename \(tmp) to the final name: \(errnoText())")
            }
        } catch {
            unlink(tmp)
            throw error
        }
        // The rename is done; a failed folder fsync is not worth failing the stage over
        // (some file systems refuse fsync on folders).
        try? fsyncPath(dir, finalPath: finalPath, directory: true)
    }

    /// Writes `data` atomically (JSON, SVG and other side files).
    public static func writeData(_ data: Data, to path: String) throws {
        try write(to: path) { tmp in
            do { try data.write(to: URL(fileURLWithPath: tmp)) } catch {
                throw OutputError(file: path, "cannot write: \(error.localizedDescription)")
            }
        }
    }

    /// Checks, without writing anything, that `path` could be written now: its folder exists,
    /// is a folder and takes a new file, and `path` is not a folder. For a stage that writes
    /// two files (limit.fits and limit.json): check the second before writing the first, so a
    /// doomed second write cannot leave the first one replaced.
    public static func checkWritable(_ path: String) throws {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let dir = folder(of: path)
        try checkFolder(dir, finalPath: path, name: name)
        let tmp = try createTemporary(in: dir, name: name, finalPath: path)
        unlink(tmp)
    }

    // MARK: - Steps

    /// The folder that holds `path` ("." for a bare file name).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    private static func checkFolder(_ dir: String, finalPath: String, name: String) throws {
        if name.isEmpty || finalPath.hasSuffix("/") {
            throw OutputError(file: finalPath, "the output path names a folder, not a file")
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) else {
            throw OutputError(file: finalPath, "output folder '\(dir)' does not exist")
        }
        guard isDir.boolValue else {
            throw OutputError(file: finalPath, "'\(dir)' is not a folder")
        }
        if FileManager.default.fileExists(atPath: finalPath, isDirectory: &isDir), isDir.boolValue {
            throw OutputError(file: finalPath, "a folder with that name already exists")
        }
    }

    /// Creates the temporary file exclusively; this also proves the folder is writable.
    private static func createTemporary(in dir: String, name: String, finalPath: String) throws -> String {
        for _ in 0..<8 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
            let tmp = (dir == "/" ? "" : dir) + "/.\(name).tmp-\(suffix)"
            let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o666)
            if fd >= 0 { close(fd); return tmp }
            if errno == EEXIST { continue }
            throw OutputError(file: finalPath, "cannot create a file in output folder '\(dir)': \(errnoText())")
        }
        throw OutputError(file: finalPath, "cannot find a free temporary name in output folder '\(dir)'")
    }

    private static func fsyncPath(_ path: String, finalPath: String, directory: Bool) throws {
        let fd = open(path, directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY)
        guard fd >= 0 else { throw OutputError(file: finalPath, "cannot open \(path) to flush it: \(errnoText())") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw OutputError(file: finalPath, "cannot flush \(path) to disk: \(errnoText())") }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
