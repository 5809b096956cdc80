// safetensors: reading a file written by the Hugging Face library, round trips through the
// writer for every dtype, half-precision rounding, and refusal of malformed files.
import Foundation
@testable import RetortModels
import RetortTensor
import Testing

@Suite struct SafeTensorsTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference.safetensors").path

    @Test func readsTheReferenceFileWrittenByHuggingFaceSafetensors() throws {
        let file = try SafeTensorsFile(path: Self.fixture)
        #expect(file.metadata == ["format": "np", "made_by": "make_safetensors_fixture.py"])
        #expect(try file.info("weight.f32").shape == [2, 3])
        #expect(try file.floats("weight.f32") == [-1, -0.5, 0, 0.5, 1, 1.5])
        #expect(try file.floats("weight.f16") == [1, -2.5, 65504, 6.103515625e-05, 5.960464477539063e-08, 0.0999755859375])
        #expect(try file.floats("weight.f64") == [3.25, -0.125])
        #expect(try file.integers("ids.i64") == [-1, 1 << 40, 7])
        #expect(try file.integers("ids.i32") == [1, -2, 3, Int64(Int32.max)])
        #expect(try file.info("empty").shape == [0, 4])
        #expect(try file.floats("empty").isEmpty)
    }

    @Test func wrongKindOfTensorIsAClearError() throws {
        let file = try SafeTensorsFile(path: Self.fixture)
        #expect(throws: SafeTensorsError.self) { try file.floats("ids.i64") }
        #expect(throws: SafeTensorsError.self) { try file.integers("weight.f32") }
        #expect(throws: SafeTensorsError.self) { try file.floats("missing") }
    }

    @Test func writerRoundTripsEveryDtype() throws {
        var writer = SafeTensorsWriter()
        let values: [Float] = [0, 1, -1, 0.5, 3.140625, -1024, 1e-3]
        try writer.add("a", floats: values, shape: [7])
        try writer.add("b", floats: values, shape: [1, 7], as: .f16)
        try writer.add("c", floats: values, shape: [7, 1], as: .bf16)
        try writer.add("d", integers: [1, -5, 1 << 50], shape: [3])
        try writer.add("e", integers: [1, -5], shape: [2], as: .i32)
        writer.metadata = ["step": "12"]
        let file = try SafeTensorsFile(data: writer.serialized(), source: "memory")
        #expect(try file.floats("a") == values)
        #expect(try file.floats("b") == values.map { Float(halfBits: $0.halfBits) })
        #expect(try file.floats("c") == values.map { Float(bitPattern: UInt32($0.bfloat16Bits) << 16) })
        #expect(try file.integers("d") == [1, -5, 1 << 50])
        #expect(try file.integers("e") == [1, -5])
        #expect(file.metadata == ["step": "12"])
        // The header is padded so the data section starts 8-byte aligned.
        let data = writer.serialized()
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
    }

    @Test func writeReplacesTheFileAtomically() throws {
        let dir = NSTemporaryDirectory() + "retort-st-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/model.safetensors"
        var first = SafeTensorsWriter()
        try first.add("w", floats: [1, 2], shape: [2])
        try first.write(to: path)
        var second = SafeTensorsWriter()
        try second.add("w", floats: [3, 4, 5], shape: [3])
        try second.write(to: path)
        #expect(try SafeTensorsFile(path: path).floats("w") == [3, 4, 5])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["model.safetensors"])
    }

    @Test func writerRefusesInconsistentInput() throws {
        var writer = SafeTensorsWriter()
        #expect(throws: SafeTensorsError.self) { try writer.add("x", floats: [1, 2, 3], shape: [2, 2]) }
        #expect(throws: SafeTensorsError.self) { try writer.add("__metadata__", floats: [1], shape: [1]) }
        #expect(throws: SafeTensorsError.self) { try writer.add("x", integers: [1 << 40], shape: [1], as: .i32) }
        try writer.add("x", floats: [1], shape: [1])
        #expect(throws: SafeTensorsError.self) { try writer.add("x", floats: [1], shape: [1]) }
    }

    @Test func halfPrecisionRoundsToNearestEven() {
        #expect(Float(1.0).halfBits == 0x3C00)
        #expect(Float(65504).halfBits == 0x7BFF)
        #expect(Float(65520).halfBits == 0x7C00, "rounds up to infinity")
        #expect(Float(1 + 0x1p-11).halfBits == 0x3C00, "a tie rounds to even")
        #expect(Float(1 + 3 * 0x1p-11).halfBits == 0x3C02, "a tie rounds to even, upward")
        #expect(Float(0x1p-24).halfBits == 0x0001, "smallest subnormal")
        #expect(Float(0x1p-26).halfBits == 0x0000)
        #expect(Float(-0.0).halfBits == 0x8000)
        #expect(Float.nan.halfBits & 0x7C00 == 0x7C00 && Float.nan.halfBits & 0x3FF != 0)
        // Every half value survives decode → encode.
        for bits in UInt16.min...UInt16.max where (bits & 0x7C00) != 0x7C00 {
            #expect(Float(halfBits: bits).halfBits == bits)
        }
        #expect(Float(1 + 0x1p-8).bfloat16Bits == 0x3F80, "bf16 tie rounds to even")
        #expect(Float(1 + 3 * 0x1p-8).bfloat16Bits == 0x3F82)
    }

    static func file(header: String, data: [UInt8] = []) -> Data {
        var out = Data()
        var length = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(contentsOf: Array(header.utf8))
        out.append(contentsOf: data)
        return out
    }

    @Test(arguments: [
        (Data([1, 2, 3]), "too short"),
        (Data([255, 255, 255, 255, 0, 0, 0, 0, 123]), "header length"),
        (file(header: "{\"a\": "), "the header is not valid JSON"),
        (file(header: "[1, 2]"), "must be a JSON object"),
        (file(header: #"{"a": {"shape": [1], "data_offsets": [0, 4]}}"#, data: [0, 0, 0, 0]), "no \"dtype\""),
        (file(header: #"{"a": {"dtype": "F8", "shape": [1], "data_offsets": [0, 1]}}"#, data: [0]), "unsupported dtype F8"),
        (file(header: #"{"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}"#, data: [0, 0, 0, 0]), "invalid dimension"),
        (file(header: #"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#, data: [0, 0, 0, 0]), "truncated"),
        (file(header: #"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}"#, data: [0, 0, 0, 0]), "needs 8"),
        (file(header: #"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}"#, data: [0, 0, 0, 0]), "data_offsets"),
        (file(header: #"{"a": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]}, "b": {"dtype": "U8", "shape": [2], "data_offsets": [1, 3]}}"#, data: [0, 0, 0]), "overlap"),
        (file(header: #"{"__metadata__": {"a": 1}}"#), "object of strings"),
        (file(header: #"{"a": {"dtype": "F32", "shape": [4294967296, 4294967296, 4294967296], "data_offsets": [0, 4]}}"#, data: [0, 0, 0, 0]), "too large"),
    ])
    func malformedFilesAreRefusedWithTheReason(data: Data, message: String) {
        do {
            _ = try SafeTensorsFile(data: data, source: "bad.safetensors")
            Issue.record("expected an error containing \(message)")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.file == "bad.safetensors")
        }
    }

    @Test func randomlyCorruptedFilesAreRefusedOrReadNeverCrash() throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: Self.fixture))
        var generator = SplitMix64(seed: 0x5AFE)
        var refused = 0, accepted = 0
        for _ in 0..<300 {
            var bytes = [UInt8](original)
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if Bool.random(using: &generator) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator)) }
            do {
                let file = try SafeTensorsFile(data: Data(bytes), source: "fuzz")
                accepted += 1
                // A file that passed the header checks reads every tensor (or names why its dtype is not wanted).
                for tensor in file.tensors {
                    if let values = try? file.floats(tensor.name) { #expect(values.count == tensor.elementCount) }
                    if let values = try? file.integers(tensor.name) { #expect(values.count == tensor.elementCount) }
                }
            } catch {
                refused += 1
                #expect(error.file == "fuzz" && !error.message.isEmpty)
            }
        }
        #expect(refused > 0 && accepted > 0, "the mutations reach both outcomes (refused \(refused), accepted \(accepted))")
    }
}
