// The model's weights survive a safetensors round trip under their Hugging Face names.
import Foundation
import Testing
@testable import RetortModels

@Suite struct ModelSafeTensorsTests {
    @Test func savedWeightsLoadIntoAnotherModelAndGiveTheSameLogits() throws {
        let config = try LlamaConfig(hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2,
                                     intermediateSize: 24, vocabSize: 11, attentionBias: true, initializerRange: 0.3)
        let source = try LlamaModel(config: config, seed: 31)
        let data = try source.weightsWriter().serialized()
        let file = try SafeTensorsFile(data: data, source: "memory")
        #expect(file.tensors.contains { $0.name == "model.layers.1.self_attn.k_proj.bias" })
        #expect(file.tensors.count == source.parameters.count)
        let target = try LlamaModel(config: config, seed: 32)
        try target.loadWeights(from: file)
        let tokens: [Int32] = [1, 2, 3, 4]
        #expect(try target.forward(tokens: tokens, B: 1, T: 4).logits.toArray()
                == source.forward(tokens: tokens, B: 1, T: 4).logits.toArray())
    }

    @Test func weightsOfAnotherShapeAreRejected() throws {
        let small = try LlamaConfig(hiddenSize: 16, numHiddenLayers: 1, numAttentionHeads: 4, intermediateSize: 24, vocabSize: 11)
        var large = small
        large.vocabSize = 12
        let file = try SafeTensorsFile(data: LlamaModel(config: large, seed: 1).weightsWriter().serialized(), source: "memory")
        #expect(throws: ModelError.parameterShapeMismatch(name: "model.embed_tokens.weight", expected: [11, 16], actual: [12, 16])) {
            try LlamaModel(config: small, seed: 2).loadWeights(from: file)
        }
    }
}
