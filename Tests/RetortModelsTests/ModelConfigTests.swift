// Tests of LlamaConfig: decoding Hugging Face config.json, its defaults, and the validation errors.
import Foundation
import Testing
@testable import RetortModels

@Suite struct ModelConfigTests {
    static let qwenJSON = """
        {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 896,
         "num_hidden_layers": 24, "num_attention_heads": 14, "num_key_value_heads": 2,
         "intermediate_size": 4864, "vocab_size": 151936, "rope_theta": 1000000.0,
         "rms_norm_eps": 1e-06, "tie_word_embeddings": true, "max_position_embeddings": 32768,
         "torch_dtype": "bfloat16"}
        """

    @Test func decodesSnakeCaseFieldsOfAQwen2Config() throws {
        let config = try LlamaConfig(configJSON: Data(Self.qwenJSON.utf8))
        #expect(config.hiddenSize == 896)
        #expect(config.numHiddenLayers == 24)
        #expect(config.numKeyValueHeads == 2)
        #expect(config.ropeTheta == 1_000_000)
        #expect(config.tieWordEmbeddings)
        #expect(config.resolvedHeadDim == 64)
        #expect(config.keyValueWidth == 128)
    }

    @Test func qwen2WithoutAttentionBiasFieldHasQKVBiasAndLlamaHasNot() throws {
        #expect(try LlamaConfig(configJSON: Data(Self.qwenJSON.utf8)).attentionBias)
        let llama = Self.qwenJSON.replacingOccurrences(of: "\"qwen2\"", with: "\"llama\"")
        #expect(try LlamaConfig(configJSON: Data(llama.utf8)).attentionBias == false)
    }

    @Test func missingOptionalFieldsTakeTransformersDefaults() throws {
        let json = #"{"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 100}"#
        let config = try LlamaConfig(configJSON: Data(json.utf8))
        #expect(config.numKeyValueHeads == 4)
        #expect(config.ropeTheta == 10_000)
        #expect(config.tieWordEmbeddings == false)
        #expect(config.rotaryDim == 16)
    }

    @Test func headDimAndPartialRotaryFactorSetTheRotaryDims() throws {
        let config = try LlamaConfig(hiddenSize: 64, numHiddenLayers: 1, numAttentionHeads: 4, intermediateSize: 8,
                                     vocabSize: 10, headDim: 24, partialRotaryFactor: 0.5)
        #expect(config.queryWidth == 96)
        #expect(config.rotaryDim == 12)
    }

    @Test func encodingAndDecodingGivesTheSameConfig() throws {
        let config = try LlamaConfig(hiddenSize: 32, numHiddenLayers: 3, numAttentionHeads: 4, numKeyValueHeads: 2,
                                     intermediateSize: 48, vocabSize: 50, attentionBias: true)
        let data = try JSONEncoder().encode(config)
        #expect(String(decoding: data, as: UTF8.self).contains("\"num_key_value_heads\":2"))
        #expect(try LlamaConfig(configJSON: data) == config)
    }

    @Test func headsThatDoNotDivideHiddenSizeAreRejected() {
        #expect(throws: ModelError.invalidConfig(
            field: "num_attention_heads", reason: "(5) must divide hidden_size (64) when head_dim is not given")) {
            try LlamaConfig(hiddenSize: 64, numHiddenLayers: 1, numAttentionHeads: 5, intermediateSize: 8, vocabSize: 10)
        }
    }

    @Test func keyValueHeadsThatDoNotDivideHeadsAreRejected() {
        #expect(throws: ModelError.invalidConfig(
            field: "num_key_value_heads", reason: "(3) must divide num_attention_heads (4)")) {
            try LlamaConfig(hiddenSize: 64, numHiddenLayers: 1, numAttentionHeads: 4, numKeyValueHeads: 3,
                            intermediateSize: 8, vocabSize: 10)
        }
    }

    @Test func missingRequiredFieldIsNamed() {
        let json = #"{"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128}"#
        #expect(throws: ModelError.invalidConfig(field: "vocab_size", reason: "is missing")) {
            try LlamaConfig(configJSON: Data(json.utf8))
        }
    }

    @Test func nonPositiveSizesAndBadJSONAreRejected() {
        #expect(throws: ModelError.invalidConfig(field: "vocab_size", reason: "must be positive, got 0")) {
            try LlamaConfig(hiddenSize: 64, numHiddenLayers: 1, numAttentionHeads: 4, intermediateSize: 8, vocabSize: 0)
        }
        #expect(throws: ModelError.self) { try LlamaConfig(configJSON: Data("{not json".utf8)) }
        #expect(throws: ModelError.self) { try LlamaConfig(configJSON: "/nonexistent/config.json") }
    }
}
