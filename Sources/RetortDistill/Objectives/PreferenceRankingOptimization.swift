// PRO, Preference Ranking Optimization (Song et al. 2023): with the ranking y^1 ≻ y^2 ≻ … ≻ y^n of
// a group and length-normalized scores p_i = log π(y^i) / |y^i|, a list-wise softmax over the
// decreasing suffixes of the ranking,
//     L_PRO = −Σ_{k=1}^{n−1} log( exp(p_k) / Σ_{i=k}^{n} exp(p_i) ),
// plus sft_weight · (−p_1), the token-mean negative log-likelihood of the best answer.
// The reward-dependent temperatures of the paper's full variant are not applied (all set to 1).
import Foundation

public struct PreferenceRankingOptimization: SequenceObjective {
    public let name = "pro"
    public let gradientInput = SequenceGradientInput.logps
    public let sftWeight: Double

    public init(sftWeight: Double) throws {
        guard sftWeight.isFinite, sftWeight >= 0 else {
            throw ObjectiveError.parameterOutOfRange(objective: "pro", parameter: "sft_weight", value: sftWeight, allowed: ">= 0")
        }
        self.sftWeight = sftWeight
    }

    /// `weightSum` is the number of groups. Sequences of equal rank keep their batch order.
    public func evaluate(_ batch: SequenceBatch, gradient: UnsafeMutableBufferPointer<Float>) throws -> ObjectiveValue {
        try batch.validate(gradientCount: gradient.count)
        let (groups, _) = try batch.rankedGroups(objective: name)
        var grad = [Double](repeating: 0, count: batch.count)
        var lossSum = 0.0
        for group in groups {
            let members = group.members
            var lengths: [Double] = []
            for member in members { lengths.append(try batch.length(member, objective: name)) }
            let scores = members.indices.map { Double(batch.logps[members[$0]]) / lengths[$0] }
            var scoreGrad = [Double](repeating: 0, count: members.count)
            for k in 0..<(members.count - 1) {
                let suffix = scores[k...]
                let top = suffix.max()!
                let logNorm = top + log(suffix.reduce(0) { $0 + exp($1 - top) })
                lossSum += logNorm - scores[k]
                scoreGrad[k] -= 1
                for i in k..<members.count { scoreGrad[i] += exp(scores[i] - logNorm) }
            }
            lossSum += sftWeight * -scores[0]
            scoreGrad[0] -= sftWeight
            for (position, member) in members.enumerated() {
                grad[member] += scoreGrad[position] / lengths[position]
            }
        }
        for index in 0..<batch.count { gradient[index] = Float(grad[index]) }
        return ObjectiveValue(lossSum: lossSum, weightSum: Double(groups.count))
    }
}
