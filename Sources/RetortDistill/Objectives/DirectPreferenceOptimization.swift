// Direct Preference Optimization (Rafailov et al. 2023): for a preferred y_w and a dispreferred y_l
// of the same prompt, ℓ = −log σ(β [(log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))]).
// Every ordered pair of a group is used (ranks, or rewards when ranks are absent, give the order).
import Foundation

public struct DirectPreferenceOptimization: SequenceObjective {
    public let name = "dpo"
    public let gradientInput = SequenceGradientInput.logps
    public let beta: Double

    public init(beta: Double) throws {
        guard beta.isFinite, beta > 0 else {
            throw ObjectiveError.parameterOutOfRange(objective: "dpo", parameter: "beta", value: beta, allowed: "> 0")
        }
        self.beta = beta
    }

    /// `weightSum` is the number of ordered pairs.
    public func evaluate(_ batch: SequenceBatch, gradient: UnsafeMutableBufferPointer<Float>) throws -> ObjectiveValue {
        try batch.validate(gradientCount: gradient.count)
        guard let reference = batch.referenceLogps else {
            throw ObjectiveError.missingInput(objective: name, input: "reference_logps (the frozen reference model)")
        }
        let (groups, order) = try batch.rankedGroups(objective: name)
        var grad = [Double](repeating: 0, count: batch.count)
        var lossSum = 0.0, pairs = 0.0
        for group in groups {
            for (a, chosen) in group.members.enumerated() {
                for rejected in group.members[(a + 1)...] where order.isBetter(chosen, than: rejected) {
                    let chosenRatio = Double(batch.logps[chosen]) - Double(reference[chosen])
                    let rejectedRatio = Double(batch.logps[rejected]) - Double(reference[rejected])
                    let margin = beta * (chosenRatio - rejectedRatio)
                    lossSum += ObjectiveMath.softplus(-margin)
                    let slope = -beta * ObjectiveMath.sigmoid(-margin)
                    grad[chosen] += slope
                    grad[rejected] -= slope
                    pairs += 1
                }
            }
        }
        for index in 0..<batch.count { gradient[index] = Float(grad[index]) }
        return ObjectiveValue(lossSum: lossSum, weightSum: pairs)
    }
}
