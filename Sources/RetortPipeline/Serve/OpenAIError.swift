// An error as OpenAI's API reports it: an HTTP status and the body
// {"error": {"message", "type", "param", "code"}}, so OpenAI clients raise their usual exceptions
// (BadRequestError, NotFoundError…) with our message.
import RetortJSON

struct OpenAIError: Error, Sendable {
    var status: Int
    var message: String
    var type: String
    var param: String?
    var code: String?
    /// For 405: the method the path takes (sent as the Allow header).
    var allow: String? = nil

    var json: JSONValue {
        ["error": ["message": .string(message), "type": .string(type),
                   "param": param.map { .string($0) } ?? .null, "code": code.map { .string($0) } ?? .null]]
    }

    /// 400: the request is wrong; `param` names the field.
    static func invalid(_ message: String, param: String? = nil, code: String? = "invalid_value") -> OpenAIError {
        OpenAIError(status: 400, message: message, type: "invalid_request_error", param: param, code: code)
    }

    static func wrongType(_ param: String, expected: String, found: JSONValue) -> OpenAIError {
        invalid("Invalid type for '\(param)': expected \(expected), but got \(found.typeName) instead.", param: param,
                code: "invalid_type")
    }

    static func missing(_ param: String) -> OpenAIError {
        invalid("Missing required parameter: '\(param)'.", param: param, code: "missing_required_parameter")
    }

    static func unsupported(_ param: String, _ why: String) -> OpenAIError {
        invalid("Unsupported parameter: '\(param)' \(why).", param: param, code: "unsupported_parameter")
    }

    static func modelNotFound(_ name: String, served: String) -> OpenAIError {
        OpenAIError(status: 404, message: "The model `\(name)` does not exist; this server serves `\(served)`.",
                    type: "invalid_request_error", param: "model", code: "model_not_found")
    }

    static func contextLengthExceeded(promptTokens: Int, contextLength: Int) -> OpenAIError {
        invalid("This model's maximum context length is \(contextLength) tokens. However, your messages resulted in \(promptTokens) tokens. Please reduce the length of the messages.",
                param: "messages", code: "context_length_exceeded")
    }

    static func notFound(method: String, path: String) -> OpenAIError {
        OpenAIError(status: 404, message: "Unknown request URL: \(method) \(path). Endpoints: GET /v1/models, POST /v1/chat/completions, POST /v1/completions.",
                    type: "invalid_request_error", param: nil, code: "unknown_url")
    }

    static func methodNotAllowed(method: String, path: String, allowed: String) -> OpenAIError {
        OpenAIError(status: 405, message: "\(method) is not allowed on \(path); use \(allowed).",
                    type: "invalid_request_error", param: nil, code: "method_not_allowed", allow: allowed)
    }

    static func server(_ message: String) -> OpenAIError {
        OpenAIError(status: 500, message: message, type: "server_error", param: nil, code: nil)
    }
}
