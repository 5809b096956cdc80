// The body of POST /v1/completions (OpenAI's legacy text completions): a plain prompt, as text or
// token ids, continued without a chat template. With `echo` and `logprobs` it returns the prompt's
// own token log-probabilities, and `max_tokens: 0` then scores the prompt without generating: the
// way API teachers are asked to score a given text.
import RetortJSON
import RetortTeachers

struct TextCompletionRequest {
    enum Prompt {
        case text(String)
        case tokens([Int32])
    }

    var model: String
    var prompt: Prompt
    var maxTokens: Int
    var sampling: TeacherSampling
    var n: Int
    var stop: [String]
    /// nil: none; k: each token's log-probability and k alternatives.
    var logprobs: Int?
    var echo: Bool
    var stream: Bool
    var includeUsage: Bool

    init(_ fields: RequestFields) throws(OpenAIError) {
        guard let model = try fields.string("model") else { throw .missing("model") }
        self.model = model
        guard let value = fields.value("prompt") else { throw .missing("prompt") }
        prompt = try Self.prompt(value)
        echo = try fields.bool("echo") ?? false
        // OpenAI's default for this endpoint is 16; 0 is only meaningful with echo (scoring).
        maxTokens = try fields.integer("max_tokens", in: 0...Int(Int32.max)) ?? 16
        if maxTokens == 0, !echo {
            throw .invalid("Invalid 'max_tokens': 0 is only allowed with 'echo': true (to score the prompt).", param: "max_tokens")
        }
        sampling = try ChatCompletionRequest.sampling(fields)
        n = try fields.integer("n", in: 1...128) ?? 1
        if let bestOf = try fields.integer("best_of"), bestOf != n {
            throw .unsupported("best_of", "is not supported unless it equals 'n'")
        }
        stop = try fields.stringList("stop")
        logprobs = try fields.integer("logprobs", in: 0...20)
        if let suffix = try fields.string("suffix"), !suffix.isEmpty {
            throw .unsupported("suffix", "is not supported by retort serve")
        }
        stream = try fields.bool("stream") ?? false
        if stream, echo, logprobs != nil {
            throw .unsupported("echo", "with 'logprobs' is not supported while streaming")
        }
        includeUsage = false
        if let options = fields.value("stream_options") {
            guard options.objectValue != nil else { throw .wrongType("stream_options", expected: "an object", found: options) }
            guard stream else { throw .invalid("Invalid 'stream_options': only allowed when 'stream' is true.", param: "stream_options") }
            includeUsage = try RequestFields(object: options.objectValue!).bool("include_usage") ?? false
        }
        try ChatCompletionRequest.rejectUnsupported(fields)
    }

    /// A string, a list holding one string, or a list of token ids.
    static func prompt(_ value: JSONValue) throws(OpenAIError) -> Prompt {
        if let text = value.stringValue { return .text(text) }
        guard let items = value.arrayValue else {
            throw .wrongType("prompt", expected: "a string, an array of one string, or an array of token ids", found: value)
        }
        if items.count == 1, let text = items[0].stringValue { return .text(text) }
        var ids: [Int32] = []
        for item in items {
            guard let n = item.doubleValue, n == n.rounded(), n >= 0, n <= Double(Int32.max) else {
                if item.stringValue != nil {
                    throw .invalid("Invalid 'prompt': a list of several prompts is not supported; send one prompt per request.", param: "prompt")
                }
                throw .wrongType("prompt", expected: "a string, an array of one string, or an array of token ids", found: item)
            }
            ids.append(Int32(n))
        }
        guard !ids.isEmpty else { throw .invalid("Invalid 'prompt': the prompt is empty.", param: "prompt") }
        return .tokens(ids)
    }
}
