// What one optimizer step reports: the losses, the learning rate and gradient norm it used, how many
// tokens it saw, and whether it was skipped because something came out NaN or infinite.
import Foundation

public struct StepResult: Sendable, Equatable {
    /// 1 for the first step of the run.
    public var step: Int
    /// The mixture's mean loss over the step's trained positions, Σ_k w_k loss_k.
    public var loss: Double
    /// Each objective's own mean loss (unweighted), by registry name.
    public var objectiveLosses: [String: Double]
    public var learningRate: Float
    /// The global gradient norm before clipping (NaN when the step was skipped before backward).
    public var gradientNorm: Double
    /// Tokens of examples the step saw (padding excluded) and positions it trained (Σ loss mask).
    public var tokens: Int
    public var trainedPositions: Double
    /// True when the step was not applied; `skipReason` says why. The weights are unchanged then.
    public var skipped: Bool
    public var skipReason: String?
}
