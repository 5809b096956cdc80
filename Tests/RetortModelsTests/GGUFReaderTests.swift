// GGUF reader: the reference file written by the `gguf` Python package (every metadata type,
// alignment 64, tensors of 13 ggml types dequantized as gguf.quants.dequantize does), GGUF v2,
// and refusal of malformed files with errors naming the field.
import Foundation
import RetortJSON
@testable import RetortModels
import Testing

@Suite struct GGUFReaderTests {
    @Test func readsHeaderAndMetadataOfEveryType() throws {
        let file = try GGUFFile(path: GGUFFixtures.reference)
        #expect(file.version == 3)
        #expect(file.alignment == 64)
        #expect(file.dataOffset % 64 == 0)
        #expect(file.metadataKeys.first == "general.architecture")
        #expect(try file.string("general.architecture") == "llama")
        #expect(file.value("test.uint8") == .uint8(200))
        #expect(file.value("test.int8") == .int8(-100))
        #expect(file.value("test.uint16") == .uint16(60000))
        #expect(file.value("test.int16") == .int16(-30000))
        #expect(file.value("test.uint32") == .uint32(4_000_000_000))
        #expect(file.value("test.int32") == .int32(-2_000_000_000))
        #expect(file.value("test.uint64") == .uint64(1 << 63 + 5))
        #expect(file.value("test.int64") == .int64(-(1 << 40)))
        #expect(file.value("test.float32") == .float32(0.15625))
        #expect(file.value("test.float64") == .float64(3.141592653589793))
        #expect(try file.bool("test.bool"))
        #expect(try file.string("test.string") == "héllo ☃ GGUF")
        #expect(try file.int("test.uint32") == 4_000_000_000)
        #expect(try file.double("test.float32") == 0.15625)
        #expect(try file.int32Array("test.array.int32") == [1, -2, 3])
        #expect(try file.intArray("test.array.int64") == [-(1 << 40), 7])
        #expect(try file.stringArray("test.array.string") == ["a", "bc", "ünï"])
        #expect(try file.floatArray("test.array.float32") == [0.25, -1.5, 1e-3])
        #expect(try file.floatArray("test.array.float64") == [0.5, -2.25])
        #expect(try file.array("test.array.bool") == .bool([true, false, true]))
        #expect(try file.array("test.array.uint8") == .uint8([1, 2, 255]))
        #expect(try file.array("test.array.uint16") == .uint16([65535, 0]))
        #expect(try file.array("test.array.nested") == .array([.int32([1, 2]), .string(["x", "yz"]), .array([.int32([3])])]))
    }

    @Test func typedAccessorsNameTheKeyAndTheTypeFound() throws {
        let file = try GGUFFile(path: GGUFFixtures.reference)
        let wrong = #expect(throws: GGUFError.self) { try file.string("test.uint8") }
        #expect(wrong?.kind == .wrongType)
        #expect(wrong?.errorDescription?.contains("test.uint8") == true)
        #expect(wrong?.errorDescription?.contains("uint8") == true)
        let missing = #expect(throws: GGUFError.self) { try file.int("llama.nope") }
        #expect(missing?.kind == .missing)
        #expect(missing?.errorDescription?.contains("llama.nope") == true)
        #expect(throws: GGUFError.self) { try file.int("test.uint64") }  // 2^63+5 does not fit in Int
        #expect(throws: GGUFError.self) { try file.stringArray("test.array.int32") }
        #expect(throws: GGUFError.self) { try file.floats("no.such.tensor") }
    }

    @Test func dequantizesEveryTensorAsTheGGUFPackageDoes() throws {
        let file = try GGUFFile(path: GGUFFixtures.reference)
        let expected = try #require(try GGUFFixtures.json("reference_gguf.json")["tensors"]?.objectValue)
        #expect(expected.count == 13)
        #expect(file.tensors.count == expected.count)
        for (name, tensor) in expected {
            let info = try file.tensor(named: name)
            #expect(info.type.description == tensor["type"]?.stringValue, "\(name)")
            #expect(info.dimensions == tensor["dims"]?.arrayValue?.map { Int($0.doubleValue!) }, "\(name)")
            #expect(info.offset % 64 == 0)
            let values = try file.floats(name)
            let reference = GGUFFixtures.floats(tensor["values"])
            #expect(values.count == reference.count, "\(name)")
            let mismatches = zip(values, reference).filter { $0.0.bitPattern != $0.1.bitPattern }
            #expect(mismatches.isEmpty, "\(name): \(mismatches.count) values differ, first \(mismatches.first.map { "\($0)" } ?? "")")
        }
    }

    @Test func readsVersion2Files() throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: GGUFFixtures.reference))
        bytes[4] = 2
        let v2 = try GGUFFile(data: bytes, source: "v2")
        let v3 = try GGUFFile(path: GGUFFixtures.reference)
        #expect(v2.version == 2)
        #expect(v2.metadata == v3.metadata)
        #expect(v2.tensors == v3.tensors)
        #expect(try v2.floats("t.q4_1") == v3.floats("t.q4_1"))
    }

    @Test func dequantizesQ8KBlocks() throws {
        // Q8_K has no reference in the gguf package: {f32 d; i8 qs[256]; i16 bsums[16]}, y = d·q.
        var block = [UInt8]()
        withUnsafeBytes(of: Float(0.5).bitPattern.littleEndian) { block += $0 }
        let qs = (0..<256).map { Int8(truncatingIfNeeded: $0 * 7 - 128) }
        block += qs.map { UInt8(bitPattern: $0) }
        block += [UInt8](repeating: 0, count: 32)
        #expect(block.count == GGMLType.q8_K.typeSize)
        let values = try block.withUnsafeBytes { try GGMLDequantizer.dequantize($0, type: .q8_K, count: 256) }
        #expect(values == qs.map { Float($0) * 0.5 })
    }

    @Test func dequantizerRefusesShortBuffersAndUnsupportedTypes() throws {
        let bytes = [UInt8](repeating: 0, count: 33)
        bytes.withUnsafeBytes { raw in
            #expect(throws: GGUFError.self) { try GGMLDequantizer.dequantize(raw, type: .q8_0, count: 32) }
            #expect(throws: GGUFError.self) { try GGMLDequantizer.dequantize(raw, type: .q4_0, count: 31) }
            let unsupported = #expect(throws: GGUFError.self) { try GGMLDequantizer.dequantize(raw, type: .iq2_xxs, count: 0) }
            #expect(unsupported?.kind == .unsupported)
        }
    }

    @Test func refusesMalformedFilesNamingTheField() throws {
        func error(_ bytes: GGUFBytes) -> GGUFError? {
            #expect(throws: GGUFError.self) { try GGUFFile(data: bytes.data, source: "case.gguf") }
        }
        #expect(throws: Never.self) { try GGUFFile(data: GGUFBytes.singleTensor().data, source: "ok") }

        var badMagic = GGUFBytes.singleTensor()
        badMagic.bytes[0] = UInt8(ascii: "X")
        #expect(error(badMagic)?.field == "magic")

        var v1 = GGUFBytes.singleTensor()
        v1.bytes[4] = 1
        #expect(error(v1)?.kind == .unsupported)

        var huge = GGUFBytes()
        huge.header(tensors: 1 << 60, keys: 0)
        #expect(error(huge)?.field == "tensor_count")

        var hugeString = GGUFBytes()
        hugeString.header(tensors: 0, keys: 1)
        hugeString.u64(.max)
        #expect(error(hugeString)?.kind == .corrupt)

        var badValueType = GGUFBytes()
        badValueType.header(tensors: 0, keys: 1)
        badValueType.string("k")
        badValueType.u32(13)
        #expect(error(badValueType)?.field == "metadata key 'k' type")

        let unknownType = error(.singleTensor(type: 99))
        #expect(unknownType?.field == "tensor 'w' type")
        #expect(unknownType?.errorDescription?.contains("case.gguf") == true)
        #expect(unknownType?.errorDescription?.contains("99") == true)

        #expect(error(.singleTensor(offset: 32))?.field == "tensor 'w' data")   // past the end
        #expect(error(.singleTensor(offset: 4))?.field == "tensor 'w' offset")  // misaligned
        #expect(error(.singleTensor(count: 4, dataBytes: 12))?.kind == .truncated)
        #expect(error(.singleTensor(count: 31, type: GGMLType.q4_0.rawValue))?.field == "tensor 'w' dimensions")

        let full = GGUFBytes.singleTensor().bytes
        for length in [0, 3, 7, 15, 23, 30, 50, full.count - 1] {
            let cut = GGUFBytes(bytes: Array(full.prefix(length)))
            // A cut inside a field is "truncated"; a count that no longer fits what is left is "corrupt".
            let kind = error(cut)?.kind
            #expect(kind == .truncated || kind == .corrupt, "cut at \(length)")
        }

        let missingFile = #expect(throws: GGUFError.self) { try GGUFFile(path: "/nonexistent/x.gguf") }
        #expect(missingFile?.kind == .io)
    }

    @Test func missingKeysAreClearErrors() throws {
        // GGUFModelInfo names the first key it could not find.
        var b = GGUFBytes()
        b.header(tensors: 0, keys: 1)
        b.string("general.architecture")
        b.u32(8)
        b.string("llama")
        let partial = try GGUFFile(data: b.data, source: "partial.gguf")
        let error = #expect(throws: GGUFError.self) { try GGUFModelInfo(partial) }
        #expect(error?.errorDescription?.contains("llama.context_length") == true)
        #expect(error?.errorDescription?.contains("partial.gguf") == true)
    }
}
