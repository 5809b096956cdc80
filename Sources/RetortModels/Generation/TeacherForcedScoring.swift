// Teacher forcing: one forward pass over prompt + completion gives the model's own next-token
// distribution at every completion token (kept as top-k + rest mass) and, on request, the hidden
// states there. This is what a white-box teacher hands to the sparse and feature objectives.
import Foundation
import RetortTensor

public struct CompletionScores: Sendable {
    /// Position i is the distribution (after prompt + completion[..<i]) that predicted completion[i].
    public var distributions: SparseDistributions
    /// The log-probability of each completion token itself (in the top-k or not).
    public var tokenLogprobs: [Float]
    /// Per requested layer (0 = embeddings, L = last layer's output before the final norm):
    /// completion.count × hiddenSize, row-major; row i is the residual stream at completion[i].
    public var hiddenStates: [Int: [Float]]
    public var hiddenSize: Int
}

extension LlamaModel {
    /// Scores `completion` after `prompt` (at least one token) in one forward pass.
    public func scoreCompletion(prompt: [Int32], completion: [Int32], topK: Int, hiddenLayers: Set<Int> = []) throws
        -> CompletionScores
    {
        let V = config.vocabSize, C = config.hiddenSize, L = config.numHiddenLayers
        guard !prompt.isEmpty else { throw GenerationError.invalidScoring("the prompt is empty: the first completion token has no context") }
        guard (1...V).contains(topK) else { throw GenerationError.invalidScoring("top-k must be in 1...\(V), got \(topK)") }
        if let bad = hiddenLayers.first(where: { !(0...L).contains($0) }) {
            throw GenerationError.invalidScoring("layer \(bad) does not exist; layers are 0 (embeddings) … \(L) (the last layer's output)")
        }
        let tokens = prompt + completion
        if let bad = tokens.first(where: { $0 < 0 || Int($0) >= V }) {
            throw GenerationError.invalidScoring("token id \(bad) is outside the vocabulary of \(V)")
        }
        let P = prompt.count, M = completion.count
        guard M > 0 else {
            let empty = SparseDistributions(tokens: [], topK: topK, ids: [], logprobs: [], restMass: [])
            return CompletionScores(distributions: empty, tokenLogprobs: [], hiddenStates: Dictionary(uniqueKeysWithValues: hiddenLayers.map { ($0, []) }),
                                    hiddenSize: C)
        }
        let wasTraining = isTraining
        isTraining = false
        // The buffers are sized for this sequence; an inference call leaves none behind.
        defer {
            isTraining = wasTraining
            activations = nil
        }
        let output = try forward(tokens: tokens, B: 1, T: tokens.count, keepHiddenStates: hiddenLayers)

        // Row P - 1 + i of the logits predicts completion[i]; each iteration writes its own row.
        let rows = ScoreRows(positions: M, topK: topK)
        let logits = UnsafePointer(output.logits.data)
        Parallel.forEach(M, costPerItem: 4 * V) { i in
            let row = LogSoftmaxRow(UnsafeBufferPointer(start: logits + (P - 1 + i) * V, count: V))
            let top = row.top(topK)
            for (j, alternative) in top.enumerated() {
                rows.ids[i * topK + j] = alternative.id
                rows.logprobs[i * topK + j] = alternative.logprob
            }
            rows.rest[i] = LogSoftmaxRow.restMass(of: top)
            rows.own[i] = row.logprob(of: completion[i])
        }
        var hidden: [Int: [Float]] = [:]
        for (layer, states) in output.hiddenStates {
            hidden[layer] = Array(UnsafeBufferPointer(start: states.data + P * C, count: M * C))
        }
        let distributions = SparseDistributions(tokens: completion, topK: topK, ids: Array(rows.ids), logprobs: Array(rows.logprobs),
                                                restMass: Array(rows.rest))
        return CompletionScores(distributions: distributions, tokenLogprobs: Array(rows.own), hiddenStates: hidden, hiddenSize: C)
    }
}

/// The output buffers of the scoring loop, written row by row from several threads.
private final class ScoreRows: @unchecked Sendable {
    let ids: UnsafeMutableBufferPointer<Int32>
    let logprobs: UnsafeMutableBufferPointer<Float>
    let rest: UnsafeMutableBufferPointer<Float>
    let own: UnsafeMutableBufferPointer<Float>

    init(positions: Int, topK: Int) {
        ids = .allocate(capacity: positions * topK)
        ids.initialize(repeating: 0)
        logprobs = .allocate(capacity: positions * topK)
        logprobs.initialize(repeating: 0)
        rest = .allocate(capacity: positions)
        rest.initialize(repeating: 0)
        own = .allocate(capacity: positions)
        own.initialize(repeating: 0)
    }

    deinit {
        ids.deallocate()
        logprobs.deallocate()
        rest.deallocate()
        own.deallocate()
    }
}

extension LocalLanguageModel {
    /// Scores `completionTokens` after `promptTokens` within the model's context.
    public func score(promptTokens: [Int32], completionTokens: [Int32], topK: Int, hiddenLayers: Set<Int> = []) throws
        -> CompletionScores
    {
        let total = promptTokens.count + completionTokens.count
        guard total <= contextLength else {
            throw GenerationError.invalidScoring("prompt (\(promptTokens.count) tokens) plus completion (\(completionTokens.count)) exceed the model's context of \(contextLength)")
        }
        return try model.scoreCompletion(prompt: promptTokens, completion: completionTokens, topK: topK, hiddenLayers: hiddenLayers)
    }
}
