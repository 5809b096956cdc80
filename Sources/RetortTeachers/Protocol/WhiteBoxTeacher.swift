// A teacher whose internals are open: given a conversation and a completion, it returns its own
// next-token distributions on every completion token (teacher forcing) and, on request, hidden
// states. The local backend is one; API teachers give only top-k log-probabilities of their own
// samples.
import RetortModels

public struct TeacherScoring: Sendable {
    /// Completion tokens (the model's tokenizer) and the teacher's distribution at each.
    public var distributions: SparseDistributions
    /// Hidden states per requested layer, each completion-positions × hidden-size, row-major.
    public var hiddenStates: [Int: [Float]]
    public var hiddenSize: Int

    public init(distributions: SparseDistributions, hiddenStates: [Int: [Float]] = [:], hiddenSize: Int) {
        self.distributions = distributions
        self.hiddenStates = hiddenStates
        self.hiddenSize = hiddenSize
    }
}

public protocol WhiteBoxTeacher: Teacher {
    /// Scores `completion` as the assistant's answer to `messages` (rendered with the model's chat
    /// template): top-`topK` distributions per completion token, and hidden states of `layers`
    /// (0 = embeddings, L = last layer's output).
    func score(messages: [ChatMessage], completion: String, topK: Int, layers: [Int]) async throws -> TeacherScoring
}
