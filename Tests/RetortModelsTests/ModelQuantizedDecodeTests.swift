// A GGUF model loaded for inference keeps its Q4_0/Q4_1/Q8_0 matrices' blocks and decodes from them,
// bit for bit as the float32 model loaded from the same file, query/key rows included; anything
// that can change a weight drops its blocks (unfreezing, assigning, merging LoRA), so a changed
// weight is never decoded from stale blocks.
import Foundation
import RetortTensor
import Testing
@testable import RetortModels

@Suite struct ModelQuantizedDecodeTests {
    static let prompt: [Int32] = [1, 60, 262, 105, 3, 200, 263]

    /// The logits of a prompt, then of three single-token steps, in one list.
    static func decodeLogits(_ model: LlamaModel) throws -> [UInt32] {
        let cache = model.makeCache(capacity: 16)
        var logits = try model.decode(prompt, cache: cache, allLogits: true).toArray()
        for token: Int32 in [7, 99, 250] { logits += try model.decode([token], cache: cache).toArray() }
        return logits.map(\.bitPattern)
    }

    static func exported(_ type: GGUFExportType, tied: Bool, bias: Bool, dir: String) throws -> GGUFFile {
        let model = try ConversionFixtures.model(modelType: "llama", bias: bias, tied: tied)
        let path = dir + "/\(type)-\(tied)-\(bias).gguf"
        try model.writeGGUF(to: path, type: type, metadata: ConversionFixtures.metadata())
        return try GGUFFile(path: path)
    }

    @Test(arguments: [(GGUFExportType.q8_0, false, false), (.q4_0, true, true), (.q4_0, false, false)])
    func inferenceModelsDecodeFromBlocksWithTheBitsOfFloat32(type: GGUFExportType, tied: Bool, bias: Bool) throws {
        let dir = try ConversionFixtures.scratch("quantized-decode")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try Self.exported(type, tied: tied, bias: bias, dir: dir)
        let dense = try LlamaModel(gguf: file), blocks = try LlamaModel(gguf: file, forInference: true)
        #expect(dense.parameters.allSatisfy { $0.quantized == nil && $0.isTrainable })
        #expect(blocks.parameters.allSatisfy { !$0.isTrainable })
        // Every matrix: 7 projections a layer, the embedding, and the head when it is its own.
        let matrices = blocks.parameters.filter { $0.value.shape.count == 2 }
        #expect(matrices.count == 7 * 2 + (tied ? 1 : 2))
        #expect(matrices.allSatisfy { $0.quantized != nil }, "\(matrices.filter { $0.quantized == nil }.map(\.name))")
        #expect(try Self.decodeLogits(blocks) == Self.decodeLogits(dense), "\(type) tied \(tied) bias \(bias)")
    }

    @Test func changingAWeightDropsItsBlocks() throws {
        let dir = try ConversionFixtures.scratch("quantized-drop")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try Self.exported(.q8_0, tied: false, bias: false, dir: dir)

        // Unfreezing to train drops every block; a changed weight then decodes as the float32 model.
        let trained = try LlamaModel(gguf: file, forInference: true), dense = try LlamaModel(gguf: file)
        trained.unfreezeBaseParameters()
        #expect(trained.parameters.allSatisfy { $0.quantized == nil })
        for model in [trained, dense] { model.layers[1].weights[.down]!.value.data[5] += 0.5 }
        #expect(try Self.decodeLogits(trained) == Self.decodeLogits(dense))

        // Assigning values (a load, a layer copy) drops that weight's blocks only.
        let assigned = try LlamaModel(gguf: file, forInference: true)
        let up = assigned.layers[0].weights[.up]!
        try up.assign(up.value.toArray().map { $0 * 2 })
        #expect(up.quantized == nil)
        #expect(assigned.layers[0].weights[.gate]!.quantized != nil)

        // A LoRA adapter on a frozen base keeps the blocks (the base does not change); merging drops them.
        let adapted = try LlamaModel(gguf: file, forInference: true), denseAdapted = try LlamaModel(gguf: file)
        for model in [adapted, denseAdapted] {
            try model.addLoRA(rank: 2, alpha: 4, projections: [.q, .down], seed: 9)
            for adapter in model.adapterParameters { for i in 0..<adapter.value.count { adapter.value.data[i] = Float(i % 5) * 0.01 } }
        }
        #expect(adapted.layers[0].weights[.q]!.quantized != nil)
        #expect(try Self.decodeLogits(adapted) == Self.decodeLogits(denseAdapted))
        adapted.mergeLoRA()
        denseAdapted.mergeLoRA()
        #expect(adapted.layers[0].weights[.q]!.quantized == nil && adapted.layers[1].weights[.down]!.quantized == nil)
        #expect(adapted.layers[0].weights[.k]!.quantized != nil)
        #expect(try Self.decodeLogits(adapted) == Self.decodeLogits(denseAdapted))
    }

    @Test func blocksAreOnlyKeptForFrozenMatricesOfTheirShape() throws {
        let model = try ConversionFixtures.model()
        let weight = model.layers[0].weights[.up]!  // (128, 64), trainable
        let blocks = try BlockQuantizedMatrix(format: .q8_0, rows: 128, columns: 64, bytes: [UInt8](repeating: 0, count: 128 * 68))
        #expect(throws: ModelError.self) { try weight.attach(blocks) }
        weight.freeze()
        let wrong = try BlockQuantizedMatrix(format: .q8_0, rows: 64, columns: 128, bytes: [UInt8](repeating: 0, count: 64 * 136))
        #expect(throws: ModelError.self) { try weight.attach(wrong) }
        try weight.attach(blocks)
        #expect(weight.quantized != nil)
    }

    @Test func smolLM2DecodesFromItsQ4_1AndQ8_0BlocksWithTheBitsOfFloat32() throws {
        try GenerationTestModel.with { lm in
            let matrices = lm.model.parameters.filter { $0.value.shape.count == 2 }
            #expect(matrices.count == 30 * 7 + 1)
            #expect(matrices.allSatisfy { $0.quantized != nil })
            let dense = try LlamaModel(gguf: GGUFFile(path: GenerationTestModel.path))
            #expect(try Self.decodeLogits(lm.model) == Self.decodeLogits(dense))
        }
    }
}
