// A loopback OpenAI-compatible chat server that answers every request with the reply a test gives,
// and records the requests, so a test can check exactly what a client sent (image parts, prompt
// text) while the client gets a realistic answer.
import Foundation
import Hummingbird
import NIOCore
import RetortJSON

public final class ScriptedOpenAIServer: @unchecked Sendable {
    private let reply: @Sendable (JSONValue) -> String
    private let lock = NSLock()
    private var recorded: [RecordedRequest] = []
    private var server: LoopbackServer?

    /// `reply` maps a request body (parsed JSON) to the assistant's text.
    public static func start(reply: @escaping @Sendable (JSONValue) -> String) async throws -> ScriptedOpenAIServer {
        let instance = ScriptedOpenAIServer(reply: reply)
        instance.server = try await LoopbackServer.start { request, _ in try await instance.respond(to: request) }
        return instance
    }

    private init(reply: @escaping @Sendable (JSONValue) -> String) { self.reply = reply }

    /// For the OpenAI teacher (it appends /chat/completions).
    public var openAIBaseURL: String { "http://127.0.0.1:\(server!.port)/v1" }
    public var requests: [RecordedRequest] { lock.withLock { recorded } }

    public func stop() async { await server?.stop() }

    private func respond(to request: Request) async throws -> Response {
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: 64 << 20))
        lock.withLock {
            recorded.append(RecordedRequest(method: request.method.rawValue, path: request.uri.path, headers: [:], body: body, arrival: 0))
        }
        guard request.method == .post, request.uri.path == "/v1/chat/completions", let json = try? JSONValue(parsing: body) else {
            return Self.json(400, ["error": ["message": "expected a JSON POST to /v1/chat/completions", "type": "invalid_request_error"]])
        }
        let text = reply(json)
        let words = Double(text.split(separator: " ").count)
        return Self.json(200, [
            "id": "chatcmpl-scripted", "object": "chat.completion", "model": json["model"] ?? "unknown",
            "choices": [["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": .string(text)]]],
            "usage": ["prompt_tokens": 10, "completion_tokens": .number(words), "total_tokens": .number(10 + words)],
        ])
    }

    static func json(_ status: Int, _ value: JSONValue) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: value.jsonText)))
    }
}
