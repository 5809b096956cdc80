// Choosing the next token from logits: greedy at temperature 0, else softmax at a temperature
// after a repetition penalty (CTRL's rule: divide positive logits, multiply negative ones), with
// top-k, top-p (nucleus) and min-p truncation, from a seeded generator so a seed repeats a sample.
import Foundation
import RetortTensor

public struct SamplingParameters: Sendable, Equatable {
    public var temperature: Float = 0
    /// Keep the k most probable tokens (0 = all).
    public var topK = 0
    /// Keep the smallest set whose probability reaches p (1 = all).
    public var topP: Float = 1
    /// Drop tokens less probable than minP × the most probable one (0 = none).
    public var minP: Float = 0
    /// > 1 discourages tokens already in the context (1 = off).
    public var repetitionPenalty: Float = 1
    public var seed: UInt64 = 0

    public init() {}

    /// Checks the ranges and names the first parameter out of range.
    public func validate() throws(SamplingError) {
        guard temperature.isFinite, temperature >= 0 else { throw .outOfRange("temperature", "≥ 0", Double(temperature)) }
        guard topK >= 0 else { throw .outOfRange("top_k", "≥ 0", Double(topK)) }
        guard topP > 0, topP <= 1 else { throw .outOfRange("top_p", "in (0, 1]", Double(topP)) }
        guard minP >= 0, minP <= 1 else { throw .outOfRange("min_p", "in [0, 1]", Double(minP)) }
        guard repetitionPenalty > 0, repetitionPenalty.isFinite else {
            throw .outOfRange("repetition_penalty", "> 0", Double(repetitionPenalty))
        }
    }
}

public enum SamplingError: Error, LocalizedError, Equatable {
    case outOfRange(String, String, Double)
    public var errorDescription: String? {
        switch self {
        case .outOfRange(let name, let allowed, let value): "\(name) must be \(allowed), got \(value)"
        }
    }
}

public struct Sampler: Sendable {
    public let parameters: SamplingParameters
    var generator: SplitMix64

    public init(_ parameters: SamplingParameters) throws(SamplingError) {
        try parameters.validate()
        self.parameters = parameters
        generator = SplitMix64(seed: parameters.seed)
    }

    /// The next token given `logits` (one row of the vocabulary) and the tokens so far.
    public mutating func next(logits: [Float], context: [Int32]) -> Int32 {
        var scores = logits
        if parameters.repetitionPenalty != 1 {
            for token in Set(context) where Int(token) < scores.count {
                let s = scores[Int(token)]
                scores[Int(token)] = s > 0 ? s / parameters.repetitionPenalty : s * parameters.repetitionPenalty
            }
        }
        if parameters.temperature == 0 {
            var best = 0
            for j in 1..<scores.count where scores[j] > scores[best] { best = j }
            return Int32(best)
        }
        // Unnormalized probabilities relative to the top token (which has 1).
        let maxScore = scores.max() ?? 0
        var candidates = scores.indices.map { (id: $0, p: exp(Double((scores[$0] - maxScore) / parameters.temperature))) }
        // Top-k and top-p need the candidates in order; sorting the whole vocabulary is skipped
        // when neither is asked for (min-p needs only the top, which is 1 here).
        if parameters.topK > 0 || parameters.topP < 1 {
            candidates.sort { $0.p > $1.p }
            if parameters.topK > 0, parameters.topK < candidates.count { candidates.removeLast(candidates.count - parameters.topK) }
            if parameters.topP < 1 {
                let total = candidates.reduce(0) { $0 + $1.p }
                var kept = 0.0, count = 0
                for c in candidates {
                    kept += c.p
                    count += 1
                    if kept >= Double(parameters.topP) * total { break }
                }
                candidates.removeLast(candidates.count - count)
            }
        }
        if parameters.minP > 0 { candidates.removeAll { $0.p < Double(parameters.minP) } }
        let total = candidates.reduce(0) { $0 + $1.p }
        var draw = Double(generator.next() >> 11) / Double(1 << 53) * total
        for c in candidates {
            draw -= c.p
            if draw < 0 { return Int32(c.id) }
        }
        return Int32(candidates.last?.id ?? 0)
    }
}
