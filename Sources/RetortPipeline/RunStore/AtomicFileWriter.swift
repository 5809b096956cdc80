// Writes an export the safe way: stream into a temporary file beside the destination, flush it to
// disk, then rename it over the destination. A reader never sees half a file, and a failed or
// interrupted export leaves the previous file as it was.
import Foundation

public struct ExportFileError: Error, LocalizedError, Sendable, Equatable {
    public let path: String
    public let reason: String
    public var errorDescription: String? { "cannot write \(path): \(reason)" }
}

final class AtomicFileWriter {
    let destination: String
    let temporary: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private static let flushSize = 1 << 20

    /// Creates the destination's folder when missing and an empty temporary file beside it.
    init(destination: String) throws {
        self.destination = destination
        let folder = (destination as NSString).deletingLastPathComponent
        let name = (destination as NSString).lastPathComponent
        temporary = (folder.isEmpty ? "." : folder) + "/.\(name).tmp-\(UUID().uuidString.prefix(8))"
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ExportFileError(path: destination, reason: "it is a folder; give a file name")
        }
        do {
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        } catch {
            throw ExportFileError(path: destination, reason: "cannot create its folder (\(error.localizedDescription))")
        }
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw ExportFileError(path: destination, reason: "cannot create a file in \(folder.isEmpty ? "." : folder); check that it is writable")
        }
        do {
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ExportFileError(path: destination, reason: error.localizedDescription)
        }
    }

    func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { try flush() }
    }

    func write(_ text: String) throws { try write(text.utf8) }

    /// Overwrites bytes already written at `offset` (a header's count, known only at the end).
    func patch(at offset: UInt64, _ bytes: [UInt8]) throws {
        try flush()
        try guarded {
            let end = try handle.offset()
            try handle.seek(toOffset: offset)
            try handle.write(contentsOf: bytes)
            try handle.seek(toOffset: end)
        }
    }

    /// Flushes to disk and renames the temporary file over the destination.
    func commit() throws {
        try flush()
        try guarded {
            try handle.synchronize()
            try handle.close()
        }
        guard rename(temporary, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw ExportFileError(path: destination, reason: reason)
        }
    }

    /// Removes the temporary file; the destination is untouched.
    func abandon() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporary)
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try guarded { try handle.write(contentsOf: buffer) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func guarded(_ body: () throws -> Void) throws {
        do { try body() } catch { throw ExportFileError(path: destination, reason: error.localizedDescription) }
    }
}
