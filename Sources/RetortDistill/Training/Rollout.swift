// One sampled answer of the policy being trained, with the reward something gave it: what a
// policy-gradient step trains on (REINFORCE with a group baseline, or PPO's clipped surrogate).
import Foundation

public struct Rollout: Sendable, Equatable {
    public var prompt: [Int32]
    public var answer: [Int32]
    /// Answers to the same prompt share a group: the group's mean reward is their baseline.
    public var group: Int
    public var reward: Float
    /// log π_old(answer) under the weights that sampled it, for PPO's ratio clipping; nil: plain
    /// REINFORCE (the sample is on-policy for this step).
    public var samplingLogp: Float?

    public init(prompt: [Int32], answer: [Int32], group: Int, reward: Float, samplingLogp: Float? = nil) {
        self.prompt = prompt
        self.answer = answer
        self.group = group
        self.reward = reward
        self.samplingLogp = samplingLogp
    }

    var sequence: TrainingExample { TrainingExample(prompt: prompt, answer: answer) }

    /// Checks the tokens, the reward and that the sequence fits a row.
    func validate(index: Int, vocab: Int, T: Int) throws {
        guard !prompt.isEmpty else {
            throw TrainerError.invalidSetting(name: "rollout \(index) prompt", value: "empty", allowed: "at least one token before the answer")
        }
        guard !answer.isEmpty else { throw TrainerError.emptyExample(index: index) }
        guard reward.isFinite else {
            throw TrainerError.invalidSetting(name: "rollout \(index) reward", value: "\(reward)", allowed: "finite")
        }
        if let samplingLogp, !(samplingLogp.isFinite && samplingLogp <= 0) {
            throw TrainerError.invalidSetting(name: "rollout \(index) sampling log-probability", value: "\(samplingLogp)",
                                              allowed: "finite and <= 0, or nil")
        }
        try sequence.validate(index: index, vocab: vocab)
        if prompt.count + answer.count > T {
            throw TrainerError.exampleTooLong(index: index, length: prompt.count + answer.count, sequenceLength: T)
        }
    }
}
