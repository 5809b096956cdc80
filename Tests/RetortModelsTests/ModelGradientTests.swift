// Finite-difference checks of the whole decoder's backward (every parameter kind, packed and
// padded rows), through ModelGradientChecks.
import Testing
@testable import RetortModels

@Suite struct ModelGradientTests {
    @Test(arguments: ModelGradientChecks.all.map(\.name))
    func wholeModelGradientMatchesFiniteDifferences(name: String) throws {
        let item = try #require(ModelGradientChecks.all.first { $0.name == name })
        let error = try item.run()
        #expect(error < item.tolerance, "\(name): worst relative error \(error)")
    }

    @Test func checkSamplesEveryParameterKind() throws {
        let result = try ModelGradientChecks.wholeModel(.init(tied: false, attentionBias: true), samples: 1)
        // embedding, per layer 2 norms + 7 projections + 3 biases (x2 layers), final norm, head
        #expect(result.checked == 1 + 2 * 12 + 2)
    }

    @Test func wrongGradientFailsTheCheck() throws {
        let result = try ModelGradientChecks.wholeModel(.init(attentionBias: true, corruptGradients: 1.3))
        #expect(result.worstRelativeError > 0.1)
        let reward = try ModelGradientChecks.wholeModel(.init(rewardHead: true, corruptGradients: 1.3))
        #expect(reward.worstRelativeError > 0.1)
    }

    @Test func aRewardModelChecksItsHeadAndSkipsTheLogits() throws {
        let result = try ModelGradientChecks.wholeModel(.init(rewardHead: true), samples: 1)
        // embedding, per layer 2 norms + 7 projections (x2 layers), final norm, LM head, score head
        #expect(result.checked == 1 + 2 * 9 + 3)
        let config = try LlamaConfig(hiddenSize: 8, numHiddenLayers: 1, numAttentionHeads: 2, numKeyValueHeads: 1,
                                     intermediateSize: 12, vocabSize: 5)
        let model = try LlamaModel(config: config, seed: 1)
        let output = try model.forward(tokens: [1, 2, 3], B: 1, T: 3, computeLogits: false)
        #expect(throws: ModelError.self) { try model.backward(dlogits: output.logits) }
        let head = try RewardHead(width: 8, seed: 2)
        #expect(throws: ModelError.self) { try head.scores(finalNormed: output.finalNormed, rows: [3]) }
        #expect(throws: ModelError.self) { try head.backward(finalNormed: output.finalNormed, rows: [2], dscores: []) }
        let reward = try RewardModel(base: model, seed: 3)
        #expect(throws: ModelError.self) { try reward.scores([[1, 9]]) }
        #expect(throws: ModelError.self) { try reward.scores([[]]) }
        // A sequence's score does not depend on what shares its batch or how long the others are.
        let alone = try reward.scores([[1, 2, 3]])
        let together = try reward.scores([[4], [1, 2, 3], [0, 1, 2, 3, 4]], rowsPerBatch: 2)
        #expect(abs(alone[0] - together[1]) < 1e-5)
    }
}
