// RRHF, "Rank Responses to align language models with Human Feedback" (Yuan et al. 2023): with
// length-normalized scores p_i = log π(y_i) / |y_i|, a ranking loss
//     L_rank = Σ_{r_i < r_j} max(0, p_i − p_j)
// (an answer ranked worse must not score higher) plus the fine-tuning term on the best answer,
// L_ft = −log π(y_best) (summed over its tokens), so L = L_rank + sft_weight · L_ft per group.
import Foundation

public struct RankResponsesHumanFeedback: SequenceObjective {
    public let name = "rrhf"
    public let gradientInput = SequenceGradientInput.logps
    public let sftWeight: Double

    public init(sftWeight: Double) throws {
        guard sftWeight.isFinite, sftWeight >= 0 else {
            throw ObjectiveError.parameterOutOfRange(objective: "rrhf", parameter: "sft_weight", value: sftWeight, allowed: ">= 0")
        }
        self.sftWeight = sftWeight
    }

    /// `weightSum` is the number of groups.
    public func evaluate(_ batch: SequenceBatch, gradient: UnsafeMutableBufferPointer<Float>) throws -> ObjectiveValue {
        try batch.validate(gradientCount: gradient.count)
        let (groups, order) = try batch.rankedGroups(objective: name)
        var grad = [Double](repeating: 0, count: batch.count)
        var lossSum = 0.0
        for group in groups {
            var lengths: [Int: Double] = [:]
            for member in group.members { lengths[member] = try batch.length(member, objective: name) }
            let score = { (index: Int) in Double(batch.logps[index]) / lengths[index]! }
            for (a, better) in group.members.enumerated() {
                for worse in group.members[(a + 1)...] where order.isBetter(better, than: worse) {
                    // max(0, p_worse − p_better): only a worse answer scoring higher costs anything.
                    let excess = score(worse) - score(better)
                    if excess > 0 {
                        lossSum += excess
                        grad[worse] += 1 / lengths[worse]!
                        grad[better] -= 1 / lengths[better]!
                    }
                }
            }
            let best = group.members[0]
            lossSum += sftWeight * -Double(batch.logps[best])
            grad[best] -= sftWeight
        }
        for index in 0..<batch.count { gradient[index] = Float(grad[index]) }
        return ObjectiveValue(lossSum: lossSum, weightSum: Double(groups.count))
    }
}
