// Skew KL and skew reverse KL of DistiLLM (Ko et al. 2024, "DistiLLM: Towards Streamlined
// Distillation for Large Language Models"), with p = teacher, q_θ = student:
//     skewForwardKL(α) = KL(p ‖ α p + (1 − α) q_θ)
//     skewReverseKL(α) = KL(q_θ ‖ (1 − α) p + α q_θ)
// α = 0 gives plain forward / reverse KL; the paper uses α = 0.1.
import Foundation

public struct SkewForwardKL: TeacherMatchingObjective {
    public let name = "skew-forward-kl"
    public let alpha: Double

    public init(alpha: Double) throws {
        guard alpha.isFinite, alpha >= 0, alpha < 1 else {
            throw ObjectiveError.parameterOutOfRange(
                objective: "skew-forward-kl", parameter: "alpha", value: alpha, allowed: "in [0, 1)")
        }
        self.alpha = alpha
    }

    public func divergenceTerm(logTeacher: Double, logStudent: Double) -> DivergenceTerm {
        if logTeacher == -.infinity { return DivergenceTerm(value: 0, studentSlope: 0) }
        let logMixture = alpha == 0
            ? logStudent : ObjectiveMath.logAddExp(log(alpha) + logTeacher, log(1 - alpha) + logStudent)
        let t = exp(logTeacher)
        // φ = t log(t/m), m = α t + (1 − α) s; ∂φ/∂s = −t (1 − α)/m.
        let slope = logStudent == -.infinity ? 0 : -(1 - alpha) * t * exp(logStudent - logMixture)
        return DivergenceTerm(value: t * (logTeacher - logMixture), studentSlope: slope)
    }
}

public struct SkewReverseKL: TeacherMatchingObjective {
    public let name = "skew-reverse-kl"
    public let alpha: Double

    public init(alpha: Double) throws {
        guard alpha.isFinite, alpha >= 0, alpha < 1 else {
            throw ObjectiveError.parameterOutOfRange(
                objective: "skew-reverse-kl", parameter: "alpha", value: alpha, allowed: "in [0, 1)")
        }
        self.alpha = alpha
    }

    public func divergenceTerm(logTeacher: Double, logStudent: Double) -> DivergenceTerm {
        if logStudent == -.infinity { return DivergenceTerm(value: 0, studentSlope: 0) }
        let logMixture = alpha == 0
            ? logTeacher : ObjectiveMath.logAddExp(log(1 - alpha) + logTeacher, log(alpha) + logStudent)
        let s = exp(logStudent)
        let logRatio = logStudent - logMixture
        // φ = s log(s/m), m = (1 − α) t + α s; ∂φ/∂s = log(s/m) + 1 − α s/m.
        let slope = s * (logRatio + 1 - alpha * exp(logRatio))
        return DivergenceTerm(value: s * logRatio, studentSlope: slope)
    }
}
