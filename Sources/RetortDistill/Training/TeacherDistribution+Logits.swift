// A white-box teacher's logits turned into the distribution a TrainingExample carries: all of the
// log-softmax (dense), or only its k most likely ids (sparse top-k, as API teachers return).
import Foundation

extension TeacherDistribution {
    /// From teacher logits [positions][vocab]: log-softmax of every row, or its top `topK` entries
    /// (ties broken by the lower id) when topK is given.
    public init(logits: [Float], positions: Int, vocab: Int, topK: Int? = nil) throws {
        guard logits.count == positions * vocab else {
            throw ObjectiveError.shapeMismatch(field: "teacher logits", expected: positions * vocab, actual: logits.count)
        }
        if let topK, !(1...vocab).contains(topK) {
            throw ObjectiveError.parameterOutOfRange(objective: "teacher", parameter: "top_k", value: Double(topK),
                                                     allowed: "in 1...\(vocab) (the vocabulary)")
        }
        var logprobs = [Float](repeating: 0, count: logits.count)
        for row in 0..<positions {
            let start = row * vocab
            var maximum = -Double.infinity
            for j in 0..<vocab { maximum = max(maximum, Double(logits[start + j])) }
            var sum = 0.0
            for j in 0..<vocab { sum += exp(Double(logits[start + j]) - maximum) }
            let logNorm = maximum + log(sum)
            for j in 0..<vocab { logprobs[start + j] = Float(Double(logits[start + j]) - logNorm) }
        }
        guard let k = topK else { self = .dense(logprobs: logprobs); return }
        var ids: [Int32] = [], top: [Float] = []
        ids.reserveCapacity(positions * k)
        top.reserveCapacity(positions * k)
        for row in 0..<positions {
            let start = row * vocab
            let best = (0..<vocab).sorted { a, b in
                let la = logprobs[start + a], lb = logprobs[start + b]
                return la != lb ? la > lb : a < b
            }.prefix(k)
            for j in best {
                ids.append(Int32(j))
                top.append(logprobs[start + j])
            }
        }
        self = .sparse(ids: ids, logprobs: top, k: k)
    }
}
