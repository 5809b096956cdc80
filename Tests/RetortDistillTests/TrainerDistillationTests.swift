// Distillation through the trainer: a small student trained with reverse KL on a larger teacher's
// distributions (dense, or only its top 4) gets at least twice as close to the teacher on inputs it never saw.
import Foundation
import RetortModels
import RetortTensor
import Testing
@testable import RetortDistill

@Suite struct TrainerDistillationTests {
    static let vocab = 16

    /// A randomly initialized 2-layer, 32-wide teacher whose LM head is scaled up so that its
    /// distributions are sharp (a few likely tokens per position).
    static func teacher() throws -> LlamaModel {
        let teacher = try LlamaModel(config: TrainerFixtures.config(hidden: 32, layers: 2, heads: 4, vocab: vocab), seed: 11)
        let head = try teacher.parameter(named: "lm_head.weight").value
        for i in 0..<head.count { head[i] *= 8 }
        return teacher
    }

    /// Trains a 1-layer, 16-wide student on the teacher's distributions over random sequences;
    /// returns the held-out reverse KL before and after.
    static func distill(topK: Int?, steps: Int) throws -> (before: Double, after: Double, results: [StepResult]) {
        let teacher = try teacher()
        let student = try LlamaModel(config: TrainerFixtures.config(hidden: 16, layers: 1, vocab: vocab), seed: 12)
        let training = TrainerFixtures.randomTokens(count: 256, length: 8, vocab: vocab, seed: 13)
        let heldOut = TrainerFixtures.randomTokens(count: 16, length: 8, vocab: vocab, seed: 14)
        let examples = try training.map { tokens in
            TrainingExample(tokens: tokens, lossMask: [Float](repeating: 1, count: tokens.count),
                            teacher: try TrainerFixtures.teacherDistribution(teacher, tokens: tokens, topK: topK))
        }
        var configuration = TrainerConfiguration(objectives: [.init(name: "reverse-kl", weight: 1)], batchRows: 4, sequenceLength: 16,
                                                 maxSteps: steps, learningRate: .cosine(peak: 2e-2, warmupSteps: 5, totalSteps: steps))
        configuration.adamW.weightDecay = 0
        configuration.seed = 15
        let before = try TrainerFixtures.reverseKL(student: student, teacher: teacher, on: heldOut)
        let trainer = try DistillationTrainer(model: student, examples: examples, configuration: configuration)
        let results = try trainer.run()
        let after = try TrainerFixtures.reverseKL(student: student, teacher: teacher, on: heldOut)
        return (before, after, results)
    }

    @Test func reverseKLOnDenseTeacherHalvesHeldOutKL() throws {
        let (before, after, results) = try Self.distill(topK: nil, steps: 150)
        #expect(results.allSatisfy { !$0.skipped })
        #expect(before > 0.5, "the untrained student should be far from the sharp teacher (KL \(before))")
        #expect(after < 0.5 * before, "held-out KL went from \(before) to \(after)")
        #expect(results.suffix(10).map(\.loss).reduce(0, +) / 10 < results[0].loss * 0.5)
    }

    @Test func reverseKLOnTopFourTeacherAlsoHalvesHeldOutKL() throws {
        let (before, after, results) = try Self.distill(topK: 4, steps: 150)
        #expect(results.allSatisfy { !$0.skipped })
        #expect(after < 0.5 * before, "held-out KL went from \(before) to \(after)")
    }
}
