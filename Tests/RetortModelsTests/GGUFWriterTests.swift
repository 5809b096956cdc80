// GGUF writer: metadata of every type and F32/F16/BF16 tensors round-trip unchanged through the
// reader; Q8_0 and Q4_0 produce the very bytes (and so the values) the `gguf` Python package
// produces for the same input (Fixtures/reference_gguf.json); invalid input is refused.
import Foundation
import RetortJSON
@testable import RetortModels
import Testing

@Suite struct GGUFWriterTests {
    static let allTypes: [(String, GGUFValue)] = [
        ("general.architecture", .string("llama")),
        ("t.u8", .uint8(255)), ("t.i8", .int8(-128)), ("t.u16", .uint16(65535)), ("t.i16", .int16(-32768)),
        ("t.u32", .uint32(.max)), ("t.i32", .int32(.min)), ("t.u64", .uint64(.max)), ("t.i64", .int64(.min)),
        ("t.f32", .float32(-0.1)), ("t.f64", .float64(.pi)), ("t.bool", .bool(false)),
        ("t.string", .string("emoji 🦙 and \u{0} nul")), ("t.empty", .string("")),
        ("t.a.u8", .array(.uint8([0, 9]))), ("t.a.i8", .array(.int8([-1]))), ("t.a.u16", .array(.uint16([7]))),
        ("t.a.i16", .array(.int16([-7, 8]))), ("t.a.u32", .array(.uint32([1, 2, 3]))), ("t.a.i32", .array(.int32([]))),
        ("t.a.u64", .array(.uint64([.max]))), ("t.a.i64", .array(.int64([.min, 0]))),
        ("t.a.f32", .array(.float32([1.5, -0.0]))), ("t.a.f64", .array(.float64([1e300]))),
        ("t.a.bool", .array(.bool([true, false]))), ("t.a.string", .array(.string(["", "ab", "ç"]))),
        ("t.a.nested", .array(.array([.uint8([1]), .array([.string(["deep"])]), .float32([])]))),
    ]

    func temporaryPath(_ name: String) -> (folder: String, path: String) {
        let folder = NSTemporaryDirectory() + "gguf-writer-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return (folder, folder + "/" + name)
    }

    @Test func roundTripsMetadataAndPlainTensors() throws {
        var writer = GGUFWriter()
        for (key, value) in Self.allTypes { writer.set(key, value) }
        writer.set("t.u8", .uint8(254))  // replaced in place
        let values: [Float] = (0..<96).map { Float($0) * 0.37 - 11 } + [65504, 1e-7, -0.0, .infinity, 70000, 3.0e-5]
        try writer.addTensor("a.f32", values: values, dimensions: [6, 17])
        try writer.addTensor("b.f16", values: values, dimensions: [102], as: .f16)
        try writer.addTensor("c.bf16", values: values, dimensions: [2, 3, 17], as: .bf16)
        try writer.addTensor("d.empty", values: [], dimensions: [4, 0])
        let (folder, path) = temporaryPath("model.gguf")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try writer.write(to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.gguf"])

        let file = try GGUFFile(path: path)
        #expect(file.version == 3)
        #expect(file.alignment == 32)
        #expect(file.metadataKeys == Self.allTypes.map(\.0))
        for (key, value) in Self.allTypes where key != "t.u8" {
            #expect(file.value(key) == value, "\(key)")
        }
        #expect(file.value("t.u8") == .uint8(254))
        #expect(file.tensors.map(\.name) == ["a.f32", "b.f16", "c.bf16", "d.empty"])
        #expect(file.tensors.allSatisfy { $0.offset % 32 == 0 })
        #expect(try file.tensor(named: "c.bf16").dimensions == [2, 3, 17])
        #expect(try file.floats("a.f32").map(\.bitPattern) == values.map(\.bitPattern))
        #expect(try file.floats("b.f16").map(\.bitPattern) == values.map { Float(halfBits: $0.halfBits).bitPattern })
        #expect(try file.floats("b.f16")[96] == 65504)
        #expect(try file.floats("b.f16")[100] == .infinity)  // 70000 overflows half
        #expect(try file.floats("c.bf16").map(\.bitPattern) == values.map { UInt32($0.bfloat16Bits) << 16 })
        #expect(try file.floats("d.empty").isEmpty)
    }

    @Test func q8_0AndQ4_0MatchTheGGUFPackageBitForBit() throws {
        let cases = try #require(try GGUFFixtures.json("reference_gguf.json")["quantization_cases"]?.arrayValue)
        #expect(cases.count == 6)
        var writer = GGUFWriter()
        for (i, c) in cases.enumerated() {
            let type: GGMLType = c["type"]?.stringValue == "Q8_0" ? .q8_0 : .q4_0
            let input = GGUFFixtures.floats(c["input"])
            let bytes = try GGMLQuantizer.encode(input, as: type)
            #expect(bytes == GGUFFixtures.bytes(hex: c["bytes_hex"]!.stringValue!), "\(c["label"]!.stringValue!) \(type)")
            try writer.addTensor("case\(i)", values: input, dimensions: [input.count], as: type)
        }
        let file = try GGUFFile(data: writer.serialized())
        for (i, c) in cases.enumerated() {
            let expected = GGUFFixtures.floats(c["dequantized"])
            #expect(try file.floats("case\(i)").map(\.bitPattern) == expected.map(\.bitPattern), "\(c["label"]!.stringValue!)")
        }
    }

    @Test func quantizationErrorIsBounded() throws {
        let values = (0..<256).map { sin(Float($0) * 0.1) * 2 }
        for (type, bound) in [(GGMLType.q8_0, Float(2) / 127), (.q4_0, Float(2) / 8)] {
            var writer = GGUFWriter()
            try writer.addTensor("w", values: values, dimensions: [64, 4], as: type)
            let back = try GGUFFile(data: writer.serialized()).floats("w")
            let worst = zip(values, back).map { abs($0 - $1) }.max()!
            #expect(worst <= bound * 1.01, "\(type): worst error \(worst)")
            #expect(worst > 0, "\(type) cannot be lossless on these values")
        }
    }

    @Test func refusesWhatItCannotWrite() throws {
        var writer = GGUFWriter()
        func kind(_ body: () throws -> Void) -> GGUFError.Kind? {
            (#expect(throws: GGUFError.self) { try body() })?.kind
        }
        #expect(kind { try writer.addTensor("w", values: [1, 2, 3], dimensions: [2, 2]) } == .invalidInput)
        #expect(kind { try writer.addTensor("w", values: [Float](repeating: 1, count: 16), dimensions: [16], as: .q8_0) } == .invalidInput)
        #expect(kind { try writer.addTensor("w", values: [Float](repeating: .nan, count: 32), dimensions: [32], as: .q4_0) } == .invalidInput)
        #expect(kind { try writer.addTensor("w", values: [Float](repeating: 1, count: 32), dimensions: [32], as: .q4_1) } == .unsupported)
        #expect(kind { try writer.addTensor("", values: [1], dimensions: [1]) } == .invalidInput)
        #expect(kind { try writer.addTensor(String(repeating: "n", count: 64), values: [1], dimensions: [1]) } == .invalidInput)
        #expect(kind { try writer.addTensor("w", values: [1], dimensions: [1, 1, 1, 1, 1]) } == .invalidInput)
        try writer.addTensor("w", values: [1], dimensions: [1])
        #expect(kind { try writer.addTensor("w", values: [1], dimensions: [1]) } == .invalidInput)
        writer.set("general.alignment", .uint32(64))
        #expect(kind { _ = try writer.serialized() } == .invalidInput)
        writer.set("general.alignment", .uint32(32))
        #expect(try GGUFFile(data: writer.serialized()).alignment == 32)
        #expect(kind { try writer.write(to: "/nonexistent-folder/x.gguf") } == .io)
    }
}
