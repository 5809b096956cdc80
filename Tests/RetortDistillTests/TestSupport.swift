// Helpers shared by the tests: evaluate an objective on plain arrays.
import Foundation
@testable import RetortDistill

/// The divergence objectives, by name, with the parameters the identity tests use.
func divergenceObjectives() throws -> [(String, any TokenObjective)] {
    [
        ("forward-kl", ForwardKL()), ("reverse-kl", ReverseKL()), ("jsd 0.5", try GeneralizedJSD(beta: 0.5)),
        ("jsd 0.2", try GeneralizedJSD(beta: 0.2)), ("tvd", TotalVariationDistance()),
        ("skew-forward-kl", try SkewForwardKL(alpha: 0.1)), ("skew-reverse-kl", try SkewReverseKL(alpha: 0.1)),
    ]
}

/// Mean loss and gradient of the mean over all rows.
func meanLoss(
    _ objective: any TokenObjective, _ inputs: TokenCheckInputs, sparseK: Int? = nil, temperature: Float = 1
) throws -> (loss: Double, gradient: [Float]) {
    var gradient: [Float] = []
    let value = try inputs.evaluate(objective, logits: inputs.logits, sparseK: sparseK, temperature: temperature, gradient: &gradient)
    let inverse = value.weightSum > 0 ? Float(1 / value.weightSum) : 0
    return (value.loss, gradient.map { $0 * inverse })
}

func maxDifference(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).map { abs(Double($0) - Double($1)) }.max() ?? 0
}

/// Runs `body` with a token batch over the given arrays.
func withTokenBatch<R>(
    logits: [Float], positions: Int, vocab: Int, targets: [Int32]? = nil, mask: [Float],
    teacherLogprobs: [Float]? = nil, topKIds: [Int32]? = nil, topKLogprobs: [Float]? = nil, k: Int = 0,
    temperature: Float = 1, _ body: (TokenBatch) throws -> R
) rethrows -> R {
    try logits.withUnsafeBufferPointer { z in
        try (targets ?? []).withUnsafeBufferPointer { y in
            try mask.withUnsafeBufferPointer { m in
                try (teacherLogprobs ?? []).withUnsafeBufferPointer { dense in
                    try (topKIds ?? []).withUnsafeBufferPointer { ids in
                        try (topKLogprobs ?? []).withUnsafeBufferPointer { top in
                            try body(TokenBatch(
                                studentLogits: z, positions: positions, vocab: vocab, targets: targets == nil ? nil : y,
                                lossMask: m, teacherLogprobs: teacherLogprobs == nil ? nil : dense,
                                teacherTopKIds: topKIds == nil ? nil : ids, teacherTopKLogprobs: topKLogprobs == nil ? nil : top,
                                teacherK: k, temperature: temperature))
                        }
                    }
                }
            }
        }
    }
}

/// Evaluates all rows of `batch` into a fresh gradient.
func evaluateAll(_ objective: any TokenObjective, _ batch: TokenBatch) throws -> (value: ObjectiveValue, gradient: [Float]) {
    var gradient = [Float](repeating: .nan, count: batch.positions * batch.vocab)
    let value = try gradient.withUnsafeMutableBufferPointer { try objective.evaluate(batch, rows: 0..<batch.positions, gradient: $0) }
    return (value, gradient)
}

func logSoftmax(_ row: [Double]) -> [Double] {
    let top = row.max()!
    let logNorm = top + log(row.reduce(0) { $0 + exp($1 - top) })
    return row.map { $0 - logNorm }
}
