// Policy-gradient training on the policy's own samples: the first loss is the REINFORCE value
// computed independently from the answers' log-probabilities, the gradient (KL penalty and PPO
// clipping included) matches a finite difference, sampling and training raise the reward of a
// synthetic task, a resumed run repeats
// the uninterrupted losses bit for bit, and misuse is refused with the reason.
import Foundation
import RetortModels
import RetortTensor
import Testing
@testable import RetortDistill

@Suite struct TrainerPolicyGradientTests {
    static let vocab = 8, answerLength = 4

    static func model(seed: UInt64 = 1) throws -> LlamaModel {
        try LlamaModel(config: TrainerFixtures.config(hidden: 16, layers: 2, vocab: vocab, initializerRange: 0.3), seed: seed)
    }

    /// The task: the reward is the share of 5s in the answer.
    static func reward(_ answer: [Int32]) -> Float { Float(answer.filter { $0 == 5 }.count) / Float(answer.count) }

    /// Ancestral sampling at temperature 1, one full forward per token (the model is tiny).
    static func sample(_ model: LlamaModel, prompt: [Int32], generator: inout SplitMix64) throws -> [Int32] {
        var tokens = prompt
        for _ in 0..<answerLength {
            let logits = try model.forward(tokens: tokens, B: 1, T: tokens.count).logits.toArray().suffix(vocab).map(Double.init)
            let maximum = logits.max()!
            let weights = logits.map { exp($0 - maximum) }
            var u = Double(generator.nextUnitFloat()) * weights.reduce(0, +)
            var choice = vocab - 1
            for (id, w) in weights.enumerated() {
                u -= w
                if u < 0 { choice = id; break }
            }
            tokens.append(Int32(choice))
        }
        return Array(tokens.dropFirst(prompt.count))
    }

    /// 4 prompts × 4 samples, seeded by the step.
    static func rollouts(_ model: LlamaModel, step: Int) throws -> [Rollout] {
        var generator = SplitMix64(seed: 1000 + UInt64(step))
        var result: [Rollout] = []
        for group in 0..<4 {
            let prompt: [Int32] = [1, Int32(group + 2)]
            for _ in 0..<4 {
                let answer = try sample(model, prompt: prompt, generator: &generator)
                result.append(Rollout(prompt: prompt, answer: answer, group: group, reward: reward(answer)))
            }
        }
        return result
    }

    static func configuration(_ objective: ObjectiveRegistry.MixturePart, learningRate: Float = 3e-2, steps: Int = 40,
                              clipNorm: Float? = 1, checkpoints: String? = nil, batchRows: Int = 4) -> TrainerConfiguration {
        var configuration = TrainerConfiguration(objectives: [objective], batchRows: batchRows, sequenceLength: 24, maxSteps: steps,
                                                 learningRate: .constant(learningRate))
        configuration.clipNorm = clipNorm
        configuration.adamW.weightDecay = 0
        configuration.checkpointDirectory = checkpoints
        configuration.checkpointInterval = checkpoints == nil ? nil : 3
        return configuration
    }

    static let pg = ObjectiveRegistry.MixturePart(name: "policy-gradient", weight: 1, parameters: ["kl_coef": 0.05])

    @Test func theFirstLossIsReinforceWithTheGroupMeanBaseline() throws {
        let policy = try Self.model()
        let trainer = try DistillationTrainer(policy: policy, reference: nil,
                                              configuration: Self.configuration(.init(name: "policy-gradient", weight: 1, parameters: ["kl_coef": 0]),
                                                                                batchRows: 2))  // two micro-batches of two groups
        let rollouts = try Self.rollouts(policy, step: 0)
        let logps = try trainer.policyLogps(rollouts)
        var expected = 0.0
        for (index, rollout) in rollouts.enumerated() {
            let group = rollouts.filter { $0.group == rollout.group }
            let baseline = group.map { Double($0.reward) }.reduce(0, +) / Double(group.count)
            expected -= (Double(rollout.reward) - baseline) * Double(logps[index])
        }
        expected /= Double(rollouts.count)
        let result = try trainer.step(rollouts: rollouts)
        #expect(abs(result.loss - expected) < 1e-6, "loss \(result.loss), expected \(expected)")
        #expect(result.tokens == rollouts.count * (2 + Self.answerLength))
    }

    @Test func theGradientWithKLPenaltyAndClippingMatchesAFiniteDifference() throws {
        let policy = try Self.model(), reference = try Self.model(seed: 9)
        let objective = ObjectiveRegistry.MixturePart(name: "policy-gradient", weight: 1, parameters: ["kl_coef": 0.3, "clip_epsilon": 0.2])
        let trainer = try DistillationTrainer(policy: policy, reference: reference,
                                              configuration: Self.configuration(objective, learningRate: 0, clipNorm: nil, batchRows: 2))
        var rollouts = try Self.rollouts(policy, step: 1)
        // Sampling log-probabilities a little off the current ones: some ratios inside the clip
        // range, some outside (whose surrogate term is flat).
        let logps = try trainer.policyLogps(rollouts)
        for index in rollouts.indices { rollouts[index].samplingLogp = logps[index] + (index % 3 == 0 ? 0.5 : 0.05) }
        _ = try trainer.step(rollouts: rollouts)
        let parameters = trainer.optimizer.parameters
        let gradient = parameters.map { $0.gradient.toArray() }
        let squaredNorm = gradient.flatMap { $0 }.map { Double($0) * Double($0) }.reduce(0, +)
        #expect(squaredNorm > 0)
        let epsilon = 1e-3 / squaredNorm.squareRoot()
        func shift(_ sign: Double) {
            for (parameter, g) in zip(parameters, gradient) {
                for i in g.indices { parameter.value.data[i] += Float(sign * epsilon) * g[i] }
            }
        }
        shift(1)
        let plus = try trainer.step(rollouts: rollouts).loss
        shift(-2)
        let minus = try trainer.step(rollouts: rollouts).loss
        let directional = (plus - minus) / (2 * epsilon)
        #expect(abs(directional - squaredNorm) / squaredNorm < 2e-2, "finite difference \(directional), analytic \(squaredNorm)")
    }

    @Test func samplingAndTrainingRaiseTheReward() throws {
        let policy = try Self.model(), reference = try Self.model()
        let trainer = try DistillationTrainer(policy: policy, reference: reference, configuration: Self.configuration(Self.pg))
        var meanRewards: [Double] = []
        for step in 0..<40 {
            let rollouts = try Self.rollouts(policy, step: step)
            meanRewards.append(rollouts.map { Double($0.reward) }.reduce(0, +) / Double(rollouts.count))
            let result = try trainer.step(rollouts: rollouts)
            #expect(!result.skipped, "\(result.skipReason ?? "")")
        }
        let before = meanRewards.prefix(5).reduce(0, +) / 5, after = meanRewards.suffix(5).reduce(0, +) / 5
        #expect(after > before + 0.3, "mean reward \(before) → \(after)")
    }

    @Test func aResumedRunRepeatsTheUninterruptedLossesBitForBit() throws {
        let directory = try TrainerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func run(steps: Range<Int>, seed: UInt64, checkpoints: String?, resume: Bool) throws -> [Double] {
            let policy = try Self.model(seed: seed)
            let trainer = try DistillationTrainer(policy: policy, reference: try Self.model(),
                                                  configuration: Self.configuration(Self.pg, checkpoints: checkpoints))
            if resume { try trainer.resume(from: directory) }
            #expect(trainer.completedSteps == steps.lowerBound)
            return try steps.map { try trainer.step(rollouts: try Self.rollouts(policy, step: $0)).loss }
        }
        let uninterrupted = try run(steps: 0..<6, seed: 1, checkpoints: nil, resume: false)
        _ = try run(steps: 0..<4, seed: 1, checkpoints: directory, resume: false)  // saves at step 3
        let rest = try run(steps: 3..<6, seed: 42, checkpoints: nil, resume: true)
        #expect(rest == Array(uninterrupted.suffix(3)))
    }

    @Test func misuseIsRefusedWithTheReason() throws {
        let policy = try Self.model()
        let trainer = try DistillationTrainer(policy: policy, reference: try Self.model(), configuration: Self.configuration(Self.pg))
        #expect(throws: TrainerError.self) { try trainer.step() }
        let oneGroup = (0..<8).map { _ in Rollout(prompt: [1, 2, 3, 4, 5, 6, 7], answer: [1, 2, 3, 4, 5, 6, 7, 1], group: 0, reward: 1) }
        #expect(throws: TrainerError.self) { try trainer.step(rollouts: oneGroup) }  // 8 × 15 tokens cannot fit 4 rows of 24
        #expect(throws: TrainerError.self) { try trainer.step(rollouts: [Rollout(prompt: [1], answer: [2], group: 0, reward: .nan)]) }
        #expect(throws: TrainerError.self) { try trainer.step(rollouts: [Rollout(prompt: [1], answer: [9], group: 0, reward: 1)]) }
        #expect(throws: TrainerError.self) { try trainer.step(rollouts: []) }
        #expect(trainer.completedSteps == 0)
        #expect(throws: TrainerError.self) { try DistillationTrainer(policy: policy, reference: policy, configuration: Self.configuration(Self.pg)) }
        #expect(throws: TrainerError.self) {
            try DistillationTrainer(policy: policy, reference: nil, configuration: Self.configuration(.init(name: "bradley-terry", weight: 1)))
        }
        // A KL penalty needs the reference's log-probabilities.
        let noReference = try DistillationTrainer(policy: policy, reference: nil, configuration: Self.configuration(Self.pg))
        #expect(throws: ObjectiveError.self) { try noReference.step(rollouts: [Rollout(prompt: [1], answer: [2], group: 0, reward: 1)]) }
        // A trainer of examples takes no rollouts.
        var sft = TrainerConfiguration(objectives: [.init(name: "sft", weight: 1)], batchRows: 2, sequenceLength: 8, maxSteps: 1,
                                       learningRate: .constant(1e-2))
        sft.spikeGuard = nil
        let examples = try DistillationTrainer(model: policy, examples: TrainerFixtures.copyExamples(count: 2, vocab: Self.vocab, seed: 1),
                                               configuration: sft)
        #expect(throws: TrainerError.self) { try examples.step(rollouts: [Rollout(prompt: [1], answer: [2], group: 0, reward: 1)]) }
    }
}
