// The body of POST /chat/completions for a TeacherRequest. Standard fields always; the sampling
// knobs OpenAI lacks (top_k, min_p, repetition_penalty, which vLLM and llama.cpp accept) only
// when the request sets them, so strict servers never see unknown fields they were not asked for.
import RetortJSON

enum OpenAIChatRequest {
    static func body(for request: TeacherRequest, model: String) -> String {
        let sampling = request.sampling
        var object: [String: JSONValue] = [
            "model": .string(model),
            "messages": .array(request.messages.map(\.json)),
            "max_tokens": .number(Double(request.maxTokens)),
            "temperature": .number(sampling.temperature),
            "top_p": .number(sampling.topP),
            "n": .number(Double(request.n)),
        ]
        if !request.stop.isEmpty { object["stop"] = .array(request.stop.map { .string($0) }) }
        if let k = request.topLogprobs {
            object["logprobs"] = true
            object["top_logprobs"] = .number(Double(k))
        }
        if let k = sampling.topK { object["top_k"] = .number(Double(k)) }
        if let p = sampling.minP { object["min_p"] = .number(p) }
        if let r = sampling.repetitionPenalty { object["repetition_penalty"] = .number(r) }
        let text = JSONValue.object(object).jsonText
        // JSON numbers here are doubles, exact only up to 2^53; the seed is written as its exact
        // decimal digits instead, as the first member.
        guard let seed = sampling.seed else { return text }
        return "{\"seed\":\(seed)," + text.dropFirst()
    }
}
