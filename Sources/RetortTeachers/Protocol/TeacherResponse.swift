// What a teacher returns: one choice per requested completion, with optional per-token
// log-probabilities, and the token usage the cost accounting reads. Round-trips through JSON so
// the run store can cache it.
import RetortJSON

public struct TopLogprob: Sendable, Hashable {
    public var token: String
    public var logprob: Double
    public init(token: String, logprob: Double) {
        self.token = token
        self.logprob = logprob
    }
}

public struct TokenLogprob: Sendable, Hashable {
    public var token: String
    public var logprob: Double
    /// The most likely alternatives at this position, most likely first (may include `token`).
    public var top: [TopLogprob]
    public init(token: String, logprob: Double, top: [TopLogprob] = []) {
        self.token = token
        self.logprob = logprob
        self.top = top
    }
}

public struct TeacherChoice: Sendable, Hashable {
    public var text: String
    /// "stop", "length", or what the backend reported.
    public var finishReason: String
    public var logprobs: [TokenLogprob]?
    public init(text: String, finishReason: String, logprobs: [TokenLogprob]? = nil) {
        self.text = text
        self.finishReason = finishReason
        self.logprobs = logprobs
    }
}

public struct TokenUsage: Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int
    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
    public static let zero = TokenUsage(promptTokens: 0, completionTokens: 0)
    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage {
        TokenUsage(promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens)
    }
}

public struct TeacherResponse: Sendable, Hashable {
    public var choices: [TeacherChoice]
    public var usage: TokenUsage
    /// The model name the backend reported.
    public var model: String

    public init(choices: [TeacherChoice], usage: TokenUsage, model: String) {
        self.choices = choices
        self.usage = usage
        self.model = model
    }

    public var json: JSONValue {
        let choices: [JSONValue] = self.choices.map { choice in
            var object: [String: JSONValue] = ["text": .string(choice.text), "finish_reason": .string(choice.finishReason)]
            if let logprobs = choice.logprobs {
                object["logprobs"] = .array(logprobs.map { entry in
                    ["token": .string(entry.token), "logprob": .number(entry.logprob),
                     "top": .array(entry.top.map { ["token": .string($0.token), "logprob": .number($0.logprob)] })]
                })
            }
            return .object(object)
        }
        return ["choices": .array(choices), "model": .string(model),
                "usage": ["prompt_tokens": .number(Double(usage.promptTokens)),
                          "completion_tokens": .number(Double(usage.completionTokens))]]
    }

    /// Reads what `json` wrote (a cached response).
    public init(json: JSONValue) throws(TeacherError) {
        guard let items = json["choices"]?.arrayValue, let model = json["model"]?.stringValue,
              let prompt = json["usage"]?["prompt_tokens"]?.doubleValue,
              let completion = json["usage"]?["completion_tokens"]?.doubleValue
        else { throw .malformedResponse("a stored response needs choices, model and usage") }
        var choices: [TeacherChoice] = []
        for item in items {
            guard let text = item["text"]?.stringValue, let finish = item["finish_reason"]?.stringValue else {
                throw .malformedResponse("a stored choice needs text and finish_reason")
            }
            var logprobs: [TokenLogprob]?
            if let entries = item["logprobs"]?.arrayValue {
                logprobs = try entries.map { entry throws(TeacherError) in
                    guard let token = entry["token"]?.stringValue, let logprob = entry["logprob"]?.doubleValue else {
                        throw .malformedResponse("a stored log-probability needs token and logprob")
                    }
                    let top = (entry["top"]?.arrayValue ?? []).compactMap { alt -> TopLogprob? in
                        guard let t = alt["token"]?.stringValue, let l = alt["logprob"]?.doubleValue else { return nil }
                        return TopLogprob(token: t, logprob: l)
                    }
                    return TokenLogprob(token: token, logprob: logprob, top: top)
                }
            }
            choices.append(TeacherChoice(text: text, finishReason: finish, logprobs: logprobs))
        }
        self.init(choices: choices, usage: TokenUsage(promptTokens: Int(prompt), completionTokens: Int(completion)), model: model)
    }
}
