// The body of POST /v1/chat/completions (and the sampling fields /v1/completions shares), read
// into the teacher protocol's request with OpenAI's names, defaults and ranges.
import RetortJSON
import RetortTeachers

struct ChatCompletionRequest {
    var model: String
    var messages: [ChatMessage]
    /// nil: up to the end of the model's context, as vLLM does.
    var maxTokens: Int?
    var sampling: TeacherSampling
    var n: Int
    var stop: [String]
    /// nil unless `logprobs` is true; then the number of alternatives (0 by default).
    var topLogprobs: Int?
    var stream: Bool
    var includeUsage: Bool

    static let roles: Set<String> = ["system", "developer", "user", "assistant", "tool"]

    init(_ fields: RequestFields) throws(OpenAIError) {
        guard let model = try fields.string("model") else { throw .missing("model") }
        self.model = model
        guard let list = fields.value("messages") else { throw .missing("messages") }
        guard let items = list.arrayValue else { throw .wrongType("messages", expected: "an array of messages", found: list) }
        guard !items.isEmpty else { throw .invalid("'messages' must contain at least one message.", param: "messages", code: "empty_array") }
        messages = []
        for (i, item) in items.enumerated() {
            guard item.objectValue != nil else { throw .wrongType("messages[\(i)]", expected: "an object", found: item) }
            var message: ChatMessage
            do { message = try ChatMessage(json: item) } catch {
                throw .invalid("Invalid 'messages[\(i)]': \(Self.reason(error)).", param: "messages[\(i)]")
            }
            guard Self.roles.contains(message.role) else {
                throw .invalid("Invalid 'messages[\(i)].role': '\(message.role)'; expected one of system, developer, user, assistant, tool.",
                               param: "messages[\(i)].role")
            }
            if message.role == "developer" { message.role = "system" }  // OpenAI's newer name for it
            messages.append(message)
        }
        let maxCompletionTokens = try fields.integer("max_completion_tokens", in: 1...Int(Int32.max))
        let legacyMaxTokens = try fields.integer("max_tokens", in: 1...Int(Int32.max))
        maxTokens = maxCompletionTokens ?? legacyMaxTokens
        sampling = try Self.sampling(fields)
        n = try fields.integer("n", in: 1...128) ?? 1
        stop = try fields.stringList("stop")
        let logprobs = try fields.bool("logprobs") ?? false
        let top = try fields.integer("top_logprobs", in: 0...20)
        if top != nil, !logprobs {
            throw .invalid("Invalid 'top_logprobs': 'logprobs' must be set to true when 'top_logprobs' is used.", param: "top_logprobs")
        }
        topLogprobs = logprobs ? (top ?? 0) : nil
        stream = try fields.bool("stream") ?? false
        includeUsage = false
        if let options = fields.value("stream_options") {
            guard options.objectValue != nil else { throw .wrongType("stream_options", expected: "an object", found: options) }
            guard stream else {
                throw .invalid("Invalid 'stream_options': only allowed when 'stream' is true.", param: "stream_options")
            }
            includeUsage = try RequestFields(object: options.objectValue!).bool("include_usage") ?? false
        }
        try Self.rejectUnsupported(fields)
    }

    /// temperature, top_p, top_k, min_p, repetition_penalty, seed.
    static func sampling(_ fields: RequestFields) throws(OpenAIError) -> TeacherSampling {
        var sampling = TeacherSampling()
        sampling.temperature = try fields.number("temperature", in: 0...2) ?? 1
        if let p = try fields.number("top_p", in: 0...1) {
            guard p > 0 else { throw .invalid("Invalid 'top_p': expected a value in (0, 1], but got 0 instead.", param: "top_p") }
            sampling.topP = p
        }
        // vLLM's convention: -1 (or 0) keeps every token.
        if let k = try fields.integer("top_k", in: -1...Int(Int32.max)) { sampling.topK = k > 0 ? k : nil }
        sampling.minP = try fields.number("min_p", in: 0...1)
        if let r = try fields.number("repetition_penalty") {
            guard r > 0 else { throw .invalid("Invalid 'repetition_penalty': expected a value > 0, but got \(RequestFields.text(r)) instead.", param: "repetition_penalty") }
            sampling.repetitionPenalty = r
        }
        if let seed = try fields.integer("seed") { sampling.seed = UInt64(bitPattern: Int64(seed)) }
        return sampling
    }

    /// Fields whose meaning this server cannot honour are refused rather than silently ignored.
    static func rejectUnsupported(_ fields: RequestFields) throws(OpenAIError) {
        try fields.rejectNonZero("presence_penalty", why: "is not supported; use 'repetition_penalty'")
        try fields.rejectNonZero("frequency_penalty", why: "is not supported; use 'repetition_penalty'")
        for name in ["tools", "functions", "logit_bias"] {
            if let value = fields.value(name), value != [], value != [:] {
                throw .unsupported(name, "is not supported by retort serve")
            }
        }
        if let format = fields.value("response_format"), format["type"]?.stringValue != "text" {
            throw .unsupported("response_format", "is not supported by retort serve (only {\"type\": \"text\"})")
        }
    }

    static func reason(_ error: TeacherError) -> String {
        if case .invalidRequest(let message) = error { return message }
        return error.errorDescription ?? "\(error)"
    }
}

extension RequestFields {
    init(object: [String: JSONValue]) { self.object = object }
}
