// Log-probabilities as OpenAI and vLLM report them: the log-softmax of the model's raw logits at
// temperature 1, before any repetition penalty or truncation, read sparsely (the chosen token and
// the k most likely ids) so a [vocab] row is never copied out.
import Foundation

/// One candidate at a position: a token id and its log-probability.
public struct TokenAlternative: Sendable, Hashable {
    public let id: Int32
    public let logprob: Float

    public init(id: Int32, logprob: Float) {
        self.id = id
        self.logprob = logprob
    }
}

/// A generated token with its log-probability and the most likely alternatives at its position.
public struct GeneratedTokenLogprob: Sendable, Hashable {
    public let id: Int32
    public let logprob: Float
    /// Most likely first, ties broken by the lower id (the greedy choice is `top[0]`).
    public let top: [TokenAlternative]

    public init(id: Int32, logprob: Float, top: [TokenAlternative]) {
        self.id = id
        self.logprob = logprob
        self.top = top
    }
}

/// The log-softmax of one row of logits, computed once and read per id.
public struct LogSoftmaxRow {
    public let logits: UnsafeBufferPointer<Float>
    /// log Σ exp(logits), accumulated in double precision.
    public let logNormalizer: Double

    public init(_ logits: UnsafeBufferPointer<Float>) {
        self.logits = logits
        var maximum = -Double.infinity
        for value in logits { maximum = max(maximum, Double(value)) }
        var sum = 0.0
        for value in logits { sum += exp(Double(value) - maximum) }
        logNormalizer = maximum + log(sum)
    }

    public func logprob(of id: Int32) -> Float { Float(Double(logits[Int(id)]) - logNormalizer) }

    /// The `k` most likely ids, most likely first, ties broken by the lower id.
    public func top(_ k: Int) -> [TokenAlternative] {
        let k = min(k, logits.count)
        guard k > 0 else { return [] }
        // Insertion into a sorted buffer of k: one pass over the vocabulary, k ≤ a few dozen.
        var best: [(id: Int, logit: Float)] = []
        best.reserveCapacity(k + 1)
        for (id, logit) in logits.enumerated() {
            if best.count == k, logit <= best[k - 1].logit { continue }
            var position = best.count
            while position > 0, best[position - 1].logit < logit { position -= 1 }
            best.insert((id, logit), at: position)
            if best.count > k { best.removeLast() }
        }
        return best.map { TokenAlternative(id: Int32($0.id), logprob: Float(Double($0.logit) - logNormalizer)) }
    }

    /// 1 − Σ exp(logprobs of `top`), clamped to [0, 1]: the mass the other ids share.
    public static func restMass(of top: [TokenAlternative]) -> Float {
        let kept = top.reduce(0.0) { $0 + exp(Double($1.logprob)) }
        return Float(min(1, max(0, 1 - kept)))
    }
}

extension GeneratedTokenLogprob {
    /// `token` chosen from `logits`, with the `k` most likely alternatives.
    public init(token: Int32, logits: UnsafeBufferPointer<Float>, topK k: Int) {
        let row = LogSoftmaxRow(logits)
        self.init(id: token, logprob: row.logprob(of: token), top: row.top(k))
    }
}
