// A loopback teacher server that answers after a fixed delay with a reply derived only from the
// request, so tests know exactly what to expect. It speaks the OpenAI chat-completions API
// (POST /v1/chat/completions) and the Anthropic Messages API (POST /v1/messages), records every
// request it receives, and can insist on an API key the way the real services do.
//
// The reply to a conversation whose last user message is "a b c" is "echo: a b c"; choice i > 0
// is prefixed "#i ". Words are tokens: max_tokens cuts the reply (finish "length"), a stop string
// cuts it before the stop (finish "stop"). Token j of a choice has log-probability -0.1·(j+1); its
// k alternatives are the token itself and "alt1"…, each 1 lower. Prompt tokens are the words of
// all messages.
import Foundation
import Hummingbird
import NIOCore
import RetortJSON

public final class DelayedOpenAIServer: @unchecked Sendable {
    public let delay: Double
    private let requiredAPIKey: String?
    private let lock = NSLock()
    private var recorded: [RecordedRequest] = []
    private let started = ContinuousClock.now
    private var server: LoopbackServer?

    /// `delay`: seconds before each answer. `requiredAPIKey`: when set, requests without it get the
    /// service's 401 (which quotes the key that was sent, as OpenAI's does).
    public static func start(delay: Double = 0, requiredAPIKey: String? = nil) async throws -> DelayedOpenAIServer {
        let instance = DelayedOpenAIServer(delay: delay, requiredAPIKey: requiredAPIKey)
        instance.server = try await LoopbackServer.start { request, _ in
            try await instance.respond(to: request)
        }
        return instance
    }

    private init(delay: Double, requiredAPIKey: String?) {
        self.delay = delay
        self.requiredAPIKey = requiredAPIKey
    }

    public var port: Int { server!.port }
    /// For the Anthropic teacher (it appends /v1/messages).
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// For the OpenAI teacher (it appends /chat/completions).
    public var openAIBaseURL: String { baseURL + "/v1" }

    public var requests: [RecordedRequest] { lock.withLock { recorded } }
    public var requestCount: Int { lock.withLock { recorded.count } }

    public func stop() async { await server?.stop() }

    // MARK: Answering

    private func respond(to request: Request) async throws -> Response {
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: 16 << 20))
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName.lowercased()
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        let elapsed = (ContinuousClock.now - started).components
        let arrival = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        lock.withLock {
            recorded.append(RecordedRequest(method: request.method.rawValue, path: request.uri.path, headers: headers,
                                            body: body, arrival: arrival))
        }
        if delay > 0 { try await Task.sleep(for: .nanoseconds(Int64(delay * 1e9))) }
        switch (request.method, request.uri.path) {
        case (.post, "/v1/chat/completions"): return openAI(body: body, headers: headers)
        case (.post, "/v1/messages"): return anthropic(body: body, headers: headers)
        default: return Self.json(404, ["error": ["message": .string("no route \(request.uri.path)"), "type": "not_found"]])
        }
    }

    private func openAI(body: String, headers: [String: String]) -> Response {
        if let key = requiredAPIKey, headers["authorization"] != "Bearer \(key)" {
            let sent = headers["authorization"].map { String($0.dropFirst("Bearer ".count)) } ?? ""
            return Self.json(401, ["error": ["message": .string("Incorrect API key provided: \(sent)"),
                                             "type": "invalid_request_error", "code": "invalid_api_key"]])
        }
        guard let json = try? JSONValue(parsing: body), let messages = json["messages"]?.arrayValue,
              let maxTokens = json["max_tokens"]?.doubleValue
        else {
            return Self.json(400, ["error": ["message": "messages and max_tokens are required", "type": "invalid_request_error"]])
        }
        let n = Int(json["n"]?.doubleValue ?? 1)
        let stops = json["stop"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let topK = json["logprobs"]?.boolValue == true ? Int(json["top_logprobs"]?.doubleValue ?? 0) : nil
        let user = Self.lastUserText(messages)
        var choices: [JSONValue] = []
        var completionTokens = 0
        for i in 0..<n {
            let (words, finish) = Self.reply(to: user, choice: i, maxTokens: Int(maxTokens), stops: stops)
            completionTokens += words.count
            var choice: [String: JSONValue] = [
                "index": .number(Double(i)), "finish_reason": .string(finish == "stop_sequence" ? "stop" : finish),
                "message": ["role": "assistant", "content": .string(words.joined())],
            ]
            if let k = topK { choice["logprobs"] = ["content": .array(Self.logprobs(words, top: k))] }
            choices.append(.object(choice))
        }
        return Self.json(200, [
            "id": "chatcmpl-loopback", "object": "chat.completion", "model": json["model"] ?? "unknown",
            "choices": .array(choices.reversed()),  // out of order on purpose: clients must sort by index
            "usage": ["prompt_tokens": .number(Double(Self.promptWords(messages))),
                      "completion_tokens": .number(Double(completionTokens)),
                      "total_tokens": .number(Double(Self.promptWords(messages) + completionTokens))],
        ])
    }

    private func anthropic(body: String, headers: [String: String]) -> Response {
        if let key = requiredAPIKey, headers["x-api-key"] != key {
            return Self.json(401, ["type": "error", "error": ["type": "authentication_error",
                                                              "message": .string("invalid x-api-key \(headers["x-api-key"] ?? "")")]])
        }
        guard let json = try? JSONValue(parsing: body), let messages = json["messages"]?.arrayValue,
              let maxTokens = json["max_tokens"]?.doubleValue, headers["anthropic-version"] != nil
        else {
            return Self.json(400, ["type": "error", "error": ["type": "invalid_request_error",
                                                              "message": "messages, max_tokens and anthropic-version are required"]])
        }
        let stops = json["stop_sequences"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let (words, finish) = Self.reply(to: Self.lastUserText(messages), choice: 0, maxTokens: Int(maxTokens), stops: stops)
        let stopReason = switch finish { case "length": "max_tokens"; case "stop_sequence": "stop_sequence"; default: "end_turn" }
        let systemWords = json["system"]?.stringValue.map(Self.words) ?? 0
        return Self.json(200, [
            "id": "msg_loopback", "type": "message", "role": "assistant", "model": json["model"] ?? "unknown",
            "content": [["type": "text", "text": .string(words.joined())]],
            "stop_reason": .string(stopReason), "stop_sequence": .null,
            "usage": ["input_tokens": .number(Double(Self.promptWords(messages) + systemWords)),
                      "output_tokens": .number(Double(words.count))],
        ])
    }

    // MARK: The deterministic reply

    /// The reply's tokens (a word each, with its leading space) and why it ended: "stop", "length",
    /// or "stop_sequence" when a stop string cut it.
    public static func reply(to user: String, choice: Int, maxTokens: Int, stops: [String] = [])
        -> (tokens: [String], finish: String) {
        var text = (choice > 0 ? "#\(choice) " : "") + "echo: " + user
        var finish = "stop"
        if let cut = stops.compactMap({ text.range(of: $0)?.lowerBound }).min() {
            text = String(text[..<cut])
            finish = "stop_sequence"
        }
        var tokens: [String] = []
        for (i, word) in text.split(separator: " ").enumerated() {
            tokens.append(i == 0 ? String(word) : " " + word)
        }
        if tokens.count > maxTokens {
            tokens = Array(tokens.prefix(maxTokens))
            finish = "length"
        }
        return (tokens, finish)
    }

    static func logprobs(_ tokens: [String], top k: Int) -> [JSONValue] {
        tokens.enumerated().map { j, token in
            let logprob = -0.1 * Double(j + 1)
            var alternatives: [JSONValue] = []
            for m in 0..<k {
                alternatives.append(["token": .string(m == 0 ? token : "alt\(m)"), "logprob": .number(logprob - Double(m))])
            }
            return ["token": .string(token), "logprob": .number(logprob), "top_logprobs": .array(alternatives)]
        }
    }

    /// The text of the last user message (text parts joined; images skipped).
    static func lastUserText(_ messages: [JSONValue]) -> String {
        guard let last = messages.last(where: { $0["role"]?.stringValue == "user" }) else { return "" }
        return text(of: last)
    }

    static func text(of message: JSONValue) -> String {
        if let text = message["content"]?.stringValue { return text }
        return (message["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined()
    }

    static func promptWords(_ messages: [JSONValue]) -> Int { messages.reduce(0) { $0 + words(text(of: $1)) } }

    static func words(_ text: String) -> Int { text.split(separator: " ").count }

    static func json(_ status: Int, _ value: JSONValue) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: value.jsonText)))
    }
}
