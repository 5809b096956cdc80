// Shared fixtures of the trainer tests (named *Tests so the Trainer filter builds them together):
// tiny model configs, a prompt→copy SFT task, teacher distributions from a teacher's forward,
// held-out KL, and a gradient snapshot taken through the trainer.
import Foundation
import RetortModels
import RetortTensor
@testable import RetortDistill

enum TrainerFixtures {
    static func config(hidden: Int, layers: Int, heads: Int = 2, vocab: Int, initializerRange: Float = 0.1) throws -> LlamaConfig {
        try LlamaConfig(hiddenSize: hidden, numHiddenLayers: layers, numAttentionHeads: heads, intermediateSize: 2 * hidden,
                        vocabSize: vocab, initializerRange: initializerRange)
    }

    /// Prompt: 3 random tokens; answer: the same 3 tokens (trained). 6 tokens per example.
    static func copyExamples(count: Int, vocab: Int, seed: UInt64) -> [TrainingExample] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let prompt = (0..<3).map { _ in Int32(generator.next() % UInt64(vocab)) }
            return TrainingExample(prompt: prompt, answer: prompt)
        }
    }

    static func randomTokens(count: Int, length: Int, vocab: Int, seed: UInt64) -> [[Int32]] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in (0..<length).map { _ in Int32(generator.next() % UInt64(vocab)) } }
    }

    /// The teacher's next-token distribution at every position of `tokens`, from its forward.
    static func teacherDistribution(_ teacher: LlamaModel, tokens: [Int32], topK: Int? = nil) throws -> TeacherDistribution {
        let output = try teacher.forward(tokens: tokens, B: 1, T: tokens.count)
        return try TeacherDistribution(logits: output.logits.toArray(), positions: tokens.count,
                                       vocab: teacher.config.vocabSize, topK: topK)
    }

    /// Mean over positions of KL(p_student ‖ p_teacher), each sequence run alone through both models.
    static func reverseKL(student: LlamaModel, teacher: LlamaModel, on sequences: [[Int32]]) throws -> Double {
        let V = student.config.vocabSize
        var total = 0.0, positions = 0
        for tokens in sequences {
            guard case .dense(let logT) = try teacherDistribution(teacher, tokens: tokens),
                  case .dense(let logS) = try teacherDistribution(student, tokens: tokens) else { fatalError("dense expected") }
            for row in 0..<tokens.count {
                for j in 0..<V {
                    let s = Double(logS[row * V + j]), t = Double(logT[row * V + j])
                    total += exp(s) * (s - t)
                }
                positions += 1
            }
        }
        return total / Double(positions)
    }

    /// One step at learning rate 0 without clipping or decay: the loss and every parameter's gradient.
    static func gradients(model: LlamaModel, examples: [TrainingExample], rows: Int, length: Int,
                          objectives: [ObjectiveRegistry.MixturePart] = [.init(name: "sft", weight: 1)])
        throws -> (result: StepResult, gradients: [[Float]]) {
        var configuration = TrainerConfiguration(objectives: objectives, batchRows: rows, sequenceLength: length,
                                                 maxSteps: 1, learningRate: .constant(0))
        configuration.shuffles = false
        configuration.clipNorm = nil
        configuration.adamW.weightDecay = 0
        let trainer = try DistillationTrainer(model: model, examples: examples, configuration: configuration)
        let result = try trainer.step()
        return (result, trainer.optimizer.parameters.map { $0.gradient.toArray() })
    }

    static func weights(_ model: LlamaModel) -> [[Float]] { model.trainableParameters.map { $0.value.toArray() } }

    static func maxDifference(_ a: [[Float]], _ b: [[Float]]) -> Double {
        zip(a, b).map { x, y in zip(x, y).map { abs(Double($0) - Double($1)) }.max() ?? 0 }.max() ?? 0
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "retort-trainer-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
