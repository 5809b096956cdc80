// The distributions export file: what the store holds comes back bit for bit, and every kind of
// damage is an error naming the byte offset, never a crash or a silently wrong value.
import Foundation
import RetortKnowledge
import RetortModels
@testable import RetortPipeline
import Testing

@Suite struct DistributionsFileTests {
    static func entries() -> [DistributionsFile.Entry] {
        var withInfinity = RunStoreFixtures.distributions(positions: 3, topK: 4, seed: 5)
        withInfinity.logprobs[11] = -.infinity
        withInfinity.restMass[2] = 1
        return [
            .init(key: "feature/u1/0", distributions: RunStoreFixtures.distributions(positions: 7, topK: 5)),
            .init(key: "feature/u1/1 — ünïcode", distributions: withInfinity),
            .init(key: "feature/u2/0", distributions: SparseDistributions(tokens: [], topK: 1, ids: [], logprobs: [], restMass: [])),
        ]
    }

    static func bytes(of entries: [DistributionsFile.Entry], in dir: String) throws -> [UInt8] {
        let path = dir + "/d.rtdist"
        try DistributionsFile.write(entries, to: path)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func theStoresDistributionsExportAndLoadBackEqual() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        let entries = Self.entries()
        try store.commit(stage: "feature", unit: "u1", records: [
            RunStoreFixtures.conversation(entries[0].key, stage: "feature", distributions: entries[0].distributions),
            RunStoreFixtures.conversation("no-distributions", stage: "feature"),
            RunStoreFixtures.conversation(entries[1].key, stage: "feature", distributions: entries[1].distributions),
        ], rejections: [])
        try store.commit(stage: "feature", unit: "u2", records: [
            RunStoreFixtures.conversation(entries[2].key, stage: "feature", distributions: entries[2].distributions),
        ], rejections: [])
        try store.commit(stage: "other", unit: "u1", records: [
            RunStoreFixtures.conversation("other-stage", stage: "other", distributions: RunStoreFixtures.distributions(positions: 1, topK: 1)),
        ], rejections: [])

        let out = dir + "/feature.rtdist"
        let summary = try store.export(.distributions, to: out, stage: "feature")
        #expect(summary.written == 3 && summary.skipped.isEmpty)
        let loaded = try DistributionsFile.read(path: out)
        #expect(loaded == entries)
        #expect(loaded[1].distributions.logprobs[11] == -.infinity)

        let all = try store.export(.distributions, to: out)
        #expect(all.written == 4)
        #expect(try DistributionsFile.read(path: out).map(\.key).last == "other-stage")
    }

    @Test func theLayoutIsTheDocumentedOne() throws {
        let dir = RunStoreFixtures.runDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { RunStoreFixtures.remove(dir) }
        let d = SparseDistributions(tokens: [7], topK: 2, ids: [7, 9], logprobs: [-0.5, -1], restMass: [0.25])
        let bytes = try Self.bytes(of: [.init(key: "k", distributions: d)], in: dir)
        let expected: [UInt8] = Array("RTRTDIST".utf8)
            + [1, 0, 0, 0] + [0, 0, 0, 0] + [1, 0, 0, 0, 0, 0, 0, 0]  // version, flags, record count
            + [1, 0, 0, 0] + Array("k".utf8)                            // key
            + [1, 0, 0, 0] + [2, 0, 0, 0]                               // tokens, top-k
            + [7, 0, 0, 0] + [7, 0, 0, 0, 9, 0, 0, 0]                   // tokens, ids
            + [0x00, 0x00, 0x00, 0xBF, 0x00, 0x00, 0x80, 0xBF]          // -0.5, -1 (float32 LE)
            + [0x00, 0x00, 0x80, 0x3E]                                  // 0.25
        #expect(bytes == expected)
    }

    @Test func anEmptyExportIsAValidFile() throws {
        let dir = RunStoreFixtures.runDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { RunStoreFixtures.remove(dir) }
        let bytes = try Self.bytes(of: [], in: dir)
        #expect(bytes.count == DistributionsFile.headerSize)
        #expect(try DistributionsFile.decode(bytes, path: "x") == [])
    }

    /// Replaces the little-endian u32 at `offset`.
    static func patched(_ bytes: [UInt8], at offset: Int, _ value: UInt32) -> [UInt8] {
        var copy = bytes
        for i in 0..<4 { copy[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
        return copy
    }

    @Test func eachKindOfDamageNamesItsByte() throws {
        let dir = RunStoreFixtures.runDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { RunStoreFixtures.remove(dir) }
        let d = SparseDistributions(tokens: [7, 8], topK: 2, ids: [7, 9, 8, 1], logprobs: [-0.5, -1, -0.25, -3], restMass: [0.25, 0.5])
        let good = try Self.bytes(of: [.init(key: "k", distributions: d)], in: dir)
        // Offsets: header 0–23, key length 24, key 28, token count 29, top-k 33, tokens 37, ids 45,
        // log-probabilities 61, rest masses 77, end 85.
        #expect(good.count == 85)
        let nan = Float.nan.bitPattern
        let cases: [(bytes: [UInt8], offset: Int, message: String)] = [
            (Array("GGUF".utf8) + good.dropFirst(4), 0, "not a Retort distributions file"),
            (Self.patched(good, at: 8, 2), 8, "format version 2 is unknown"),
            (Self.patched(good, at: 12, 1), 12, "flags 0x1 are unknown"),
            (Self.patched(good, at: 16, 2), 85, "the file ends after 1 of the 2 records"),
            (good + [0, 0], 85, "2 bytes follow the last of the 1 records"),
            (Self.patched(good, at: 24, 1000), 28, "truncated inside the key of record 0"),
            (Self.patched(good, at: 24, 0), 24, "the key of record 0 is empty or not UTF-8"),
            (Array(good[..<28]) + [0xFF] + good[29...], 24, "the key of record 0 is empty or not UTF-8"),
            (Self.patched(good, at: 33, 0), 33, "top-k is 0"),
            (Self.patched(good, at: 29, 3), 29, "truncated inside the distributions of 3 tokens × top-2"),
            (Self.patched(good, at: 29, UInt32.max), 29, "truncated inside the distributions of 4294967295 tokens"),
            (Self.patched(good, at: 37 + 4, UInt32(bitPattern: -4)), 41, "token 1 is -4"),
            (Self.patched(good, at: 45 + 8, UInt32(bitPattern: -1)), 53, "top-k id 2 is -1"),
            (Self.patched(good, at: 61 + 12, nan), 73, "log-probability 3 is nan"),
            (Self.patched(good, at: 61, Float(0.5).bitPattern), 61, "log-probability 0 is 0.5"),
            (Self.patched(good, at: 77 + 4, Float(1.5).bitPattern), 81, "rest mass 1 is 1.5"),
            (Self.patched(good, at: 77, Float(-0.1).bitPattern), 77, "rest mass 0 is -0.1"),
            (Array(good[..<70]), 29, "truncated inside the distributions of 2 tokens × top-2: 48 bytes needed, 33 left"),
            (Array(good[..<20]), 16, "truncated inside the record count"),
        ]
        for (bytes, offset, message) in cases {
            let error = try #require(throws: DistributionsFileError.self) { try DistributionsFile.decode(bytes, path: "f.rtdist") }
            #expect(error.offset == offset, "\(message): \(error.localizedDescription)")
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.localizedDescription.hasPrefix("f.rtdist: at byte \(error.offset!): "))
        }
    }

    @Test func everyTruncationAndManyByteFlipsFailCleanly() throws {
        let dir = RunStoreFixtures.runDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { RunStoreFixtures.remove(dir) }
        let good = try Self.bytes(of: Self.entries(), in: dir)
        for length in 0..<good.count {
            let error = try #require(throws: DistributionsFileError.self) { try DistributionsFile.decode(Array(good[..<length]), path: "t") }
            #expect(error.offset! <= length)
        }
        // Any single changed byte either still decodes to checked values or is an error in range.
        var generator = ByteFlipGenerator(seed: 42)
        for _ in 0..<2000 {
            var bytes = good
            let at = Int(generator.next() % UInt64(bytes.count))
            bytes[at] ^= UInt8(truncatingIfNeeded: generator.next() | 1)
            do {
                let entries = try DistributionsFile.decode(bytes, path: "t")
                for entry in entries { #expect(SparseDistributionsCoding.problem(in: entry.distributions) == nil) }
            } catch let error as DistributionsFileError {
                #expect(error.offset! <= bytes.count)
            }
        }
    }

    @Test func aMissingFileIsAnErrorWithoutOffset() {
        let error = #expect(throws: DistributionsFileError.self) { try DistributionsFile.read(path: "/nonexistent/d.rtdist") }
        #expect(error?.offset == nil)
        #expect(error?.localizedDescription.hasPrefix("/nonexistent/d.rtdist: cannot read it") == true)
    }

    @Test func theWriterRefusesWhatTheReaderWould() throws {
        let dir = RunStoreFixtures.runDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { RunStoreFixtures.remove(dir) }
        var bad = RunStoreFixtures.distributions(positions: 2, topK: 2)
        bad.restMass[1] = 2
        let path = dir + "/bad.rtdist"
        #expect(throws: RunStoreError.self) { try DistributionsFile.write([.init(key: "k", distributions: bad)], to: path) }
        #expect(throws: RunStoreError.self) {
            try DistributionsFile.write([.init(key: "", distributions: RunStoreFixtures.distributions(positions: 1, topK: 1))], to: path)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty, "no file and no temporary file left")
    }

    /// SplitMix64: a small deterministic generator for the byte-flip test.
    struct ByteFlipGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
