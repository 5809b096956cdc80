// Learning-rate schedules by step: constant, linear decay after warmup, cosine decay after warmup.
// Steps count from 0 (the step about to be taken), with warmup as in llm.c: lr = peak * (step + 1) / warmup.
import Foundation

public enum LearningRateSchedule: Sendable, Equatable, Codable {
    case constant(Float)
    /// Warmup to `peak`, then a straight line from peak at step warmupSteps to `final` at totalSteps.
    case linear(peak: Float, warmupSteps: Int, totalSteps: Int, final: Float = 0)
    /// Warmup to `peak`, then half a cosine from peak at step warmupSteps to `minimum` at totalSteps.
    case cosine(peak: Float, warmupSteps: Int, totalSteps: Int, minimum: Float = 0)

    /// The learning rate for step `step` (0-based); past totalSteps it stays at the final value.
    public func learningRate(atStep step: Int) -> Float {
        switch self {
        case let .constant(rate):
            return rate
        case let .linear(peak, warmupSteps, totalSteps, final):
            if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
            let progress = Self.decayProgress(step: step, warmupSteps: warmupSteps, totalSteps: totalSteps)
            return peak + (final - peak) * Float(progress)
        case let .cosine(peak, warmupSteps, totalSteps, minimum):
            if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
            let progress = Self.decayProgress(step: step, warmupSteps: warmupSteps, totalSteps: totalSteps)
            let coefficient = 0.5 * (1 + cos(Double.pi * progress))  // 1 at the start, 0 at the end
            return minimum + Float(coefficient) * (peak - minimum)
        }
    }

    /// How far through the decay phase `step` is, in 0...1.
    static func decayProgress(step: Int, warmupSteps: Int, totalSteps: Int) -> Double {
        let decaySteps = totalSteps - warmupSteps
        guard decaySteps > 0 else { return 1 }
        return min(1, max(0, Double(step - warmupSteps) / Double(decaySteps)))
    }
}
