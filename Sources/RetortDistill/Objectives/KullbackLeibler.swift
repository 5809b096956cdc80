// Forward KL(p_T ‖ p_S) (Hinton et al. 2015, "soft targets"; mode-covering) and reverse
// KL(p_S ‖ p_T) (MiniLLM, Gu et al. 2024; mode-seeking), the two directions of the survey's
// divergence-based distillation. Temperature and sparse-teacher rules: see TeacherMatching.swift.
import Foundation

/// forwardKL = Σ_v p_T(v) log(p_T(v) / p_S(v)).
public struct ForwardKL: TeacherMatchingObjective {
    public let name = "forward-kl"

    public init() {}

    public func divergenceTerm(logTeacher: Double, logStudent: Double) -> DivergenceTerm {
        // φ = t (log t − log s); ∂φ/∂s = −t/s, so s·∂φ/∂s = −t.
        if logTeacher == -.infinity { return DivergenceTerm(value: 0, studentSlope: 0) }
        let t = exp(logTeacher)
        return DivergenceTerm(value: t * (logTeacher - logStudent), studentSlope: -t)
    }
}

/// reverseKL = Σ_v p_S(v) log(p_S(v) / p_T(v)).
public struct ReverseKL: TeacherMatchingObjective {
    public let name = "reverse-kl"

    public init() {}

    public func divergenceTerm(logTeacher: Double, logStudent: Double) -> DivergenceTerm {
        // φ = s (log s − log t); ∂φ/∂s = log s − log t + 1.
        if logStudent == -.infinity { return DivergenceTerm(value: 0, studentSlope: 0) }
        let s = exp(logStudent)
        let logRatio = logStudent - logTeacher
        return DivergenceTerm(value: s * logRatio, studentSlope: s * (logRatio + 1))
    }
}
