internal import Crypto
import Foundation

/// SHA-256 digests as lowercase hex strings (provenance keywords CFGSHA and PSHAn).
public enum SHA256Hex {
    /// The digest of a file's bytes, read in 1 MiB chunks. A missing or unreadable file is an
    /// `InputError` (exit 66) naming the file.
    public static func of(fileAt path: String) throws -> String {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError(file: path, "file not found", status: .noInput)
        }
        if isDir.boolValue { throw InputError(file: path, "is a folder, not a file", status: .noInput) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, "cannot open the file for reading", status: .noInput)
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            throw InputError(file: path, "cannot read the file: \(error.localizedDescription)", status: .noInput)
        }
        return hex(hasher.finalize())
    }

    /// The digest of a string's UTF-8 bytes.
    public static func of(string: String) -> String { of(data: Data(string.utf8)) }

    public static func of(data: Data) -> String { hex(SHA256.hash(data: data)) }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
