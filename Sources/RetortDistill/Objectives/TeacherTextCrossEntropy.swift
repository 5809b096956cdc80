// Cross-entropy on the teacher's text: supervised fine-tuning on teacher outputs, i.e. sequence-level
// KD (SeqKD, Kim & Rush 2016), ℓ_i = −log p_S(y_i | y_<i) with y the teacher's tokens. The
// temperature does not apply: the target is a hard token, and the student is scored at τ = 1.
import Foundation
import RetortTensor

public struct TeacherTextCrossEntropy: GradientAccumulatingTokenObjective {
    public let name = "sft"

    public init() {}

    public func accumulate(
        _ batch: TokenBatch, rows: Range<Int>, into gradient: UnsafeMutableBufferPointer<Float>, scale: Double
    ) throws -> ObjectiveValue {
        try batch.validateShape(rows: rows, gradientCount: gradient.count)
        guard let targets = batch.targets else {
            throw ObjectiveError.missingInput(objective: name, input: "targets (the teacher's token ids)")
        }
        let vocab = batch.vocab
        var weightSum = 0.0
        for row in rows {
            let weight = try batch.weight(at: row)
            weightSum += weight
            let target = Int(targets[row])
            if target >= vocab || target < -1 {
                throw ObjectiveError.tokenIdOutOfRange(field: "targets", position: row, id: target, vocab: vocab)
            }
            if weight > 0 && target == -1 { throw ObjectiveError.missingTarget(objective: name, position: row) }
        }
        let losses = try RowParallel.map(rows, elementsPerRow: vocab, makeScratch: { () }) { row, _ in
            let weight = Double(batch.lossMask[row])
            if weight == 0 { return 0 }
            let target = Int(targets[row])
            let logits = batch.studentLogits.baseAddress! + row * vocab
            if let j = firstNonFinite(logits, vocab) {
                throw ObjectiveError.nonFiniteValue(field: "student_logits", index: row * vocab + j, value: Double(logits[j]))
            }
            // ℓ = logsumexp(z) − z_y; dℓ/dz_j = softmax_j − [j = y]; float32 lanes, as the student's logits.
            let start = (row - rows.lowerBound) * vocab
            let loss = weight * CrossEntropy.row(logits, V: vocab, target: target, addingGradientTo: gradient.baseAddress! + start,
                                                 scale: Float(scale * weight))
            if !loss.isFinite { throw ObjectiveError.nonFiniteLoss(objective: name, position: row) }
            return loss
        }
        return ObjectiveValue(lossSum: losses.reduce(0, +), weightSum: weightSum)
    }
}
