// What one generation call asks for: the token budget, sampling, stop strings, how many
// independent choices (choice i samples with seed + i), and whether to report log-probabilities.
import Foundation

public struct GenerationOptions: Sendable, Equatable {
    /// New tokens per choice at most (fewer when the model's context ends first).
    public var maxTokens: Int
    public var sampling: SamplingParameters
    /// Generation stops when one of these appears; the returned text ends before it.
    public var stopStrings: [String]
    /// Independent completions of the same prompt; choice i samples with `sampling.seed + i`.
    public var n: Int
    /// nil: no log-probabilities; k ≥ 0: each token's log-probability and its k most likely alternatives.
    public var topLogprobs: Int?

    public init(maxTokens: Int, sampling: SamplingParameters = SamplingParameters(), stopStrings: [String] = [],
                n: Int = 1, topLogprobs: Int? = nil) {
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stopStrings = stopStrings
        self.n = n
        self.topLogprobs = topLogprobs
    }

    /// Checks every field and names the first one out of range.
    public func validate() throws(GenerationError) {
        do { try sampling.validate() } catch { throw .invalidOption(error.errorDescription ?? "\(error)") }
        guard maxTokens >= 1 else { throw .invalidOption("max_tokens must be at least 1, got \(maxTokens)") }
        guard n >= 1 else { throw .invalidOption("n must be at least 1, got \(n)") }
        if let k = topLogprobs, k < 0 { throw .invalidOption("top_logprobs must be ≥ 0, got \(k)") }
        if stopStrings.contains("") { throw .invalidOption("a stop string must not be empty") }
    }
}

/// Text of one choice that became final while generating, with the tokens that made it.
public struct GenerationStep: Sendable {
    /// Which choice (0..<n) the text belongs to.
    public let choice: Int
    /// New text; never part of a stop string (text that could still become one is held back).
    public let text: String
    /// Log-probabilities of the tokens released with `text` (empty unless asked for).
    public let logprobs: [GeneratedTokenLogprob]
}

public enum GenerationError: Error, LocalizedError, Equatable, Sendable {
    case invalidOption(String)
    /// The prompt fills the model's context: nothing can be generated after it.
    case promptTooLong(promptTokens: Int, contextLength: Int)
    /// Teacher forcing was asked for something it cannot score.
    case invalidScoring(String)

    public var errorDescription: String? {
        switch self {
        case .invalidOption(let message): message
        case .promptTooLong(let prompt, let context):
            "the prompt has \(prompt) tokens, but the model's context holds \(context); shorten the prompt"
        case .invalidScoring(let message): "cannot score: \(message)"
        }
    }
}

/// Lets another thread stop a generation between two tokens (a client that went away).
public final class GenerationCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    public init() {}

    public func cancel() { lock.withLock { cancelled = true } }
    public var isCancelled: Bool { lock.withLock { cancelled } }
}
