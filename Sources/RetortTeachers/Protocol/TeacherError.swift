// Every way a teacher call fails, with enough to say what to do. `isRetryable` drives the retry
// policy: rate limits, server errors, timeouts and broken responses are retried, bad requests and
// authentication failures are not.
import Foundation

public enum TeacherError: Error, LocalizedError, Sendable, Equatable {
    /// The request itself is wrong (the caller must change it).
    case invalidRequest(String)
    /// HTTP status from the server, its message, and the Retry-After delay it asked for.
    case http(status: Int, message: String, retryAfter: Double?)
    case timeout(seconds: Double)
    /// Connection refused, reset, DNS…
    case transport(String)
    /// The server answered, but not with what the protocol promises (truncated or malformed JSON…).
    case malformedResponse(String)
    /// The key's environment variable is unset or empty.
    case missingAPIKey(variable: String)
    /// The backend cannot do what was asked (e.g. logprobs from a backend without them).
    case unsupported(String)
    /// The request policy gave up: `attempts` calls were made and every one failed; `last` is why
    /// the last one did.
    indirect case retriesExhausted(attempts: Int, last: TeacherError)

    public var isRetryable: Bool {
        switch self {
        case .http(let status, _, _): status == 408 || status == 409 || status == 429 || status >= 500
        case .timeout, .transport, .malformedResponse: true
        case .invalidRequest, .missingAPIKey, .unsupported, .retriesExhausted: false
        }
    }

    public var errorDescription: String? {
        switch self {
        case .invalidRequest(let m): "invalid teacher request: \(m)"
        case .http(let status, let message, _): "teacher answered HTTP \(status): \(message)"
        case .timeout(let s): "teacher did not answer within \(s) s (raise the timeout in the recipe's teacher block)"
        case .transport(let m): "could not reach the teacher: \(m)"
        case .malformedResponse(let m): "teacher response is malformed: \(m)"
        case .missingAPIKey(let v): "the environment variable \(v) holding the teacher's API key is not set; export it, or change `api_key_env` in the recipe"
        case .unsupported(let m): "teacher cannot do this: \(m)"
        case .retriesExhausted(let attempts, let last):
            "gave up after \(attempts) attempts; the last failed with: \(last.errorDescription ?? "\(last)")"
        }
    }
}

extension TeacherError {
    /// The failure itself, with the policy's "gave up after n attempts" taken off.
    public var lastCause: TeacherError {
        if case .retriesExhausted(_, let last) = self { return last.lastCause }
        return self
    }
}
