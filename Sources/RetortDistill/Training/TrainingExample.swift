// One training sequence as the trainer sees it: token ids, a loss mask per token (1 on the
// assistant's tokens, 0 on the prompt), and optionally the teacher's next-token distribution at
// every position, dense or sparse top-k.
import Foundation

/// The teacher's distribution over the token that follows each position of an example.
public enum TeacherDistribution: Sendable, Equatable {
    /// Log-probabilities [positions][vocab]; row t is the teacher's distribution for token t + 1.
    case dense(logprobs: [Float])
    /// Top-k ids and log-probabilities [positions][k]; the rest of the mass is spread over the other ids.
    case sparse(ids: [Int32], logprobs: [Float], k: Int)

    /// The number of values per position in `ids`/`logprobs` (vocab for dense).
    func valuesPerPosition(vocab: Int) -> Int {
        switch self {
        case .dense: vocab
        case .sparse(_, _, let k): k
        }
    }
}

public struct TrainingExample: Sendable, Equatable {
    public var tokens: [Int32]
    /// Weight of each token as a target: lossMask[t] says whether predicting tokens[t] (from
    /// tokens[..<t]) is trained. Prompt tokens get 0, assistant tokens 1; lossMask[0] is unused.
    public var lossMask: [Float]
    /// The teacher's distribution at every position (tokens.count rows), or nil for plain SFT.
    public var teacher: TeacherDistribution?

    public init(tokens: [Int32], lossMask: [Float], teacher: TeacherDistribution? = nil) {
        self.tokens = tokens
        self.lossMask = lossMask
        self.teacher = teacher
    }

    /// A prompt (not trained) followed by an answer (trained).
    public init(prompt: [Int32], answer: [Int32], teacher: TeacherDistribution? = nil) {
        tokens = prompt + answer
        lossMask = [Float](repeating: 0, count: prompt.count) + [Float](repeating: 1, count: answer.count)
        self.teacher = teacher
    }

    /// Checks the lengths of the mask and the teacher rows against the tokens and the vocabulary.
    func validate(index: Int, vocab: Int) throws {
        guard !tokens.isEmpty else { throw TrainerError.emptyExample(index: index) }
        guard lossMask.count == tokens.count else {
            throw TrainerError.exampleLengthMismatch(index: index, field: "lossMask", expected: tokens.count, actual: lossMask.count)
        }
        if let bad = tokens.firstIndex(where: { $0 < 0 || Int($0) >= vocab }) {
            throw TrainerError.tokenOutOfRange(index: index, position: bad, id: Int(tokens[bad]), vocab: vocab)
        }
        switch teacher {
        case .dense(let logprobs):
            if logprobs.count != tokens.count * vocab {
                throw TrainerError.exampleLengthMismatch(index: index, field: "teacher logprobs",
                                                         expected: tokens.count * vocab, actual: logprobs.count)
            }
        case .sparse(let ids, let logprobs, let k):
            if ids.count != tokens.count * k || logprobs.count != tokens.count * k {
                throw TrainerError.exampleLengthMismatch(index: index, field: "teacher top-k",
                                                         expected: tokens.count * k, actual: min(ids.count, logprobs.count))
            }
        case nil:
            break
        }
    }
}
