// The JSON shapes of OpenAI's responses, built from generation results: chat completions and
// their stream chunks, text completions, the two log-probability formats (chat's `content` list
// with bytes, legacy completions' parallel arrays), usage, and the model list.
import Foundation
import RetortJSON
import RetortModels
import RetortTeachers

struct OpenAIResponseJSON: Sendable {
    let teacher: LocalTeacher
    let model: String
    let id: String
    let created: Int

    init(teacher: LocalTeacher, model: String, idPrefix: String) {
        self.teacher = teacher
        self.model = model
        id = idPrefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        created = Int(Date().timeIntervalSince1970)
    }

    static func usage(prompt: Int, completion: Int) -> JSONValue {
        ["prompt_tokens": .number(Double(prompt)), "completion_tokens": .number(Double(completion)),
         "total_tokens": .number(Double(prompt + completion))]
    }

    static func usage(_ results: [GenerationResult], prompt: Int) -> JSONValue {
        usage(prompt: prompt, completion: results.reduce(0) { $0 + $1.tokens.count })
    }

    // MARK: Chat

    func chatCompletion(_ results: [GenerationResult], promptTokens: Int) -> JSONValue {
        let choices: [JSONValue] = results.enumerated().map { index, result in
            ["index": .number(Double(index)), "message": ["role": "assistant", "content": .string(result.text)],
             "logprobs": result.logprobs.map(chatLogprobs) ?? .null, "finish_reason": .string(result.finishReason.rawValue)]
        }
        return ["id": .string(id), "object": "chat.completion", "created": .number(Double(created)), "model": .string(model),
                "choices": .array(choices), "usage": Self.usage(results, prompt: promptTokens)]
    }

    /// {"content": [{"token", "logprob", "bytes", "top_logprobs": [{"token", "logprob", "bytes"}]}]}
    func chatLogprobs(_ entries: [GeneratedTokenLogprob]) -> JSONValue {
        ["content": .array(entries.map { entry in
            var item = tokenJSON(entry.id, entry.logprob)
            item["top_logprobs"] = .array(entry.top.map { .object(tokenJSON($0.id, $0.logprob)) })
            return .object(item)
        })]
    }

    private func tokenJSON(_ id: Int32, _ logprob: Float) -> [String: JSONValue] {
        ["token": .string(teacher.tokenText(id)), "logprob": .number(Double(logprob)),
         "bytes": .array(teacher.tokenBytes(id).map { .number(Double($0)) })]
    }

    /// One `chat.completion.chunk`; with `include_usage` every chunk carries "usage": null.
    func chatChunk(_ choices: [JSONValue], includeUsage: Bool, usage: JSONValue = .null) -> JSONValue {
        var chunk: [String: JSONValue] = ["id": .string(id), "object": "chat.completion.chunk",
                                          "created": .number(Double(created)), "model": .string(model), "choices": .array(choices)]
        if includeUsage { chunk["usage"] = usage }
        return .object(chunk)
    }

    static func chatDelta(index: Int, delta: JSONValue, logprobs: JSONValue = .null, finishReason: String? = nil) -> JSONValue {
        ["index": .number(Double(index)), "delta": delta, "logprobs": logprobs,
         "finish_reason": finishReason.map { .string($0) } ?? .null]
    }

    // MARK: Text completions

    /// Prompt-token log-probabilities (for echo): the first token has none, as in OpenAI's API.
    struct PromptLogprobs: Sendable {
        var tokens: [Int32]
        var logprobs: [Float?]
        var top: [[TokenAlternative]?]
    }

    func textCompletion(_ results: [GenerationResult], promptText: String, promptTokens: Int, echo: PromptLogprobs?,
                        echoText: Bool, topLogprobs: Int?) -> JSONValue {
        let choices: [JSONValue] = results.enumerated().map { index, result in
            textChoice(index: index, text: result.text, entries: result.logprobs ?? [], promptText: echoText ? promptText : nil, echo: echo,
                       topLogprobs: topLogprobs, finishReason: result.finishReason.rawValue)
        }
        return ["id": .string(id), "object": "text_completion", "created": .number(Double(created)), "model": .string(model),
                "choices": .array(choices), "usage": Self.usage(results, prompt: promptTokens)]
    }

    /// One choice; `promptText` is prepended (echo), and `echo`'s tokens lead the log-probabilities.
    func textChoice(index: Int, text: String, entries: [GeneratedTokenLogprob], promptText: String?, echo: PromptLogprobs?,
                    topLogprobs: Int?, finishReason: String?) -> JSONValue {
        var logprobs = JSONValue.null
        if topLogprobs != nil {
            var tokens: [Int32] = [], values: [Float?] = [], tops: [[TokenAlternative]?] = []
            if let echo {
                tokens += echo.tokens
                values += echo.logprobs
                tops += echo.top
            }
            for entry in entries {
                tokens.append(entry.id)
                values.append(entry.logprob)
                tops.append(entry.top)
            }
            logprobs = legacyLogprobs(tokens: tokens, logprobs: values, top: tops)
        }
        return ["index": .number(Double(index)), "text": .string((promptText ?? "") + text), "logprobs": logprobs,
                "finish_reason": finishReason.map { .string($0) } ?? .null]
    }

    /// {"tokens", "token_logprobs", "top_logprobs": [{token: logprob}], "text_offset"}
    func legacyLogprobs(tokens: [Int32], logprobs: [Float?], top: [[TokenAlternative]?]) -> JSONValue {
        var offsets: [JSONValue] = []
        var offset = 0
        let texts = tokens.map(teacher.tokenText)
        for text in texts {
            offsets.append(.number(Double(offset)))
            offset += text.unicodeScalars.count
        }
        let tops: [JSONValue] = top.map { alternatives in
            guard let alternatives else { return .null }
            var object: [String: JSONValue] = [:]
            for alternative in alternatives where object[teacher.tokenText(alternative.id)] == nil {
                object[teacher.tokenText(alternative.id)] = .number(Double(alternative.logprob))
            }
            return .object(object)
        }
        return ["tokens": .array(texts.map { .string($0) }),
                "token_logprobs": .array(logprobs.map { $0.map { .number(Double($0)) } ?? .null }),
                "top_logprobs": .array(tops), "text_offset": .array(offsets)]
    }

    func textChunk(_ choices: [JSONValue], includeUsage: Bool, usage: JSONValue = .null) -> JSONValue {
        var chunk: [String: JSONValue] = ["id": .string(id), "object": "text_completion", "created": .number(Double(created)),
                                          "model": .string(model), "choices": .array(choices)]
        if includeUsage { chunk["usage"] = usage }
        return .object(chunk)
    }

    // MARK: Models

    static func modelObject(_ name: String, created: Int) -> JSONValue {
        ["id": .string(name), "object": "model", "created": .number(Double(created)), "owned_by": "retort"]
    }
}
