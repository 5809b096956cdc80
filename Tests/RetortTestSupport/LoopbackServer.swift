// A Hummingbird HTTP server on 127.0.0.1 with a port the system picks, for tests that need a real
// server on loopback. `start` returns once it listens; `stop` shuts it down.
import Hummingbird
import Logging
import NIOCore

/// The request context of loopback servers: the connection's channel is kept so a handler can
/// drop the connection on purpose.
public struct LoopbackContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

public final class LoopbackServer: Sendable {
    public typealias Handler = @Sendable (Request, LoopbackContext) async throws -> Response

    /// The port the server listens on.
    public let port: Int
    private let task: Task<Void, any Error>

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    /// Starts a server that answers every request with `handler`.
    public static func start(_ handler: @escaping Handler) async throws -> LoopbackServer {
        let (ports, portSink) = AsyncThrowingStream<Int, any Error>.makeStream()
        var logger = Logger(label: "retort.test.loopback")
        logger.logLevel = .critical
        let app = Application(
            responder: CallbackResponder(callback: handler),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
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
            return LoopbackServer(port: port, task: task)
        }
        task.cancel()
        throw LoopbackServerError(message: "the loopback server stopped before it listened on a port")
    }

    /// Stops the server and waits until it has.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}

public struct LoopbackServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
