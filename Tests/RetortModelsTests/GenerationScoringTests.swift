// Teacher-forced scoring: one forward pass gives, per completion token, the top-k of the same
// log-softmax that cached decoding sees, a rest mass of 1 − Σ exp(top-k), and hidden states at the
// completion's rows; scoring a greedy generation finds each generated token as the argmax.
import Foundation
@testable import RetortModels
import RetortTensor
import Testing

@Suite struct GenerationScoringTests {
    func tinyModel() throws -> LlamaModel {
        let config = try LlamaConfig(hiddenSize: 24, numHiddenLayers: 2, numAttentionHeads: 6, numKeyValueHeads: 2,
                                     intermediateSize: 40, vocabSize: 17, ropeTheta: 500, tieWordEmbeddings: true)
        let model = try LlamaModel(config: config, seed: 5)
        model.isTraining = false
        return model
    }

    @Test func scoresMatchCachedDecodingWithShapesAndRestMass() throws {
        let model = try tinyModel()
        let prompt: [Int32] = [3, 1, 4], completion: [Int32] = [1, 5, 9, 2]
        let scores = try model.scoreCompletion(prompt: prompt, completion: completion, topK: 4, hiddenLayers: [0, 2])
        let d = scores.distributions
        try d.validate()
        #expect(d.tokens == completion)
        #expect(d.topK == 4 && d.ids.count == 16 && d.logprobs.count == 16 && d.restMass.count == 4)
        #expect(scores.hiddenSize == 24)
        #expect(scores.hiddenStates.keys.sorted() == [0, 2])
        #expect(scores.hiddenStates[2]?.count == 4 * 24)

        // Cached decoding of the same sequence gives the reference rows.
        let cache = model.makeCache(capacity: 8)
        let reference = try model.decode(prompt + completion, cache: cache, allLogits: true)
        for i in 0..<completion.count {
            let row = UnsafeBufferPointer(start: reference.data + (prompt.count - 1 + i) * 17, count: 17)
            let expected = LogSoftmaxRow(row).top(4)
            #expect(Array(d.ids[(i * 4)..<(i * 4 + 4)]) == expected.map(\.id), "position \(i)")
            for j in 0..<4 { #expect(abs(d.logprobs[i * 4 + j] - expected[j].logprob) < 1e-4) }
            let kept = (0..<4).reduce(0.0) { $0 + exp(Double(d.logprobs[i * 4 + $1])) }
            #expect(abs(Double(d.restMass[i]) - (1 - kept)) < 1e-5)
            #expect(d.restMass[i] >= 0 && d.restMass[i] <= 1)
            #expect(abs(scores.tokenLogprobs[i] - LogSoftmaxRow(row).logprob(of: completion[i])) < 1e-4,
                    "the completion token's own log-probability")
        }
        // Layer 0 is the embedding: row i is the embedding of completion[i].
        let embeddings = model.embedding.value
        for (i, token) in completion.enumerated() {
            let row = Array(UnsafeBufferPointer(start: embeddings.data + Int(token) * 24, count: 24))
            #expect(Array(scores.hiddenStates[0]![(i * 24)..<(i * 24 + 24)]) == row)
        }
        #expect(model.isTraining == false)
    }

    @Test func theWholeVocabularyLeavesNoRestMass() throws {
        let model = try tinyModel()
        let scores = try model.scoreCompletion(prompt: [1], completion: [2, 3], topK: 17)
        #expect(scores.distributions.restMass.allSatisfy { $0 < 1e-5 })
        #expect(Set(scores.distributions.ids[0..<17]) == Set(0..<17))
    }

    @Test func badScoringRequestsAreNamed() throws {
        let model = try tinyModel()
        #expect(throws: GenerationError.self) { try model.scoreCompletion(prompt: [], completion: [1], topK: 2) }
        #expect(throws: GenerationError.invalidScoring("top-k must be in 1...17, got 0")) {
            try model.scoreCompletion(prompt: [1], completion: [1], topK: 0)
        }
        #expect(throws: GenerationError.invalidScoring("layer 3 does not exist; layers are 0 (embeddings) … 2 (the last layer's output)")) {
            try model.scoreCompletion(prompt: [1], completion: [1], topK: 2, hiddenLayers: [3])
        }
        #expect(throws: GenerationError.invalidScoring("token id 17 is outside the vocabulary of 17")) {
            try model.scoreCompletion(prompt: [1], completion: [17], topK: 2)
        }
        let empty = try model.scoreCompletion(prompt: [1], completion: [], topK: 2, hiddenLayers: [1])
        #expect(empty.distributions.positions == 0 && empty.hiddenStates[1] == [])
    }

    @Test func scoringAGreedyGenerationFindsEachTokenAsTheArgmax() throws {
        try GenerationTestModel.with { lm in
            let prompt = try GenerationTestModel.chatPrompt(lm, "What is the capital of France?")
            let generated = try lm.generate(promptTokens: prompt, options: GenerationOptions(maxTokens: 8, topLogprobs: 3))[0]
            let scores = try lm.score(promptTokens: prompt, completionTokens: generated.tokens, topK: 3,
                                      hiddenLayers: [lm.model.config.numHiddenLayers])
            let d = scores.distributions
            try d.validate()
            #expect(d.positions == generated.tokens.count)
            for i in 0..<d.positions {
                #expect(d.ids[i * 3] == generated.tokens[i], "position \(i)")
                // Generation and scoring report the same numbers (cached vs full attention).
                #expect(abs(d.logprobs[i * 3] - generated.logprobs![i].logprob) < 2e-3)
            }
            #expect(scores.hiddenStates[lm.model.config.numHiddenLayers]?.count == d.positions * lm.model.config.hiddenSize)
            #expect(throws: GenerationError.self) {
                try lm.score(promptTokens: [Int32](repeating: 1, count: lm.contextLength), completionTokens: [1], topK: 1)
            }
        }
    }
}
