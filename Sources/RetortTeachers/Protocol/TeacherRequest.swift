// A chat-completion request to any teacher. Its canonical JSON (sorted keys) is what the run
// store hashes, with the teacher's identity, to cache calls: equal requests never pay twice.
import RetortJSON

public struct TeacherSampling: Sendable, Hashable {
    public var temperature: Double = 1
    public var topP: Double = 1
    public var topK: Int? = nil
    public var minP: Double? = nil
    public var repetitionPenalty: Double? = nil
    /// Same seed, same request → same output on backends that honour seeds (local always does).
    public var seed: UInt64? = nil

    public init(temperature: Double = 1, topP: Double = 1, topK: Int? = nil, minP: Double? = nil,
                repetitionPenalty: Double? = nil, seed: UInt64? = nil) {
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.seed = seed
    }
}

public struct TeacherRequest: Sendable, Hashable {
    public var messages: [ChatMessage]
    public var maxTokens: Int
    public var sampling: TeacherSampling
    /// Number of independent completions.
    public var n: Int
    public var stop: [String]
    /// nil: no log-probabilities; k ≥ 0: the chosen token's log-probability and k alternatives.
    public var topLogprobs: Int?

    public init(messages: [ChatMessage], maxTokens: Int = 256, sampling: TeacherSampling = TeacherSampling(),
                n: Int = 1, stop: [String] = [], topLogprobs: Int? = nil) {
        self.messages = messages
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.n = n
        self.stop = stop
        self.topLogprobs = topLogprobs
    }

    /// Rejects values no backend accepts, before anything is sent.
    public func validate() throws(TeacherError) {
        if messages.isEmpty { throw .invalidRequest("a request needs at least one message") }
        if maxTokens < 1 { throw .invalidRequest("max_tokens must be at least 1, got \(maxTokens)") }
        if n < 1 { throw .invalidRequest("n must be at least 1, got \(n)") }
        if !(sampling.temperature >= 0) { throw .invalidRequest("temperature must be ≥ 0, got \(sampling.temperature)") }
        if !(sampling.topP > 0 && sampling.topP <= 1) { throw .invalidRequest("top_p must be in (0, 1], got \(sampling.topP)") }
        if let k = sampling.topK, k < 0 { throw .invalidRequest("top_k must be ≥ 0, got \(k)") }
        if let p = sampling.minP, !(p >= 0 && p <= 1) { throw .invalidRequest("min_p must be in [0, 1], got \(p)") }
        if let r = sampling.repetitionPenalty, !(r > 0) { throw .invalidRequest("repetition_penalty must be > 0, got \(r)") }
        if let k = topLogprobs, k < 0 || k > 20 { throw .invalidRequest("top_logprobs must be in 0…20, got \(k)") }
    }

    /// Every field, in a stable form (the cache key hashes `jsonText` of this).
    public var canonicalJSON: JSONValue {
        var sampling: [String: JSONValue] = [
            "temperature": .number(self.sampling.temperature), "top_p": .number(self.sampling.topP),
        ]
        if let v = self.sampling.topK { sampling["top_k"] = .number(Double(v)) }
        if let v = self.sampling.minP { sampling["min_p"] = .number(v) }
        if let v = self.sampling.repetitionPenalty { sampling["repetition_penalty"] = .number(v) }
        if let v = self.sampling.seed { sampling["seed"] = .string(String(v)) }
        var object: [String: JSONValue] = [
            "messages": .array(messages.map(\.json)), "max_tokens": .number(Double(maxTokens)),
            "sampling": .object(sampling), "n": .number(Double(n)), "stop": .array(stop.map { .string($0) }),
        ]
        if let k = topLogprobs { object["top_logprobs"] = .number(Double(k)) }
        return .object(object)
    }
}
