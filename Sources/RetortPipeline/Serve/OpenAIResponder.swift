// Routes the OpenAI-compatible endpoints to the local teacher: GET /v1/models, POST
// /v1/chat/completions, POST /v1/completions (and GET /health). Every failure becomes an
// OpenAI-style JSON error with its status; nothing a client sends can crash the server.
import Foundation
import Hummingbird
import RetortJSON
import RetortModels
import RetortTeachers

struct OpenAIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let teacher: LocalTeacher
    /// The name /v1/models lists and responses report.
    let modelName: String
    /// Names a request may use for it (the served name, the alias or path it was started with).
    let acceptedNames: Set<String>
    let started = Int(Date().timeIntervalSince1970)
    static let maxBodyBytes = 32 << 20

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            return try await route(request)
        } catch let error as OpenAIError {
            var response = Self.json(error.json, status: error.status)
            if let allow = error.allow { response.headers[.allow] = allow }
            return response
        } catch {
            return Self.json(OpenAIError.server("internal error: \(error)").json, status: 500)
        }
    }

    private func route(_ request: Request) async throws -> Response {
        let path = request.uri.path.count > 1 && request.uri.path.hasSuffix("/") ? String(request.uri.path.dropLast()) : request.uri.path
        let method = request.method.rawValue
        switch path {
        case "/v1/models":
            try Self.require("GET", method, path)
            let data: [JSONValue] = [OpenAIResponseJSON.modelObject(modelName, created: started)]
            return Self.json(["object": "list", "data": .array(data)])
        case "/v1/chat/completions":
            try Self.require("POST", method, path)
            return try await chatCompletions(RequestFields(body: body(of: request)))
        case "/v1/completions":
            try Self.require("POST", method, path)
            return try await textCompletions(RequestFields(body: body(of: request)))
        case "/health":
            try Self.require("GET", method, path)
            return Response(status: .ok)
        default:
            if path.hasPrefix("/v1/models/") {
                try Self.require("GET", method, path)
                let name = String(path.dropFirst("/v1/models/".count)).removingPercentEncoding ?? ""
                guard acceptedNames.contains(name) else { throw OpenAIError.modelNotFound(name, served: modelName) }
                return Self.json(OpenAIResponseJSON.modelObject(modelName, created: started))
            }
            throw OpenAIError.notFound(method: method, path: path)
        }
    }

    // MARK: Chat completions

    private func chatCompletions(_ fields: RequestFields) async throws -> Response {
        let chat = try ChatCompletionRequest(fields)
        try checkModel(chat.model)
        let request = TeacherRequest(messages: chat.messages, maxTokens: chat.maxTokens ?? 1, sampling: chat.sampling, n: chat.n,
                                     stop: chat.stop, topLogprobs: chat.topLogprobs)
        var prepared: LocalTeacher.PreparedCompletion
        do { prepared = try teacher.prepare(request) } catch { throw Self.openAIError(error, param: "messages") }
        let context = teacher.capabilities.maxContext
        guard prepared.promptTokens.count < context else {
            throw OpenAIError.contextLengthExceeded(promptTokens: prepared.promptTokens.count, contextLength: context)
        }
        if chat.maxTokens == nil { prepared.options.maxTokens = context - prepared.promptTokens.count }
        let shape = OpenAIResponseJSON(teacher: teacher, model: modelName, idPrefix: "chatcmpl-")
        if chat.stream {
            return Self.eventStream(ChatStream(teacher: teacher, shape: shape, prepared: prepared, includeUsage: chat.includeUsage))
        }
        let results = try await generate(prepared)
        return Self.json(shape.chatCompletion(results, promptTokens: prepared.promptTokens.count))
    }

    // MARK: Text completions

    private func textCompletions(_ fields: RequestFields) async throws -> Response {
        let completion = try TextCompletionRequest(fields)
        try checkModel(completion.model)
        let promptTokens: [Int32], promptText: String
        switch completion.prompt {
        case .text(let text):
            promptText = text
            promptTokens = teacher.promptTokens(text)
        case .tokens(let ids):
            if let bad = ids.first(where: { Int($0) >= teacher.vocabularySize }) {
                throw OpenAIError.invalid("Invalid 'prompt': token id \(bad) is outside the vocabulary of \(teacher.vocabularySize).", param: "prompt")
            }
            promptTokens = ids
            promptText = (try? teacher.tokenizer.decode(ids, lossy: true)) ?? ""
        }
        guard !promptTokens.isEmpty else { throw OpenAIError.invalid("Invalid 'prompt': the prompt is empty.", param: "prompt") }
        let context = teacher.capabilities.maxContext
        guard promptTokens.count < context || (completion.maxTokens == 0 && promptTokens.count <= context) else {
            throw OpenAIError.contextLengthExceeded(promptTokens: promptTokens.count, contextLength: context)
        }
        let options = GenerationOptions(maxTokens: max(completion.maxTokens, 1), sampling: LocalTeacher.samplingParameters(completion.sampling),
                                        stopStrings: completion.stop.filter { !$0.isEmpty }, n: completion.n,
                                        topLogprobs: completion.logprobs)
        do { try options.validate() } catch { throw OpenAIError.invalid(error.errorDescription ?? "\(error)") }
        let prepared = LocalTeacher.PreparedCompletion(promptTokens: promptTokens, options: options)
        let shape = OpenAIResponseJSON(teacher: teacher, model: modelName, idPrefix: "cmpl-")
        if completion.stream {
            return Self.eventStream(TextStream(teacher: teacher, shape: shape, prepared: prepared, echoText: completion.echo ? promptText : nil,
                                               topLogprobs: completion.logprobs, includeUsage: completion.includeUsage))
        }
        var echo: OpenAIResponseJSON.PromptLogprobs?
        if completion.echo, let k = completion.logprobs { echo = try await promptLogprobs(promptTokens, topK: k) }
        let results: [GenerationResult]
        if completion.maxTokens == 0 {
            let none = GenerationResult(text: "", tokens: [], promptTokens: promptTokens.count, finishReason: .length,
                                        logprobs: completion.logprobs == nil ? nil : [])
            results = Array(repeating: none, count: completion.n)
        } else {
            results = try await generate(prepared)
        }
        return Self.json(shape.textCompletion(results, promptText: promptText, promptTokens: promptTokens.count, echo: echo,
                                              echoText: completion.echo, topLogprobs: completion.logprobs))
    }

    /// Each prompt token's log-probability given the ones before it, with `topK` alternatives.
    private func promptLogprobs(_ tokens: [Int32], topK: Int) async throws -> OpenAIResponseJSON.PromptLogprobs {
        var result = OpenAIResponseJSON.PromptLogprobs(tokens: tokens, logprobs: [nil], top: [nil])
        guard tokens.count > 1 else { return result }
        let k = max(topK, 1)
        let scores: CompletionScores
        do {
            scores = try await teacher.scoreTokens(prompt: [tokens[0]], completion: Array(tokens.dropFirst()), topK: k, layers: [])
        } catch { throw Self.openAIError(error, param: "prompt") }
        let d = scores.distributions
        for i in 0..<d.positions {
            result.logprobs.append(scores.tokenLogprobs[i])
            result.top.append((0..<topK).map { TokenAlternative(id: d.ids[i * k + $0], logprob: d.logprobs[i * k + $0]) })
        }
        return result
    }

    // MARK: Shared

    private func generate(_ prepared: LocalTeacher.PreparedCompletion) async throws -> [GenerationResult] {
        do { return try await teacher.run(prepared) } catch { throw Self.openAIError(error, param: nil) }
    }

    private func checkModel(_ name: String) throws(OpenAIError) {
        guard acceptedNames.contains(name) else { throw .modelNotFound(name, served: modelName) }
    }

    private func body(of request: Request) async throws -> String {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: Self.maxBodyBytes)
            return String(buffer: buffer)
        } catch {
            throw OpenAIError(status: 413, message: "The request body is larger than \(Self.maxBodyBytes >> 20) MiB or could not be read.",
                              type: "invalid_request_error", param: nil, code: "request_too_large")
        }
    }

    static func require(_ allowed: String, _ method: String, _ path: String) throws(OpenAIError) {
        guard method == allowed else { throw .methodNotAllowed(method: method, path: path, allowed: allowed) }
    }

    /// A teacher's error in OpenAI's words: the request's fault is a 400, the rest a 500.
    static func openAIError(_ error: any Error, param: String?) -> OpenAIError {
        switch error {
        case let error as OpenAIError: return error
        case let error as TeacherError:
            switch error {
            case .invalidRequest(let message): return .invalid(message, param: param)
            case .unsupported(let message): return .invalid(message, param: param, code: "unsupported_content")
            default: return .server(error.errorDescription ?? "\(error)")
            }
        default: return .server((error as? LocalizedError)?.errorDescription ?? "\(error)")
        }
    }

    static func json(_ value: JSONValue, status: Int = 200) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: HTTPResponse.Status(code: status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: value.jsonText)))
    }

    static func eventStream(_ stream: some ServerSentEvents) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in try await stream.write(to: &writer) })
    }
}
