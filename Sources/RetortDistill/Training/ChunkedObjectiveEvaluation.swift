// The objective over a micro-batch's logits, a chunk of positions at a time, with each chunk's
// dL/dlogits written back over those logits: the (B·T, V) logits buffer becomes the dlogits that
// the model's backward takes, and the only other memory is one chunk × vocab scratch.
import Foundation
import RetortTensor

/// One weighted part of the trainer's objective.
struct WeightedObjective: Sendable {
    var name: String
    var weight: Double
    var objective: any TokenObjective
}

enum ChunkedObjectiveEvaluation {
    /// Replaces `logits` (N, V) by gradientScale · d(Σ_k w_k lossSum_k)/dlogits and returns each
    /// part's own (unweighted) value. Rows are evaluated `chunkPositions` at a time: a chunk's
    /// gradient is built in scratch, then copied over the chunk's logits, which no later chunk reads.
    static func evaluate(
        parts: [WeightedObjective], logits: Tensor, batch: PackedBatch, temperature: Float,
        chunkPositions: Int, gradientScale: Double
    ) throws -> [ObjectiveValue] {
        let N = batch.B * batch.T, V = batch.vocab
        guard logits.count == N * V else {
            throw ObjectiveError.shapeMismatch(field: "student_logits", expected: N * V, actual: logits.count)
        }
        let chunk = min(chunkPositions, N)
        var gradient = [Float](repeating: 0, count: chunk * V)
        var partGradient: [Float] = []  // only for objectives that cannot accumulate
        var values = [ObjectiveValue](repeating: .zero, count: parts.count)

        try withTokenBatch(batch, logits: logits, temperature: temperature) { tokenBatch in
            for start in stride(from: 0, to: N, by: chunk) {
                let rows = start..<min(start + chunk, N)
                let count = rows.count * V
                try gradient.withUnsafeMutableBufferPointer { whole in
                    let out = UnsafeMutableBufferPointer(rebasing: whole[0..<count])
                    out.update(repeating: 0)
                    for (k, part) in parts.enumerated() {
                        let scale = gradientScale * part.weight
                        if let accumulating = part.objective as? any GradientAccumulatingTokenObjective {
                            values[k] += try accumulating.accumulate(tokenBatch, rows: rows, into: out, scale: scale)
                        } else {
                            if partGradient.count < count { partGradient = [Float](repeating: 0, count: chunk * V) }
                            values[k] += try partGradient.withUnsafeMutableBufferPointer { scratch in
                                try part.objective.evaluate(tokenBatch, rows: rows, gradient: UnsafeMutableBufferPointer(rebasing: scratch[0..<count]))
                            }
                            let factor = Float(scale)
                            for i in 0..<count { out[i] += factor * partGradient[i] }
                        }
                    }
                    // rows before `rows.upperBound` are never read again: overwrite them with their gradient
                    (logits.data + start * V).update(from: out.baseAddress!, count: count)
                }
            }
        }
        return values
    }

    /// Runs `body` with a TokenBatch viewing the logits and the batch's arrays.
    static func withTokenBatch<R>(
        _ batch: PackedBatch, logits: Tensor, temperature: Float, _ body: (TokenBatch) throws -> R
    ) throws -> R {
        try batch.targets.withUnsafeBufferPointer { targets in
            try batch.lossMask.withUnsafeBufferPointer { mask in
                try (batch.teacherLogprobs ?? []).withUnsafeBufferPointer { dense in
                    try (batch.teacherTopKIds ?? []).withUnsafeBufferPointer { ids in
                        try (batch.teacherTopKLogprobs ?? []).withUnsafeBufferPointer { sparse in
                            try body(TokenBatch(
                                studentLogits: UnsafeBufferPointer(logits.buffer), positions: batch.B * batch.T,
                                vocab: batch.vocab, targets: targets, lossMask: mask,
                                teacherLogprobs: batch.teacherLogprobs == nil ? nil : dense,
                                teacherTopKIds: batch.teacherTopKIds == nil ? nil : ids,
                                teacherTopKLogprobs: batch.teacherTopKLogprobs == nil ? nil : sparse,
                                teacherK: batch.teacherK, temperature: temperature))
                        }
                    }
                }
            }
        }
    }
}
