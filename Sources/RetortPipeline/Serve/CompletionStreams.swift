// Streaming responses (`stream: true`) as server-sent events: one `data: {chunk}` line per piece
// of text that became final, the finish reasons, the usage when asked for, and `data: [DONE]`.
// Generation runs in its own task and hands its steps over an AsyncStream; a client that goes
// away cancels it between two tokens.
import Hummingbird
import RetortJSON
import RetortModels
import RetortTeachers

protocol ServerSentEvents: Sendable {
    func write(to writer: inout any ResponseBodyWriter) async throws
}

extension ServerSentEvents {
    static func event(_ value: JSONValue) -> ByteBuffer { ByteBuffer(string: "data: \(value.jsonText)\n\n") }
    static var done: ByteBuffer { ByteBuffer(string: "data: [DONE]\n\n") }

    /// Runs `prepared`, passing each step to `write` as it arrives, and returns the results, or
    /// the generation's failure for the caller to report in the stream. When `write` throws (the
    /// client is gone) or the task is cancelled, generation stops and the error is rethrown.
    static func stream(_ teacher: LocalTeacher, _ prepared: LocalTeacher.PreparedCompletion,
                       writer: inout any ResponseBodyWriter,
                       _ event: (GenerationStep) -> JSONValue) async throws -> Result<[GenerationResult], OpenAIError> {
        let (steps, continuation) = AsyncStream.makeStream(of: GenerationStep.self)
        let generation = Task {
            defer { continuation.finish() }
            return try await teacher.run(prepared) { continuation.yield($0) }
        }
        do {
            try await withTaskCancellationHandler {
                for await step in steps { try await writer.write(Self.event(event(step))) }
                try Task.checkCancellation()
            } onCancel: {
                generation.cancel()
            }
        } catch {
            generation.cancel()
            throw error
        }
        do {
            return .success(try await generation.value)
        } catch {
            return .failure(OpenAIResponder.openAIError(error, param: nil))
        }
    }
}

struct ChatStream: ServerSentEvents {
    let teacher: LocalTeacher
    let shape: OpenAIResponseJSON
    let prepared: LocalTeacher.PreparedCompletion
    let includeUsage: Bool

    func write(to writer: inout any ResponseBodyWriter) async throws {
        let logprobs = prepared.options.topLogprobs != nil
        for index in 0..<prepared.options.n {
            let delta = OpenAIResponseJSON.chatDelta(index: index, delta: ["role": "assistant", "content": ""])
            try await writer.write(Self.event(shape.chatChunk([delta], includeUsage: includeUsage)))
        }
        let outcome = try await Self.stream(teacher, prepared, writer: &writer) { step in
            let delta = OpenAIResponseJSON.chatDelta(index: step.choice, delta: ["content": .string(step.text)],
                                                     logprobs: logprobs ? shape.chatLogprobs(step.logprobs) : .null)
            return shape.chatChunk([delta], includeUsage: includeUsage)
        }
        try await finish(outcome, writer: &writer)
    }

    private func finish(_ outcome: Result<[GenerationResult], OpenAIError>, writer: inout any ResponseBodyWriter) async throws {
        switch outcome {
        case .success(let results):
            let finishes = results.enumerated().map { index, result in
                OpenAIResponseJSON.chatDelta(index: index, delta: [:], finishReason: result.finishReason.rawValue)
            }
            try await writer.write(Self.event(shape.chatChunk(finishes, includeUsage: includeUsage)))
            if includeUsage {
                let usage = OpenAIResponseJSON.usage(results, prompt: prepared.promptTokens.count)
                try await writer.write(Self.event(shape.chatChunk([], includeUsage: true, usage: usage)))
            }
        case .failure(let error):
            try await writer.write(Self.event(error.json))
        }
        try await writer.write(Self.done)
        try await writer.finish(nil)
    }
}

struct TextStream: ServerSentEvents {
    let teacher: LocalTeacher
    let shape: OpenAIResponseJSON
    let prepared: LocalTeacher.PreparedCompletion
    /// The prompt, sent first when `echo` is on.
    let echoText: String?
    let topLogprobs: Int?
    let includeUsage: Bool

    func write(to writer: inout any ResponseBodyWriter) async throws {
        if let echoText {
            for index in 0..<prepared.options.n {
                let choice = shape.textChoice(index: index, text: echoText, entries: [], promptText: nil, echo: nil,
                                              topLogprobs: nil, finishReason: nil)
                try await writer.write(Self.event(shape.textChunk([choice], includeUsage: includeUsage)))
            }
        }
        let outcome = try await Self.stream(teacher, prepared, writer: &writer) { step in
            let choice = shape.textChoice(index: step.choice, text: step.text, entries: step.logprobs, promptText: nil, echo: nil,
                                          topLogprobs: topLogprobs, finishReason: nil)
            return shape.textChunk([choice], includeUsage: includeUsage)
        }
        switch outcome {
        case .success(let results):
            let finishes = results.enumerated().map { index, result in
                shape.textChoice(index: index, text: "", entries: [], promptText: nil, echo: nil, topLogprobs: nil,
                                 finishReason: result.finishReason.rawValue)
            }
            try await writer.write(Self.event(shape.textChunk(finishes, includeUsage: includeUsage)))
            if includeUsage {
                let usage = OpenAIResponseJSON.usage(results, prompt: prepared.promptTokens.count)
                try await writer.write(Self.event(shape.textChunk([], includeUsage: true, usage: usage)))
            }
        case .failure(let error):
            try await writer.write(Self.event(error.json))
        }
        try await writer.write(Self.done)
        try await writer.finish(nil)
    }
}
