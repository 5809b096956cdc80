// A weighted sum of token-level objectives, L = Σ_k w_k L_k (the survey's Eq. 2 summed over what
// the skills ask for, e.g. 0.5·sft + 0.5·reverse-kl), accumulating every part's gradient in place.
import Foundation

public struct TokenObjectiveMixture: GradientAccumulatingTokenObjective {
    public struct Part: Sendable {
        public var weight: Double
        public var objective: any TokenObjective

        public init(weight: Double, objective: any TokenObjective) {
            self.weight = weight
            self.objective = objective
        }
    }

    public let parts: [Part]

    /// Parts need finite weights >= 0 and at least one part.
    public init(_ parts: [Part]) throws {
        guard !parts.isEmpty else { throw ObjectiveError.invalidMixture(reason: "it has no parts") }
        for part in parts where !(part.weight.isFinite && part.weight >= 0) {
            throw ObjectiveError.invalidMixture(
                reason: "weight of '\(part.objective.name)' is \(part.weight); weights must be finite and >= 0")
        }
        self.parts = parts
    }

    public var name: String {
        parts.map { "\($0.weight)·\($0.objective.name)" }.joined(separator: " + ")
    }

    /// All parts share the batch's loss mask, so the mixture's weight is that of any part and its
    /// loss sum is Σ_k w_k lossSum_k. A part that cannot accumulate is evaluated into a scratch
    /// buffer of the chunk's size and added.
    public func accumulate(
        _ batch: TokenBatch, rows: Range<Int>, into gradient: UnsafeMutableBufferPointer<Float>, scale: Double
    ) throws -> ObjectiveValue {
        try batch.validateShape(rows: rows, gradientCount: gradient.count)
        var lossSum = 0.0
        var weightSum = 0.0
        var scratch: [Float] = []
        for part in parts {
            let value: ObjectiveValue
            if let accumulating = part.objective as? any GradientAccumulatingTokenObjective {
                value = try accumulating.accumulate(batch, rows: rows, into: gradient, scale: scale * part.weight)
            } else {
                if scratch.isEmpty { scratch = [Float](repeating: 0, count: gradient.count) }
                value = try scratch.withUnsafeMutableBufferPointer { buffer in
                    try part.objective.evaluate(batch, rows: rows, gradient: buffer)
                }
                let factor = Float(scale * part.weight)
                for index in gradient.indices { gradient[index] += factor * scratch[index] }
            }
            lossSum += part.weight * value.lossSum
            weightSum = value.weightSum
        }
        return ObjectiveValue(lossSum: lossSum, weightSum: weightSum)
    }
}
