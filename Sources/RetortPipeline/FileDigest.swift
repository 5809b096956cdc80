// SHA-256 of a file, read in 1 MiB chunks so a multi-gigabyte model is never held in memory: the
// model store's checksum check, run artifacts and bundle manifests all use it.
import Crypto
import Foundation

enum FileDigest {
    static let chunkSize = 1 << 20

    /// Lower-case hex SHA-256 of the file at `path`.
    static func sha256(of path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileDigestError(errorDescription: "\(path): cannot be read to compute its SHA-256")
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

struct FileDigestError: Error, LocalizedError {
    let errorDescription: String?
}
