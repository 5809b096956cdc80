// Reward-model training (Bradley–Terry on a scalar head): the first loss is log 2 when the head
// starts near zero, the gradient through head and decoder matches a finite difference, training
// ranks held-out pairs of a synthetic preference it never saw, a resumed run repeats the
// uninterrupted losses bit for bit, and objectives of the wrong kind are refused.
import Foundation
import RetortModels
import RetortTensor
import Testing
@testable import RetortDistill

@Suite struct TrainerRewardModelTests {
    static let vocab = 8

    /// The hidden preference: more 5s are better, 2s are worse.
    static func quality(_ answer: [Int32]) -> Int { answer.filter { $0 == 5 }.count - answer.filter { $0 == 2 }.count }

    /// Pairs of random 4-token answers to random 2-token prompts whose qualities differ.
    static func preferences(count: Int, seed: UInt64) -> [PreferenceExample] {
        var generator = SplitMix64(seed: seed)
        func tokens(_ n: Int) -> [Int32] { (0..<n).map { _ in Int32(generator.next() % UInt64(vocab)) } }
        var result: [PreferenceExample] = []
        while result.count < count {
            let prompt = tokens(2), a = tokens(4), b = tokens(4)
            guard quality(a) != quality(b) else { continue }
            result.append(quality(a) > quality(b) ? PreferenceExample(prompt: prompt, chosen: a, rejected: b)
                                                  : PreferenceExample(prompt: prompt, chosen: b, rejected: a))
        }
        return result
    }

    static func trainer(objectives: [ObjectiveRegistry.MixturePart] = [.init(name: "bradley-terry", weight: 1)], seed: UInt64 = 1,
                        maxSteps: Int, learningRate: Float = 1e-2, preferences: [PreferenceExample] = preferences(count: 24, seed: 3),
                        checkpoints: String? = nil, clipNorm: Float? = 1) throws -> (DistillationTrainer, RewardModel) {
        var configuration = TrainerConfiguration(objectives: objectives, batchRows: 4, sequenceLength: 12, maxSteps: maxSteps,
                                                 learningRate: .constant(learningRate))
        configuration.seed = 5
        configuration.spikeGuard = nil
        configuration.clipNorm = clipNorm
        configuration.checkpointDirectory = checkpoints
        configuration.checkpointInterval = checkpoints == nil ? nil : 3
        let base = try LlamaModel(config: TrainerFixtures.config(hidden: 16, layers: 2, vocab: vocab), seed: seed)
        let reward = try RewardModel(base: base, seed: seed &+ 1)
        return (try DistillationTrainer(rewardModel: reward, preferences: preferences, configuration: configuration), reward)
    }

    static func accuracy(_ reward: RewardModel, on preferences: [PreferenceExample]) throws -> Double {
        let scores = try reward.scores(preferences.flatMap { [$0.prompt + $0.answers[0], $0.prompt + $0.answers[1]] })
        let right = preferences.indices.filter { scores[2 * $0] > scores[2 * $0 + 1] }.count
        return Double(right) / Double(preferences.count)
    }

    @Test func trainingRanksHeldOutPairsOfTheHiddenPreference() throws {
        let (trainer, reward) = try Self.trainer(maxSteps: 120)
        let heldOut = Self.preferences(count: 40, seed: 99)
        let before = try Self.accuracy(reward, on: heldOut)
        let results = try trainer.run()
        #expect(abs(results[0].loss - log(2)) < 0.05, "first loss \(results[0].loss)")
        #expect(results.allSatisfy { !$0.skipped && $0.objectiveLosses.keys.sorted() == ["bradley-terry"] })
        #expect(results.suffix(10).map(\.loss).reduce(0, +) / 10 < 0.3)
        let after = try Self.accuracy(reward, on: heldOut)
        #expect(after >= 0.85, "held-out accuracy \(before) → \(after)")
        #expect(trainer.optimizer.parameters.last?.name == "score.weight")
    }

    @Test func theGradientThroughHeadAndDecoderMatchesAFiniteDifference() throws {
        // One micro-batch of the same four pairs every step, at learning rate 0: each step reads the
        // loss and gradient at the values the test sets (unclipped).
        let (trainer, _) = try Self.trainer(maxSteps: 4, learningRate: 0, preferences: Self.preferences(count: 4, seed: 8), clipNorm: nil)
        _ = try trainer.step()
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
        let plus = try trainer.step().loss
        shift(-2)
        let minus = try trainer.step().loss
        let directional = (plus - minus) / (2 * epsilon)
        #expect(abs(directional - squaredNorm) / squaredNorm < 2e-2, "finite difference \(directional), analytic \(squaredNorm)")
    }

    @Test func aResumedRunRepeatsTheUninterruptedLossesBitForBit() throws {
        let directory = try TrainerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let uninterrupted = try Self.trainer(maxSteps: 8).0.run()
        _ = try Self.trainer(maxSteps: 4, checkpoints: directory).0.run()  // saves at step 3
        let (resumed, _) = try Self.trainer(seed: 77, maxSteps: 8)  // other weights, head included: all come from the checkpoint
        try resumed.resume(from: directory)
        #expect(resumed.completedSteps == 3)
        let rest = try resumed.run()
        #expect(rest.map(\.loss) == uninterrupted.suffix(5).map(\.loss))
    }

    @Test func objectivesOfTheWrongKindAreRefused() throws {
        #expect(throws: TrainerError.self) { try Self.trainer(objectives: [.init(name: "dpo", weight: 1)], maxSteps: 1) }
        #expect(throws: ObjectiveError.self) { try Self.trainer(objectives: [.init(name: "sft", weight: 1)], maxSteps: 1) }
        var configuration = TrainerConfiguration(objectives: [.init(name: "bradley-terry", weight: 1)], batchRows: 4, sequenceLength: 12,
                                                 maxSteps: 1, learningRate: .constant(1e-2))
        configuration.spikeGuard = nil
        let policy = try LlamaModel(config: TrainerFixtures.config(hidden: 16, layers: 2, vocab: Self.vocab), seed: 1)
        #expect(throws: TrainerError.self) {
            try DistillationTrainer(model: policy, preferences: Self.preferences(count: 4, seed: 3), configuration: configuration)
        }
    }
}
