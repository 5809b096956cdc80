// The teacher requests strategies make, with the stage's sampling and a seed derived from the
// unit, so a re-run asks exactly the same thing (and hits the call cache).
import RetortJSON
import RetortTeachers

extension StageEngine {
    /// A per-unit seed: the stage's seed mixed with a stable hash of the unit id and a salt, kept
    /// below 2^31 because servers read `seed` as a JSON integer (exact only up to 2^53, and some
    /// take 32 bits).
    public func seed(unit: String, salt: Int = 0) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(unit)#\(salt)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return ((stage.sampling.seed ?? 0) ^ hash) & 0x7FFF_FFFF
    }

    public func ask(
        _ messages: [ChatMessage], unit: String, salt: Int = 0, n: Int = 1, temperature: Double? = nil,
        maxTokens: Int? = nil, topLogprobs: Int? = nil
    ) async throws -> TeacherResponse {
        var sampling = stage.sampling
        sampling.seed = seed(unit: unit, salt: salt)
        if let temperature { sampling.temperature = temperature }
        let request = TeacherRequest(messages: messages, maxTokens: maxTokens ?? stage.maxTokens, sampling: sampling,
                                     n: n, topLogprobs: topLogprobs)
        return try await context.teacher.complete(request)
    }

    /// One user turn rendered from a template, asked to the teacher; the first choice's text.
    public func askText(template: String, values: [String: JSONValue], unit: String, salt: Int = 0,
                        system: String? = nil, temperature: Double? = nil) async throws -> String {
        var messages: [ChatMessage] = []
        if let system { messages.append(ChatMessage(role: "system", text: system)) }
        messages.append(ChatMessage(role: "user", text: try binding.render(template, values)))
        let response = try await ask(messages, unit: unit, salt: salt, temperature: temperature)
        guard let text = response.choices.first?.text else {
            throw TeacherError.malformedResponse("the teacher returned no choices")
        }
        return text
    }
}

/// Chat messages in the OpenAI JSON form records store.
func messagesJSON(_ messages: [ChatMessage]) -> JSONValue { .array(messages.map(\.json)) }
