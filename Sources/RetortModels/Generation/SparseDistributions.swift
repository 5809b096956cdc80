// A teacher's next-token distributions over a sequence, kept sparse: at each position the top-k
// token ids with their log-probabilities, and the probability mass left to the other ids. This is
// what feature elicitation stores and what the sparse-teacher objectives consume; a full [vocab]
// row is never kept.
public struct SparseDistributions: Sendable, Hashable {
    /// The tokens of the scored sequence (the targets); position i is the distribution that
    /// predicted tokens[i].
    public var tokens: [Int32]
    /// k alternatives per position.
    public var topK: Int
    /// positions × topK ids, most likely first.
    public var ids: [Int32]
    /// positions × topK natural-log probabilities, matching `ids`.
    public var logprobs: [Float]
    /// Per position, 1 − Σ exp(logprobs of the top k), clamped to [0, 1].
    public var restMass: [Float]

    public init(tokens: [Int32], topK: Int, ids: [Int32], logprobs: [Float], restMass: [Float]) {
        self.tokens = tokens
        self.topK = topK
        self.ids = ids
        self.logprobs = logprobs
        self.restMass = restMass
    }

    public var positions: Int { tokens.count }

    /// Checks the shapes agree; readers call this on anything loaded from disk.
    public func validate() throws(SparseDistributionsError) {
        guard topK >= 1 else { throw SparseDistributionsError(message: "top-k must be at least 1, got \(topK)") }
        guard ids.count == positions * topK, logprobs.count == positions * topK, restMass.count == positions else {
            throw SparseDistributionsError(message: "\(positions) positions × top-\(topK) needs \(positions * topK) ids and log-probabilities and \(positions) rest masses; got \(ids.count), \(logprobs.count), \(restMass.count)")
        }
    }
}

public struct SparseDistributionsError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
