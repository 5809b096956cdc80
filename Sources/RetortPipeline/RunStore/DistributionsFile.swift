// The `distributions` export: a run's sparse teacher distributions in one compact binary file,
// for training elsewhere. Little-endian throughout:
//
//     8 bytes  magic "RTRTDIST"
//     u32      version (1) · u32 flags (0; reserved for e.g. float16 log-probabilities)
//     u64      record count
//     per record: u32 key length · key (UTF-8) · the body of SparseDistributionsCoding
//                 (u32 tokens · u32 top-k · i32 tokens · i32 ids · f32 logprobs · f32 rest mass)
//
// The reader checks every length against the bytes present and every value against its range,
// and names the byte offset of the first thing that is wrong.
import Foundation
import RetortModels

public enum DistributionsFile {
    public static let magic: [UInt8] = Array("RTRTDIST".utf8)
    public static let version: UInt32 = 1
    static let headerSize = 24
    static let countOffset: UInt64 = 16

    public struct Entry: Sendable, Hashable {
        /// The record's key in the run store.
        public var key: String
        public var distributions: SparseDistributions

        public init(key: String, distributions: SparseDistributions) {
            self.key = key
            self.distributions = distributions
        }
    }

    /// Reads and checks a whole file.
    public static func read(path: String) throws -> [Entry] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DistributionsFileError(path: path, offset: nil, message: "cannot read it (\(error.localizedDescription))")
        }
        return try decode([UInt8](data), path: path)
    }

    /// Checks and decodes the bytes of a file; `path` only names it in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws -> [Entry] {
        var reader = ByteReader(bytes)
        do throws(ByteReadError) {
            let magicBytes = try reader.readBytes(magic.count, "the magic number")
            guard Array(magicBytes) == magic else {
                throw reader.error("the file does not start with \"RTRTDIST\"; it is not a Retort distributions file", at: 0)
            }
            let versionOffset = reader.offset
            let fileVersion = try reader.readUInt32("the version")
            guard fileVersion == version else {
                throw reader.error("format version \(fileVersion) is unknown (this Retort reads version \(version))", at: versionOffset)
            }
            let flagsOffset = reader.offset
            let flags = try reader.readUInt32("the flags")
            guard flags == 0 else { throw reader.error("flags 0x\(String(flags, radix: 16)) are unknown to this Retort", at: flagsOffset) }
            let count = try reader.readUInt64("the record count")

            var entries: [Entry] = []
            // A damaged count must not make us reserve memory for billions of entries.
            entries.reserveCapacity(Int(min(count, UInt64(reader.remaining / 12))))
            var index: UInt64 = 0
            while index < count {
                if reader.isAtEnd {
                    throw reader.error("the file ends after \(index) of the \(count) records its header announces")
                }
                let keyOffset = reader.offset
                let keyLength = Int(try reader.readUInt32("the key length of record \(index)"))
                let keyBytes = try reader.readBytes(keyLength, "the key of record \(index)")
                guard let key = String(validating: keyBytes, as: UTF8.self), !key.isEmpty else {
                    throw reader.error("the key of record \(index) is empty or not UTF-8", at: keyOffset)
                }
                let distributions = try SparseDistributionsCoding.read(from: &reader)
                entries.append(Entry(key: key, distributions: distributions))
                index += 1
            }
            guard reader.isAtEnd else {
                throw reader.error("\(reader.remaining) bytes follow the last of the \(count) records")
            }
            return entries
        } catch {
            throw DistributionsFileError(path: path, offset: error.offset, message: error.message)
        }
    }

    /// Streams entries into an atomically written file; the count is patched in at the end.
    final class Writer {
        private let file: AtomicFileWriter
        private(set) var count: UInt64 = 0
        private var scratch = ByteWriter()

        init(file: AtomicFileWriter) throws {
            self.file = file
            var header = ByteWriter()
            header.append(bytes: DistributionsFile.magic)
            header.append(DistributionsFile.version)
            header.append(UInt32(0))
            header.append(UInt64(0))
            try file.write(header.bytes)
        }

        func append(_ entry: Entry) throws {
            if let problem = SparseDistributionsCoding.problem(in: entry.distributions) {
                throw RunStoreError.invalidInput("the distributions of record \(entry.key) are inconsistent: \(problem)")
            }
            let key = Array(entry.key.utf8)
            guard !key.isEmpty, key.count <= Int(UInt32.max) else {
                throw RunStoreError.invalidInput("a distributions record needs a key of 1 to 2³²−1 bytes")
            }
            scratch.removeAll()
            scratch.append(UInt32(key.count))
            scratch.append(bytes: key)
            SparseDistributionsCoding.append(entry.distributions, to: &scratch)
            try file.write(scratch.bytes)
            count += 1
        }

        /// Writes the final count; the caller then commits the file.
        func finish() throws {
            var bytes = ByteWriter()
            bytes.append(count)
            try file.patch(at: DistributionsFile.countOffset, bytes.bytes)
        }
    }

    /// Writes `entries` to `path` atomically (what `retort data export --format distributions` does
    /// from a run store, for callers that hold entries in memory).
    public static func write(_ entries: [Entry], to path: String) throws {
        let file = try AtomicFileWriter(destination: path)
        do {
            let writer = try Writer(file: file)
            for entry in entries { try writer.append(entry) }
            try writer.finish()
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
    }
}

public struct DistributionsFileError: Error, LocalizedError, Sendable, Equatable {
    public let path: String
    /// The byte where reading went wrong; nil when the file could not be read at all.
    public let offset: Int?
    public let message: String

    public var errorDescription: String? {
        offset.map { "\(path): at byte \($0): \(message)" } ?? "\(path): \(message)"
    }
}
