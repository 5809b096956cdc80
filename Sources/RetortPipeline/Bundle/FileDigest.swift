// SHA-256 of a file, read in 1 MiB chunks so a multi-gigabyte model is never held in memory.
import Crypto
import Foundation

enum FileDigest {
    static let chunkSize = 1 << 20

    /// Lower-case hex SHA-256 of the file at `path`.
    static func sha256(of path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw BundleError("\(path): cannot be read")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }

    /// Lower-case hex SHA-256 of bytes in memory.
    static func sha256(of data: Data) -> String { hex(SHA256.hash(data: data)) }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
