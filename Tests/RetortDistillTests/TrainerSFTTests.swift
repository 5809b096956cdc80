// Supervised fine-tuning through the trainer: a tiny model learns to copy its prompt with packed
// rows and prompt tokens masked out, and tokens with mask 0 do not change the gradient.
import Foundation
import RetortModels
import RetortTensor
import Testing
@testable import RetortDistill

@Suite struct TrainerSFTTests {
    @Test func tinyModelLearnsToCopyItsPromptToNearZeroLoss() throws {
        let model = try LlamaModel(config: TrainerFixtures.config(hidden: 32, layers: 2, heads: 4, vocab: 8), seed: 1)
        let examples = TrainerFixtures.copyExamples(count: 32, vocab: 8, seed: 2)
        var configuration = TrainerConfiguration(objectives: [.init(name: "sft", weight: 1)], batchRows: 4, sequenceLength: 12,
                                                 maxSteps: 250, learningRate: .cosine(peak: 1e-2, warmupSteps: 10, totalSteps: 250))
        configuration.adamW.weightDecay = 0
        configuration.seed = 3
        let trainer = try DistillationTrainer(model: model, examples: examples, configuration: configuration)
        let results = try trainer.run()
        #expect(results.count == 250)
        #expect(results.allSatisfy { !$0.skipped })
        // two 6-token examples per 12-token row, 3 trained answer tokens each
        #expect(results[0].tokens == 48 && results[0].trainedPositions == 24)
        #expect(results[0].loss > 1.5, "initial loss \(results[0].loss) should be near log(8)")
        let last = results.suffix(10).map(\.loss).reduce(0, +) / 10
        #expect(last < 0.05, "mean loss of the last 10 steps is \(last)")
    }

    @Test func tokensWithMaskZeroDoNotChangeTheGradient() throws {
        let config = try TrainerFixtures.config(hidden: 16, layers: 2, vocab: 8)
        // trailing tokens after the answer are masked: their values must not matter
        func example(trailing: [Int32]) -> TrainingExample {
            TrainingExample(tokens: [1, 2, 3, 1, 2, 3] + trailing, lossMask: [0, 0, 0, 1, 1, 1, 0, 0])
        }
        let first = try TrainerFixtures.gradients(model: LlamaModel(config: config, seed: 7),
                                                  examples: [example(trailing: [4, 5])], rows: 1, length: 8)
        let second = try TrainerFixtures.gradients(model: LlamaModel(config: config, seed: 7),
                                                   examples: [example(trailing: [7, 0])], rows: 1, length: 8)
        #expect(first.result.trainedPositions == 3)  // 2→3, 3→4, 4→5; 5→6 predicts a masked token
        #expect(first.result.loss == second.result.loss)
        #expect(TrainerFixtures.maxDifference(first.gradients, second.gradients) == 0)
        // and the mask does matter: training on the trailing tokens changes the gradient
        let unmasked = try TrainerFixtures.gradients(
            model: LlamaModel(config: config, seed: 7),
            examples: [TrainingExample(tokens: [1, 2, 3, 1, 2, 3, 4, 5], lossMask: [0, 0, 0, 1, 1, 1, 1, 1])], rows: 1, length: 8)
        #expect(TrainerFixtures.maxDifference(first.gradients, unmasked.gradients) > 1e-4)
    }
}
