// One prompt with several answers ranked against each other (0 = best): what preference objectives
// (DPO, RRHF, PRO) train on. A chosen/rejected pair is the two-answer case. Each answer is trained
// as its own sequence, prompt + answer, whose summed token log-probability the objective sees.
import Foundation

public struct PreferenceExample: Sendable, Equatable {
    public var prompt: [Int32]
    public var answers: [[Int32]]
    /// One rank per answer, 0 for the best; equal ranks are ties.
    public var ranks: [Int32]

    public init(prompt: [Int32], answers: [[Int32]], ranks: [Int32]) {
        self.prompt = prompt
        self.answers = answers
        self.ranks = ranks
    }

    /// A preferred and a dispreferred answer to the same prompt.
    public init(prompt: [Int32], chosen: [Int32], rejected: [Int32]) {
        self.init(prompt: prompt, answers: [chosen, rejected], ranks: [0, 1])
    }

    /// The sequences the trainer packs, prompt + answer, with the answer trained.
    var sequences: [TrainingExample] { answers.map { TrainingExample(prompt: prompt, answer: $0) } }

    /// The token count of each sequence.
    public var sequenceLengths: [Int] { answers.map { prompt.count + $0.count } }

    /// Checks the ranks, the answers and every token against the vocabulary.
    func validate(index: Int, vocab: Int, B: Int, T: Int) throws {
        guard !prompt.isEmpty else {
            throw TrainerError.invalidPreference(index: index, reason: "has an empty prompt; the first answer token needs one before it to be scored")
        }
        guard answers.count >= 2 else {
            throw TrainerError.invalidPreference(index: index, reason: "has \(answers.count) answer(s); a preference needs at least two")
        }
        guard ranks.count == answers.count else {
            throw TrainerError.exampleLengthMismatch(index: index, field: "ranks", expected: answers.count, actual: ranks.count)
        }
        guard Set(ranks).count >= 2 else {
            throw TrainerError.invalidPreference(index: index, reason: "ranks all its answers equally; nothing is preferred")
        }
        if let empty = answers.firstIndex(where: \.isEmpty) {
            throw TrainerError.invalidPreference(index: index, reason: "answer \(empty) has no tokens")
        }
        for sequence in sequences { try sequence.validate(index: index, vocab: vocab) }
        if let longest = sequenceLengths.max(), longest > T {
            throw TrainerError.exampleTooLong(index: index, length: longest, sequenceLength: T)
        }
        // The greedy packing of the group alone must fit one micro-batch.
        var row = 0, fill = 0
        for length in sequenceLengths {
            if fill + length > T { row += 1; fill = 0 }
            fill += length
        }
        guard row < B else {
            throw TrainerError.invalidSetting(name: "batch rows", value: "\(B)",
                                              allowed: "at least \(row + 1) to hold preference \(index)'s \(answers.count) answers together")
        }
    }
}
