// Generalized Jensen–Shannon divergence JSD(β) of GKD (Agarwal et al. 2024, "On-Policy
// Distillation of Language Models: Learning from Self-Generated Mistakes"):
//     JSD(β)(p_T ‖ p_S) = β KL(p_T ‖ M) + (1 − β) KL(p_S ‖ M),   M = β p_T + (1 − β) p_S,
// the paper's convention (P = teacher, Q = student). Its value vanishes at both ends; the paper
// notes that near β = 0 it behaves like forward KL and near β = 1 like reverse KL, to first order
// JSD(β) ≈ β KL(p_T ‖ p_S) and ≈ (1 − β) KL(p_S ‖ p_T). So that the limits hold in value, not only
// in direction, this objective reports generalizedJSD = JSD(β) / (β (1 − β)) for 0 < β < 1, and
// exactly forward KL at β = 0 and reverse KL at β = 1. (At β = 0.5 the loss is 4 × the classic
// JSD, whose unscaled value lies in [0, log 2]; `unscaledValue` gives the paper's value.)
import Foundation

public struct GeneralizedJSD: TeacherMatchingObjective {
    public let name = "jsd"
    /// The teacher's weight in the mixture M, in [0, 1].
    public let beta: Double

    public init(beta: Double) throws {
        guard beta.isFinite, beta >= 0, beta <= 1 else {
            throw ObjectiveError.parameterOutOfRange(objective: "jsd", parameter: "beta", value: beta, allowed: "in [0, 1]")
        }
        self.beta = beta
    }

    /// Multiply the reported loss by this to get the paper's unscaled JSD(β). It is 0 at β = 0 and
    /// β = 1, where the loss is a KL rather than a scaled JSD.
    public var unscaledFactor: Double { beta == 0 || beta == 1 ? 0 : beta * (1 - beta) }

    public func divergenceTerm(logTeacher: Double, logStudent: Double) -> DivergenceTerm {
        if beta == 0 { return ForwardKL().divergenceTerm(logTeacher: logTeacher, logStudent: logStudent) }
        if beta == 1 { return ReverseKL().divergenceTerm(logTeacher: logTeacher, logStudent: logStudent) }
        let logMixture = ObjectiveMath.logAddExp(log(beta) + logTeacher, log(1 - beta) + logStudent)
        let teacherPart = ObjectiveMath.weightedLogRatio(logP: logTeacher, logQ: logMixture)
        let studentPart = ObjectiveMath.weightedLogRatio(logP: logStudent, logQ: logMixture)
        // φ = β t log(t/m) + (1 − β) s log(s/m); ∂φ/∂s = (1 − β) log(s/m) (the other terms cancel).
        let value = (beta * teacherPart + (1 - beta) * studentPart) / (beta * (1 - beta))
        return DivergenceTerm(value: value, studentSlope: studentPart / beta)
    }
}
