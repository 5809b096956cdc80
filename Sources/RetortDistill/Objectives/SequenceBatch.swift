// The Swift twin of `retort_sequence_batch_v1` (SDK/include/retort/retort.h), plus the protocol of
// sequence-level objectives: per-sequence log-probabilities in, the loss and dL/dlogp (or
// dL/dreward) out; the trainer applies the chain rule through the model.
import Foundation

/// Borrowed views for `count` sequences. Nothing is copied.
public struct SequenceBatch {
    /// Per-sequence summed log-probability under the policy (student).
    public var logps: UnsafeBufferPointer<Float>
    public var count: Int
    /// The same under the frozen reference model, or nil.
    public var referenceLogps: UnsafeBufferPointer<Float>?
    /// Scalar reward per sequence, or nil. For a reward model being trained these are its outputs.
    public var rewards: UnsafeBufferPointer<Float>?
    /// Sequences with the same group id answer the same prompt.
    public var groupIds: UnsafeBufferPointer<Int32>?
    /// Rank within the group, 0 = best, or nil.
    public var ranks: UnsafeBufferPointer<Int32>?
    /// Number of response tokens per sequence (for length normalization).
    public var lengths: UnsafeBufferPointer<Int32>?
    public var parametersJSON: String
    /// Swift-only, not in `retort_sequence_batch_v1`: the log-probabilities under the policy that
    /// sampled the sequences, for PPO-style ratio clipping. A plugin adapter leaves it nil.
    public var oldLogps: UnsafeBufferPointer<Float>?

    public init(
        logps: UnsafeBufferPointer<Float>,
        count: Int,
        referenceLogps: UnsafeBufferPointer<Float>? = nil,
        rewards: UnsafeBufferPointer<Float>? = nil,
        groupIds: UnsafeBufferPointer<Int32>? = nil,
        ranks: UnsafeBufferPointer<Int32>? = nil,
        lengths: UnsafeBufferPointer<Int32>? = nil,
        parametersJSON: String = "{}",
        oldLogps: UnsafeBufferPointer<Float>? = nil
    ) {
        self.logps = logps
        self.count = count
        self.referenceLogps = referenceLogps
        self.rewards = rewards
        self.groupIds = groupIds
        self.ranks = ranks
        self.lengths = lengths
        self.parametersJSON = parametersJSON
        self.oldLogps = oldLogps
    }

    /// Checks each buffer holds `count` finite values.
    func validate(gradientCount: Int) throws {
        if count < 0 { throw ObjectiveError.shapeMismatch(field: "count", expected: 0, actual: count) }
        if gradientCount != count {
            throw ObjectiveError.shapeMismatch(field: "gradient", expected: count, actual: gradientCount)
        }
        try Self.checkFinite(logps, field: "logps", count: count)
        if let referenceLogps { try Self.checkFinite(referenceLogps, field: "reference_logps", count: count) }
        if let rewards { try Self.checkFinite(rewards, field: "rewards", count: count) }
        if let oldLogps { try Self.checkFinite(oldLogps, field: "old_logps", count: count) }
        for (field, buffer) in [("group_ids", groupIds), ("ranks", ranks), ("lengths", lengths)] {
            if let buffer, buffer.count != count {
                throw ObjectiveError.shapeMismatch(field: field, expected: count, actual: buffer.count)
            }
        }
    }

    private static func checkFinite(_ buffer: UnsafeBufferPointer<Float>, field: String, count: Int) throws {
        if buffer.count != count { throw ObjectiveError.shapeMismatch(field: field, expected: count, actual: buffer.count) }
        for index in 0..<count where !buffer[index].isFinite {
            throw ObjectiveError.nonFiniteValue(field: field, index: index, value: Double(buffer[index]))
        }
    }
}

/// Which per-sequence input a sequence objective differentiates.
public enum SequenceGradientInput: String, Sendable {
    /// dL/dlogp: the trainer backpropagates through the policy's summed token log-probabilities.
    case logps
    /// dL/dreward: the trainer backpropagates through a reward model's scalar head.
    case rewards
}

public protocol SequenceObjective: Sendable {
    /// The registry name ("dpo").
    var name: String { get }
    /// What `gradient` is taken with respect to.
    var gradientInput: SequenceGradientInput { get }

    /// Evaluates the whole batch. `gradient` holds `batch.count` floats and is overwritten with
    /// d(lossSum)/d(input). `weightSum` counts the units the loss averages over (pairs, groups or
    /// sequences, as each objective documents); divide by it, or call `evaluateMean`.
    func evaluate(_ batch: SequenceBatch, gradient: UnsafeMutableBufferPointer<Float>) throws -> ObjectiveValue
}

extension SequenceObjective {
    /// What `retort_objective_v1.sequence_loss` returns: the mean loss, with `gradient` holding
    /// d(mean loss)/d(input). No unit to average over gives loss 0 and a zero gradient.
    public func evaluateMean(_ batch: SequenceBatch, gradient: UnsafeMutableBufferPointer<Float>) throws -> Double {
        let value = try evaluate(batch, gradient: gradient)
        let inverse = value.weightSum > 0 ? 1 / value.weightSum : 0
        for index in gradient.indices { gradient[index] = Float(Double(gradient[index]) * inverse) }
        return value.loss
    }
}
