// A weighted sum of sequence-level objectives, L = Σ_k w_k L_k, where each L_k is that objective's
// mean (their averaging units differ: pairs, groups, sequences). All parts must differentiate the
// same input (all log-probs, or all rewards).
import Foundation

public struct SequenceObjectiveMixture: SequenceObjective {
    public struct Part: Sendable {
        public var weight: Double
        public var objective: any SequenceObjective

        public init(weight: Double, objective: any SequenceObjective) {
            self.weight = weight
            self.objective = objective
        }
    }

    public let parts: [Part]
    public let gradientInput: SequenceGradientInput

    public init(_ parts: [Part]) throws {
        guard let first = parts.first else { throw ObjectiveError.invalidMixture(reason: "it has no parts") }
        for part in parts {
            if !(part.weight.isFinite && part.weight >= 0) {
                throw ObjectiveError.invalidMixture(
                    reason: "weight of '\(part.objective.name)' is \(part.weight); weights must be finite and >= 0")
            }
            if part.objective.gradientInput != first.objective.gradientInput {
                throw ObjectiveError.invalidMixture(
                    reason: "'\(part.objective.name)' differentiates \(part.objective.gradientInput.rawValue) but "
                        + "'\(first.objective.name)' differentiates \(first.objective.gradientInput.rawValue)")
            }
        }
        self.parts = parts
        self.gradientInput = first.objective.gradientInput
    }

    public var name: String {
        parts.map { "\($0.weight)·\($0.objective.name)" }.joined(separator: " + ")
    }

    /// Returns weightSum 1 and lossSum Σ_k w_k mean_k, with the matching gradient.
    public func evaluate(_ batch: SequenceBatch, gradient: UnsafeMutableBufferPointer<Float>) throws -> ObjectiveValue {
        try batch.validate(gradientCount: gradient.count)
        var total = [Double](repeating: 0, count: batch.count)
        var scratch = [Float](repeating: 0, count: batch.count)
        var loss = 0.0
        for part in parts {
            let mean = try scratch.withUnsafeMutableBufferPointer { try part.objective.evaluateMean(batch, gradient: $0) }
            loss += part.weight * mean
            for index in 0..<batch.count { total[index] += part.weight * Double(scratch[index]) }
        }
        for index in 0..<batch.count { gradient[index] = Float(total[index]) }
        return ObjectiveValue(lossSum: loss, weightSum: 1)
    }
}
