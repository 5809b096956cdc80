// Total variation distance TVD(p_T, p_S) = ½ Σ_v |p_T(v) − p_S(v)| (used for sequence-level
// distillation by Wen et al. 2023, "f-Divergence Minimization for Sequence-Level Knowledge
// Distillation"). Bounded in [0, 1]; its subgradient at p_T(v) = p_S(v) is taken as 0, and
// probabilities closer than `tieTolerance` count as equal so rounding does not pick a side.
import Foundation

public struct TotalVariationDistance: TeacherMatchingObjective {
    public let name = "tvd"

    public static let tieTolerance = 1e-12

    public init() {}

    public func divergenceTerm(logTeacher: Double, logStudent: Double) -> DivergenceTerm {
        let t = logTeacher == -.infinity ? 0 : exp(logTeacher)
        let s = logStudent == -.infinity ? 0 : exp(logStudent)
        let difference = t - s
        // φ = ½|t − s|; ∂φ/∂s = −½ sign(t − s).
        let sign: Double = difference > Self.tieTolerance ? 1 : (difference < -Self.tieTolerance ? -1 : 0)
        return DivergenceTerm(value: 0.5 * abs(difference), studentSlope: -0.5 * s * sign)
    }
}
