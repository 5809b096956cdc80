// Shared helpers of the GGUF tests: fixture paths, the expected-values JSON, a byte builder for
// hand-made GGUF files, and where to find the real SmolLM2 model.
import Foundation
import RetortJSON
@testable import RetortModels
import Testing

enum GGUFFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let reference = folder.appendingPathComponent("reference.gguf").path

    static func json(_ name: String) throws -> JSONValue {
        let text = try String(contentsOfFile: folder.appendingPathComponent(name).path, encoding: .utf8)
        return try JSONValue(parsing: text)
    }

    static func floats(_ value: JSONValue?) -> [Float] {
        (value?.arrayValue ?? []).map { Float($0.doubleValue!) }
    }

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }
}

/// SmolLM2-135M-Instruct.Q4_1.gguf: from $RETORT_TEST_GGUF, else ~/.cache/retort/models/.
enum GGUFTestModel {
    static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"
    static let path: String? = {
        if let path = ProcessInfo.processInfo.environment["RETORT_TEST_GGUF"], !path.isEmpty {
            return path  // set explicitly: a wrong path must fail loudly, not skip
        }
        let cached = FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/retort/models/" + fileName
        return FileManager.default.fileExists(atPath: cached) ? cached : nil
    }()
    static let missingComment: Comment =
        "SmolLM2 model missing: set RETORT_TEST_GGUF or place \(fileName) in ~/.cache/retort/models/"
}

/// Little-endian bytes of a hand-made GGUF file.
struct GGUFBytes {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func string(_ s: String) { u64(UInt64(s.utf8.count)); bytes += Array(s.utf8) }
    mutating func header(version: UInt32 = 3, tensors: UInt64, keys: UInt64) {
        bytes += Array("GGUF".utf8)
        u32(version)
        u64(tensors)
        u64(keys)
    }
    mutating func pad(to alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    var data: Data { Data(bytes) }

    /// One F32 tensor "w" of `count` values 0, 1, 2… with an optional bad type or offset.
    static func singleTensor(count: Int = 4, type: UInt32 = 0, offset: UInt64 = 0, dataBytes: Int? = nil) -> GGUFBytes {
        var b = GGUFBytes()
        b.header(tensors: 1, keys: 1)
        b.string("general.architecture")
        b.u32(8)
        b.string("llama")
        b.string("w")
        b.u32(1)
        b.u64(UInt64(count))
        b.u32(type)
        b.u64(offset)
        b.pad(to: 32)
        for i in 0..<(dataBytes.map { $0 / 4 } ?? count) { b.u32(Float(i).bitPattern) }
        return b
    }
}
