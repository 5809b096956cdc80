// Policy gradient with a KL penalty to a reference policy: REINFORCE (Williams 1992) with the
// group-mean reward as baseline (as in GRPO, Shao et al. 2024), A_i = r_i − mean_{group}(r), and
//     ℓ_i = −A_i log π(y_i) + kl_coef · k3_i,   k3 = e^{ref − log π} − (ref − log π) − 1,
// the non-negative KL(π ‖ π_ref) estimator of Schulman (2020). When the batch carries the sampling
// policy's log-probs (`oldLogps`), the first term becomes PPO's clipped surrogate (Schulman et al.
// 2017): −min(ρ_i A_i, clip(ρ_i, 1 − ε, 1 + ε) A_i) with ρ_i = exp(log π − log π_old).
import Foundation

public struct PolicyGradient: SequenceObjective {
    public let name = "policy-gradient"
    public let gradientInput = SequenceGradientInput.logps
    public let klCoefficient: Double
    public let clipEpsilon: Double

    public init(klCoefficient: Double, clipEpsilon: Double) throws {
        guard klCoefficient.isFinite, klCoefficient >= 0 else {
            throw ObjectiveError.parameterOutOfRange(
                objective: "policy-gradient", parameter: "kl_coef", value: klCoefficient, allowed: ">= 0")
        }
        guard clipEpsilon.isFinite, clipEpsilon > 0, clipEpsilon < 1 else {
            throw ObjectiveError.parameterOutOfRange(
                objective: "policy-gradient", parameter: "clip_epsilon", value: clipEpsilon, allowed: "in (0, 1)")
        }
        self.klCoefficient = klCoefficient
        self.clipEpsilon = clipEpsilon
    }

    /// `weightSum` is the number of sequences.
    public func evaluate(_ batch: SequenceBatch, gradient: UnsafeMutableBufferPointer<Float>) throws -> ObjectiveValue {
        try batch.validate(gradientCount: gradient.count)
        guard let rewards = batch.rewards else { throw ObjectiveError.missingInput(objective: name, input: "rewards") }
        if klCoefficient > 0 && batch.referenceLogps == nil {
            throw ObjectiveError.missingInput(objective: name, input: "reference_logps (or set kl_coef to 0)")
        }
        var advantages = [Double](repeating: 0, count: batch.count)
        for group in batch.groups() {
            let mean = group.members.reduce(0) { $0 + Double(rewards[$1]) } / Double(group.members.count)
            for member in group.members { advantages[member] = Double(rewards[member]) - mean }
        }
        var lossSum = 0.0
        for index in 0..<batch.count {
            let logp = Double(batch.logps[index])
            let advantage = advantages[index]
            var loss: Double
            var slope: Double
            if let old = batch.oldLogps {
                let ratio = exp(logp - Double(old[index]))
                let clipped = min(max(ratio, 1 - clipEpsilon), 1 + clipEpsilon)
                if ratio * advantage <= clipped * advantage {
                    loss = -ratio * advantage
                    slope = -ratio * advantage
                } else {
                    loss = -clipped * advantage
                    slope = 0
                }
            } else {
                loss = -advantage * logp
                slope = -advantage
            }
            if klCoefficient > 0, let reference = batch.referenceLogps {
                let delta = Double(reference[index]) - logp
                loss += klCoefficient * (exp(delta) - delta - 1)
                slope += klCoefficient * (1 - exp(delta))
            }
            if !loss.isFinite { throw ObjectiveError.nonFiniteLoss(objective: name, position: index) }
            lossSum += loss
            gradient[index] = Float(slope)
        }
        return ObjectiveValue(lossSum: lossSum, weightSum: Double(batch.count))
    }
}
