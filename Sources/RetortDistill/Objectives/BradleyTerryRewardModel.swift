// Bradley–Terry reward-model loss (Ouyang et al. 2022, InstructGPT): for every pair in a group
// where y_w is ranked above y_l, ℓ = −log σ(r(y_w) − r(y_l)). Differentiates the reward scores
// (`batch.rewards`, the outputs of the reward model being trained); the order comes from `ranks`.
import Foundation

public struct BradleyTerryRewardModel: SequenceObjective {
    public let name = "bradley-terry"
    public let gradientInput = SequenceGradientInput.rewards

    public init() {}

    /// `weightSum` is the number of ordered pairs.
    public func evaluate(_ batch: SequenceBatch, gradient: UnsafeMutableBufferPointer<Float>) throws -> ObjectiveValue {
        try batch.validate(gradientCount: gradient.count)
        guard let rewards = batch.rewards else {
            throw ObjectiveError.missingInput(objective: name, input: "rewards (the reward model's scores)")
        }
        guard batch.ranks != nil else {
            throw ObjectiveError.missingInput(objective: name, input: "ranks (the preference order of each group)")
        }
        let (groups, order) = try batch.rankedGroups(objective: name)
        var grad = [Double](repeating: 0, count: batch.count)
        var lossSum = 0.0, pairs = 0.0
        for group in groups {
            for (a, winner) in group.members.enumerated() {
                for loser in group.members[(a + 1)...] where order.isBetter(winner, than: loser) {
                    let margin = Double(rewards[winner]) - Double(rewards[loser])
                    lossSum += ObjectiveMath.softplus(-margin)
                    // d/dmargin of −log σ(margin) = −σ(−margin).
                    let slope = -ObjectiveMath.sigmoid(-margin)
                    grad[winner] += slope
                    grad[loser] -= slope
                    pairs += 1
                }
            }
        }
        for index in 0..<batch.count { gradient[index] = Float(grad[index]) }
        return ObjectiveValue(lossSum: lossSum, weightSum: pairs)
    }
}
