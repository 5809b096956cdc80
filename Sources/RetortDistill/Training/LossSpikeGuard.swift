// Divergence guard of the training loop: a step whose loss jumps far above the recent level is not
// applied, and the learning rate is lowered from then on. Reverse KL from a cold student, a bad batch
// or too high a rate show up as such jumps before the weights are ruined; NaN and infinite values are
// caught separately by the trainer. Dataset steps and steps on provided (on-policy) batches keep
// separate histories, since the student's own samples score on another scale.
import Foundation

public struct LossSpikeGuard: Sendable, Hashable {
    /// A loss above factor × the median of the recent losses is a spike…
    public var factor: Double = 3
    /// …when it also exceeds that median by this much (nats per position), so noise on tiny losses is not.
    public var minimumExcess: Double = 0.5
    /// Losses remembered per kind of step, and how many are needed before spikes are judged.
    public var window: Int = 16
    public var minimumHistory: Int = 6
    /// The learning rate is multiplied by this after each spike, down to `minimumScale`.
    public var backoff: Double = 0.5
    public var minimumScale: Double = 1.0 / 16

    public init() {}

    public init(factor: Double, window: Int, backoff: Double) {
        self.factor = factor
        self.window = window
        self.backoff = backoff
        minimumHistory = min(minimumHistory, window)
    }

    /// Throws naming the first setting no guard can have.
    func validate() throws {
        func require(_ ok: Bool, _ name: String, _ value: Any, _ allowed: String) throws {
            if !ok { throw TrainerError.invalidSetting(name: "spikeGuard.\(name)", value: "\(value)", allowed: allowed) }
        }
        try require(factor.isFinite && factor > 1, "factor", factor, "finite and > 1")
        try require(minimumExcess.isFinite && minimumExcess >= 0, "minimumExcess", minimumExcess, "finite and >= 0")
        try require(window >= 2, "window", window, ">= 2")
        try require(minimumHistory >= 1 && minimumHistory <= window, "minimumHistory", minimumHistory, "in 1...window")
        try require(backoff > 0 && backoff <= 1, "backoff", backoff, "in (0, 1]")
        try require(minimumScale > 0 && minimumScale <= 1, "minimumScale", minimumScale, "in (0, 1]")
    }

    /// What the guard remembers; saved with checkpoints so a resumed run judges the same way.
    public struct State: Sendable, Equatable {
        public var recent: [String: [Double]] = [:]
        public var learningRateScale: Double = 1
    }

    /// Records `loss` for steps of `kind`; returns why the step is a spike (and lowers the rate), or nil.
    func check(loss: Double, kind: String, state: inout State) -> String? {
        var history = state.recent[kind, default: []]
        defer {
            // Spikes are remembered too: if the level really moved, the median follows it within half a window.
            history.append(loss)
            state.recent[kind] = Array(history.suffix(window))
        }
        guard history.count >= minimumHistory else { return nil }
        let sorted = history.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        guard loss > factor * median, loss - median > minimumExcess else { return nil }
        state.learningRateScale = max(minimumScale, state.learningRateScale * backoff)
        return String(format: "loss %.4g is %.1f× the median %.4g of the last %d steps (a spike): not applied; learning rate now %g× the schedule",
                      loss, loss / median, median, history.count, state.learningRateScale)
    }
}
