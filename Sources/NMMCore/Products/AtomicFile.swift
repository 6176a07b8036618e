import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Atomic file replacement: the content is written to `<dir>/.<name>.tmp-<pid>-<random>` in
/// the destination folder, flushed to disk (fsync), renamed over the final name, and the
/// folder is fsynced. Readers see either the old file or the complete new one, never half a
/// file; on any failure the temporary file is removed and the final name is left untouched.
///
/// A process killed mid-write (SIGKILL, power loss) cannot remove its temporary file. The
/// next write of the same final name removes such leftovers: files `.<name>.tmp-<pid>-*`
/// whose process <pid> no longer exists and that are older than the current process.
/// Nothing else is touched (other names, live writers, temporary files of the old
/// `.tmp-<random>` pattern).
///
/// Tests stop a writer at a known point with `TestPausePoint` (mid-write, before rename).
public enum AtomicFile {
    /// Calls `body` with the temporary path to write, then moves it into place.
    /// The temporary file already exists (empty) when `body` runs; `body` may replace it.
    /// A missing or unwritable output folder is an `OutputError` (exit 73) naming the folder.
    public static func write(to finalPath: String, _ body: (String) throws -> Void) throws {
        let url = URL(fileURLWithPath: finalPath)
        let name = url.lastPathComponent
        let dir = folder(of: finalPath)
        try checkFolder(dir, finalPath: finalPath, name: name)
        removeStaleTemporaries(in: dir, name: name)
        let tmp = try createTemporary(in: dir, name: name, finalPath: finalPath)
        do {
            try body(tmp)
            guard FileManager.default.fileExists(atPath: tmp) else {
                throw OutputError(file: finalPath, "the temporary file \(tmp) disappeared before it could be renamed")
            }
            try fsyncPath(tmp, finalPath: finalPath, directory: false)
            TestPausePoint.beforeRename.reached(writing: tmp, finalPath: finalPath)   // test only
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
            let tmp = (dir == "/" ? "" : dir) + "/.\(name).tmp-\(getpid())-\(suffix)"
            let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o666)
            if fd >= 0 { close(fd); return tmp }
            if errno == EEXIST { continue }
            throw OutputError(file: finalPath, "cannot create a file in output folder '\(dir)': \(errnoText())")
        }
        throw OutputError(file: finalPath, "cannot find a free temporary name in output folder '\(dir)'")
    }

    /// Removes `.<name>.tmp-<pid>-*` files left by dead processes (see the type's comment).
    /// Best effort: a file that cannot be removed is left alone.
    static func removeStaleTemporaries(in dir: String, name: String) {
        let prefix = ".\(name).tmp-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        let started = processStart
        for entry in entries where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0, pid != getpid() else { continue }
            // Owner still running (or not ours to signal: EPERM): leave it.
            if kill(pid, 0) == 0 || errno != ESRCH { continue }
            let path = (dir == "/" ? "" : dir) + "/" + entry
            guard let attrs = try? FileManager.default.attributesOfItem(atPath: path),
                  (attrs[.type] as? FileAttributeType) == .typeRegular,
                  let modified = attrs[.modificationDate] as? Date, modified < started else { continue }
            unlink(path)
        }
    }

    /// When this process started, rounded up to the end of its clock tick, so that every
    /// file modified before the process was created counts as older, however soon after it
    /// the process started (a rerun right after a killed writer). Linux: the start time in
    /// /proc/self/stat (clock ticks since boot) against CLOCK_BOOTTIME now; the time of first
    /// use elsewhere.
    static let processStart: Date = {
        #if os(Linux)
        var now = timespec()
        let wallNow = Date()
        if clock_gettime(CLOCK_BOOTTIME, &now) == 0,
           let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            // Fields after "pid (comm)": state is field 3, starttime field 22 → index 19 here.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
            if fields.count > 19, let start = Double(fields[19]), ticks > 0 {
                let sinceBoot = Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
                return wallNow.addingTimeInterval((start + 1) / ticks - sinceBoot)
            }
        }
        #endif
        return Date()
    }()

    private static func fsyncPath(_ path: String, finalPath: String, directory: Bool) throws {
        let fd = open(path, directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY)
        guard fd >= 0 else { throw OutputError(file: finalPath, "cannot open \(path) to flush it: \(errnoText())") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw OutputError(file: finalPath, "cannot flush \(path) to disk: \(errnoText())") }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
