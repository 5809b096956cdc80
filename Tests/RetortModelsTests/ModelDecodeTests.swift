// KV-cache inference: decoding a prompt in pieces and then token by token gives the logits of a
// full forward pass; the cache refuses to overflow; SmolLM2 answers a real question greedily.
import Foundation
@testable import RetortModels
import Testing

@Suite struct ModelDecodeTests {
    func tinyModel() throws -> LlamaModel {
        let config = try LlamaConfig(hiddenSize: 24, numHiddenLayers: 2, numAttentionHeads: 6, numKeyValueHeads: 2,
                                     intermediateSize: 40, vocabSize: 17, ropeTheta: 500, tieWordEmbeddings: true)
        let model = try LlamaModel(config: config, seed: 3)
        model.isTraining = false
        return model
    }

    @Test func cachedDecodingEqualsAFullForwardPass() throws {
        let model = try tinyModel()
        let tokens: [Int32] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
        let full = try model.forward(tokens: tokens, B: 1, T: tokens.count).logits.toArray()
        let cache = model.makeCache(capacity: 16)
        var incremental = try model.decode(Array(tokens[0..<4]), cache: cache, allLogits: true).toArray()
        for token in tokens[4...] { incremental += try model.decode([token], cache: cache).toArray() }
        #expect(cache.length == tokens.count)
        #expect(incremental.count == full.count)
        let worst = zip(incremental, full).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4, "worst difference \(worst)")
    }

    @Test func cacheOverflowIsAnError() throws {
        let model = try tinyModel()
        let cache = model.makeCache(capacity: 3)
        _ = try model.decode([1, 2], cache: cache)
        #expect(throws: ModelError.self) { try model.decode([3, 4], cache: cache) }
        cache.reset()
        #expect(try model.decode([3, 4, 5], cache: cache).shape == [1, 17])
    }

    @Test(.enabled(if: GGUFTestModel.path != nil, GGUFTestModel.missingComment))
    func smolLM2AnswersTheCapitalOfFranceGreedily() throws {
        let file = try GGUFFile(path: try #require(GGUFTestModel.path))
        let info = try GGUFModelInfo(file)
        let tokenizer = try BPETokenizer(gguf: info.tokenizer)
        let model = try LlamaModel(gguf: file)
        let prompt = tokenizer.encode("<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n")
        let stop = Set([Int32(info.tokenizer.eosTokenID ?? 2), tokenizer.id(of: "<|im_end|>")].compactMap { $0 })
        let answer = try tokenizer.decode(try model.generateGreedy(prompt: prompt, maxTokens: 12, stopTokens: stop))
        #expect(answer.contains("Paris"), "answer: \(answer)")
    }
}
