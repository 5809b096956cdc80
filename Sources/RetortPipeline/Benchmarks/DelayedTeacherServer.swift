// The server side of the teacher throughput benchmark: an OpenAI-compatible chat-completions
// endpoint on 127.0.0.1 that answers every request after a fixed delay, the way a busy inference
// server does, with a short reply derived from the request. It does no other work, so the
// benchmark measures the client.
import Foundation
import Hummingbird
import Logging
import NIOCore
import RetortJSON

public final class DelayedTeacherServer: Sendable {
    public let delay: Double
    public let port: Int
    private let task: Task<Void, any Error>

    /// The base URL to give an OpenAI teacher.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    private init(delay: Double, port: Int, task: Task<Void, any Error>) {
        self.delay = delay
        self.port = port
        self.task = task
    }

    /// Starts listening on a free loopback port.
    public static func start(delay: Double) async throws -> DelayedTeacherServer {
        let router = Router()
        router.post("v1/chat/completions") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 16 << 20)
            try await Task.sleep(for: .nanoseconds(Int64(delay * 1e9)))
            return answer(to: String(buffer: body))
        }
        let (ports, portSink) = AsyncThrowingStream<Int, any Error>.makeStream()
        var logger = Logger(label: "retort.bench.delayed-teacher")
        logger.logLevel = .critical  // stopping by cancellation is logged as an error
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            },
            logger: logger)
        let task = Task {
            do {
                try await app.run()
                portSink.finish()
            } catch {
                portSink.finish(throwing: error)
                throw error
            }
        }
        for try await port in ports where port > 0 {
            return DelayedTeacherServer(delay: delay, port: port, task: task)
        }
        task.cancel()
        throw DelayedTeacherServerError(message: "the benchmark server stopped before listening on a port")
    }

    public func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// "ok: <the last message's first words>", with usage counted in words.
    private static func answer(to body: String) -> Response {
        let json = try? JSONValue(parsing: body)
        let last = json?["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
        let words = last.split(separator: " ").prefix(8)
        let reply: JSONValue = [
            "id": "bench", "object": "chat.completion", "model": json?["model"] ?? "benchmark",
            "choices": [["index": 0, "finish_reason": "stop",
                         "message": ["role": "assistant", "content": .string("ok: " + words.joined(separator: " "))]]],
            "usage": ["prompt_tokens": .number(Double(last.split(separator: " ").count)),
                      "completion_tokens": .number(Double(words.count + 1))],
        ]
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: reply.jsonText)))
    }
}

public struct DelayedTeacherServerError: Error, LocalizedError {
    public let message: String
    public var errorDescription: String? { message }
}
