// One trainer step's arithmetic: accumulating micro-batches equals one large batch, evaluating the
// objective in chunks equals evaluating it at once, and a NaN from a teacher or an objective
// skips the step (reported, weights and optimizer untouched).
import Foundation
import RetortModels
import RetortTensor
import Testing
@testable import RetortDistill

/// An objective that returns a finite loss and a NaN gradient, as a broken plugin might.
struct NaNGradientObjective: TokenObjective {
    let name = "nan-gradient"

    func evaluate(_ batch: TokenBatch, rows: Range<Int>, gradient: UnsafeMutableBufferPointer<Float>) throws -> ObjectiveValue {
        gradient.update(repeating: .nan)
        var weight = 0.0
        for row in rows { weight += Double(batch.lossMask[row]) }
        return ObjectiveValue(lossSum: weight, weightSum: weight)
    }
}

@Suite struct TrainerStepTests {
    static let vocab = 8

    static func configuration(rows: Int, accumulation: Int, steps: Int) -> TrainerConfiguration {
        var configuration = TrainerConfiguration(objectives: [.init(name: "sft", weight: 1)], batchRows: rows, sequenceLength: 6,
                                                 maxSteps: steps, learningRate: .constant(5e-3))
        configuration.gradientAccumulationSteps = accumulation
        configuration.seed = 31
        return configuration
    }

    @Test func twoMicroBatchesOfFourEqualOneBatchOfEight() throws {
        let examples = TrainerFixtures.copyExamples(count: 24, vocab: Self.vocab, seed: 32)  // 6 tokens: one per row
        let config = try TrainerFixtures.config(hidden: 16, layers: 2, vocab: Self.vocab)
        let large = try DistillationTrainer(model: LlamaModel(config: config, seed: 33), examples: examples,
                                            configuration: Self.configuration(rows: 8, accumulation: 1, steps: 4))
        let accumulated = try DistillationTrainer(model: LlamaModel(config: config, seed: 33), examples: examples,
                                                  configuration: Self.configuration(rows: 4, accumulation: 2, steps: 4))
        let largeResults = try large.run(), accumulatedResults = try accumulated.run()
        for (a, b) in zip(largeResults, accumulatedResults) {
            #expect(a.trainedPositions == 24 && b.trainedPositions == 24)
            #expect(abs(a.loss - b.loss) < 1e-5, "step \(a.step): \(a.loss) vs \(b.loss)")
            #expect(abs(a.gradientNorm - b.gradientNorm) < 1e-4 * a.gradientNorm)
        }
        #expect(TrainerFixtures.maxDifference(TrainerFixtures.weights(large.model), TrainerFixtures.weights(accumulated.model)) < 1e-5)
        // and a single micro-batch of four is a different step
        let half = try DistillationTrainer(model: LlamaModel(config: config, seed: 33), examples: examples,
                                           configuration: Self.configuration(rows: 4, accumulation: 1, steps: 1))
        #expect(abs(try half.step().loss - largeResults[0].loss) > 1e-4)
    }

    @Test func chunkedObjectiveGivesTheSameLossAndUpdateAsUnchunked() throws {
        let teacher = try LlamaModel(config: TrainerFixtures.config(hidden: 16, layers: 1, vocab: Self.vocab, initializerRange: 0.4), seed: 41)
        let examples = try TrainerFixtures.copyExamples(count: 8, vocab: Self.vocab, seed: 42).map {
            TrainingExample(tokens: $0.tokens, lossMask: $0.lossMask, teacher: try TrainerFixtures.teacherDistribution(teacher, tokens: $0.tokens))
        }
        let config = try TrainerFixtures.config(hidden: 16, layers: 2, vocab: Self.vocab)
        func run(chunk: Int) throws -> ([StepResult], [[Float]]) {
            var configuration = Self.configuration(rows: 2, accumulation: 1, steps: 3)
            configuration.sequenceLength = 12
            configuration.objectives = [.init(name: "sft", weight: 0.5), .init(name: "reverse-kl", weight: 0.5)]
            configuration.temperature = 2
            configuration.chunkPositions = chunk
            let trainer = try DistillationTrainer(model: LlamaModel(config: config, seed: 43), examples: examples, configuration: configuration)
            return (try trainer.run(), TrainerFixtures.weights(trainer.model))
        }
        let (chunked, chunkedWeights) = try run(chunk: 5)  // 24 positions: chunks of 5, 5, 5, 5, 4
        let (whole, wholeWeights) = try run(chunk: 1000)
        for (a, b) in zip(chunked, whole) {
            #expect(abs(a.loss - b.loss) < 1e-9 * max(1, abs(b.loss)))
            #expect(a.objectiveLosses.keys.sorted() == ["reverse-kl", "sft"])
            for (name, value) in b.objectiveLosses { #expect(abs(a.objectiveLosses[name]! - value) < 1e-9 * max(1, abs(value))) }
        }
        #expect(TrainerFixtures.maxDifference(chunkedWeights, wholeWeights) < 1e-6)
        let initial = TrainerFixtures.weights(try LlamaModel(config: config, seed: 43))
        #expect(TrainerFixtures.maxDifference(chunkedWeights, initial) > 1e-4)
    }

    @Test func nanInATeacherDistributionSkipsTheStepAndLeavesTheWeights() throws {
        var logprobs = [Float](repeating: -log(Float(Self.vocab)), count: 6 * Self.vocab)
        logprobs[3 * Self.vocab + 2] = .nan  // position 3 predicts a trained answer token
        let example = TrainingExample(prompt: [1, 2, 3], answer: [1, 2, 3], teacher: .dense(logprobs: logprobs))
        var configuration = Self.configuration(rows: 1, accumulation: 1, steps: 1)
        configuration.objectives = [.init(name: "forward-kl", weight: 1)]
        let model = try LlamaModel(config: TrainerFixtures.config(hidden: 16, layers: 1, vocab: Self.vocab), seed: 51)
        let before = TrainerFixtures.weights(model)
        let trainer = try DistillationTrainer(model: model, examples: [example], configuration: configuration)
        let result = try trainer.step()
        #expect(result.skipped)
        #expect(result.skipReason?.contains("teacher_logprobs") == true, "reason: \(result.skipReason ?? "none")")
        #expect(TrainerFixtures.weights(model) == before)
        #expect(trainer.optimizer.stepCount == 0)
        #expect(trainer.completedSteps == 1)
    }

    @Test func nanGradientFromAnObjectiveSkipsTheStepAndLeavesTheWeights() throws {
        var registry = ObjectiveRegistry.builtIn
        registry.register(ObjectiveDescriptor(name: "nan-gradient", level: .token, summary: "test") { _ in .token(NaNGradientObjective()) })
        var configuration = Self.configuration(rows: 2, accumulation: 2, steps: 2)
        configuration.objectives = [.init(name: "sft", weight: 1), .init(name: "nan-gradient", weight: 0.1)]
        let model = try LlamaModel(config: TrainerFixtures.config(hidden: 16, layers: 1, vocab: Self.vocab), seed: 52)
        let before = TrainerFixtures.weights(model)
        let trainer = try DistillationTrainer(model: model, examples: TrainerFixtures.copyExamples(count: 8, vocab: Self.vocab, seed: 53),
                                              configuration: configuration, registry: registry)
        let results = try trainer.run()
        #expect(results.map(\.skipped) == [true, true])
        #expect(results[0].gradientNorm.isNaN)
        #expect(results[0].skipReason?.contains("gradient norm") == true)
        #expect(results[0].loss.isFinite)
        #expect(TrainerFixtures.weights(model) == before)
        #expect(trainer.optimizer.stepCount == 0)
    }
}
