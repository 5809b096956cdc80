// Checkpoints of the trainer: a fresh trainer resumed from step N takes steps N+1… with the very
// losses of the uninterrupted run, and refuses a checkpoint made for another training set.
import Foundation
import RetortModels
import RetortTensor
import Testing
@testable import RetortDistill

@Suite struct TrainerResumeTests {
    static let vocab = 8

    /// Copy examples of two lengths so rows pack unevenly and epochs end mid-batch.
    static func examples(count: Int = 11) -> [TrainingExample] {
        TrainerFixtures.copyExamples(count: count, vocab: vocab, seed: 21).enumerated().map { index, example in
            index % 3 == 0 ? TrainingExample(prompt: Array(example.tokens.prefix(2)), answer: Array(example.tokens.prefix(2))) : example
        }
    }

    static func trainer(seed: UInt64, maxSteps: Int, checkpoints: String? = nil, examples: [TrainingExample] = examples(),
                        loraDropout: Float? = nil) throws -> DistillationTrainer {
        var configuration = TrainerConfiguration(objectives: [.init(name: "sft", weight: 1)], batchRows: 2, sequenceLength: 12,
                                                 maxSteps: maxSteps, learningRate: .cosine(peak: 1e-2, warmupSteps: 2, totalSteps: 10))
        configuration.seed = 22
        configuration.clipNorm = 0.5
        configuration.checkpointDirectory = checkpoints
        configuration.checkpointInterval = checkpoints == nil ? nil : 4
        let model = try LlamaModel(config: TrainerFixtures.config(hidden: 16, layers: 2, vocab: vocab), seed: seed)
        if let loraDropout {
            // The adapters' seed is fixed: only their trained values and dropout stream come from the checkpoint.
            try model.addLoRA(rank: 2, alpha: 4, dropout: loraDropout, projections: [.q, .v, .down], seed: 5)
        }
        return try DistillationTrainer(model: model, examples: examples, configuration: configuration)
    }

    @Test func resumedRunReproducesTheUninterruptedLossesBitForBit() throws {
        let directory = try TrainerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let uninterrupted = try Self.trainer(seed: 1, maxSteps: 10).run()

        let interrupted = try Self.trainer(seed: 1, maxSteps: 6, checkpoints: directory)
        let early = try interrupted.run()  // saves at step 4, then runs on to 6
        #expect(early.map(\.loss) == Array(uninterrupted.prefix(6)).map(\.loss))
        #expect(try CheckpointStore.latest(in: directory)?.hasSuffix("step-00000004") == true)

        let resumed = try Self.trainer(seed: 99, maxSteps: 10)  // other initial weights: the checkpoint must replace them
        try resumed.resume(from: directory)
        #expect(resumed.completedSteps == 4)
        let rest = try resumed.run()
        #expect(rest.map(\.step) == Array(5...10))
        #expect(rest.map(\.loss) == uninterrupted.suffix(6).map(\.loss))
        #expect(rest.map(\.gradientNorm) == uninterrupted.suffix(6).map(\.gradientNorm))
    }

    @Test func resumedLoRARunWithDropoutReproducesTheLossesBitForBit() throws {
        let directory = try TrainerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let uninterrupted = try Self.trainer(seed: 1, maxSteps: 10, loraDropout: 0.3).run()
        _ = try Self.trainer(seed: 1, maxSteps: 5, checkpoints: directory, loraDropout: 0.3).run()
        let resumed = try Self.trainer(seed: 1, maxSteps: 10, loraDropout: 0.3)
        // Advance the fresh model's dropout streams, so only a restored state can match.
        _ = try resumed.model.forward(tokens: [1, 2, 3], B: 1, T: 3)
        try resumed.resume(from: directory)
        #expect(try resumed.run().map(\.loss) == uninterrupted.suffix(6).map(\.loss))
    }

    @Test func resumeRefusesACheckpointOfAnotherTrainingSet() throws {
        let directory = try TrainerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.trainer(seed: 1, maxSteps: 4, checkpoints: directory).run()
        let other = try Self.trainer(seed: 1, maxSteps: 10, examples: Self.examples(count: 5))
        #expect(throws: TrainerError.self) { try other.resume(from: directory) }
        let empty = try TrainerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: TrainerError.checkpointState(path: empty, field: "latest", reason: "is missing: no checkpoint was saved there")) {
            try other.resume(from: empty)
        }
    }
}
