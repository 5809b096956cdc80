// An API key read from the environment variable the recipe names. The value never leaves this type
// except into the one request header that needs it: printing, dumping or interpolating a key (or a
// teacher holding one) shows only the variable's name, and error text from servers is scrubbed of it.
import Foundation

public struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The environment variable the key came from.
    public let variable: String
    private let value: String

    /// Reads `variable` from `environment`; surrounding whitespace (a pasted newline) is dropped.
    /// Throws `TeacherError.missingAPIKey` when it is unset or blank.
    public init(variable: String,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(TeacherError) {
        let value = environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if value.isEmpty { throw .missingAPIKey(variable: variable) }
        self.variable = variable
        self.value = value
    }

    /// The key itself, for the request header only.
    var secret: String { value }

    public var description: String { "API key from $\(variable)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["variable": variable]) }

    /// `text` with every occurrence of the key replaced, for server messages that echo it back.
    public func redact(_ text: String) -> String {
        text.replacingOccurrences(of: value, with: "[redacted $\(variable)]")
    }
}

extension TeacherError {
    /// The same error with the key scrubbed from every message a server could have written.
    func redacted(by key: APIKey?) -> TeacherError {
        guard let key else { return self }
        switch self {
        case .invalidRequest(let m): return .invalidRequest(key.redact(m))
        case .http(let status, let m, let retryAfter): return .http(status: status, message: key.redact(m), retryAfter: retryAfter)
        case .transport(let m): return .transport(key.redact(m))
        case .malformedResponse(let m): return .malformedResponse(key.redact(m))
        case .unsupported(let m): return .unsupported(key.redact(m))
        case .retriesExhausted(let attempts, let last): return .retriesExhausted(attempts: attempts, last: last.redacted(by: key))
        case .timeout, .missingAPIKey: return self
        }
    }
}
