// `retort serve`: an OpenAI-compatible HTTP server (Hummingbird) in front of a local model, so any
// OpenAI client — and Retort's own HTTP teacher — can use it. It loads the model, binds, reports
// the address it listens on, and shuts down cleanly on SIGINT or SIGTERM.
import Dispatch
import Foundation
import Hummingbird
import Logging
import RetortTeachers

public struct ServeOptions: Sendable {
    /// An alias from the model store or a .gguf path.
    public var model: String
    public var host = "127.0.0.1"
    /// 0 lets the system pick a free port (the listening line says which).
    public var port = 8000
    public var modelsDirectory: String?

    public init(model: String) { self.model = model }
}

public struct ServeError: Error, LocalizedError {
    public let message: String
    public var errorDescription: String? { message }
}

public enum LocalServer {
    /// Loads the model and serves until SIGINT or SIGTERM. `onListening(url, modelName)` is
    /// called once the socket is bound.
    public static func run(_ options: ServeOptions, onListening: @escaping @Sendable (String, String) -> Void) async throws {
        guard (0...65535).contains(options.port) else {
            throw ServeError(message: "--port must be in 0…65535 (0 picks a free port), got \(options.port)")
        }
        let path = try ModelStore.resolve(options.model, directory: ModelStore.directory(explicit: options.modelsDirectory))
        let teacher = try LocalTeacher(modelPath: path)
        let name = teacher.identity.model
        // Requests may name the model as served, as given on the command line, or by its store alias.
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        let aliases = ModelStore.known.filter { $0.fileName == fileName }.map(\.alias)
        let responder = OpenAIResponder(teacher: teacher, modelName: name, acceptedNames: Set([name, options.model, path] + aliases))
        var logger = Logger(label: "retort.serve")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let listening = ListeningFlag()
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: "retort"),
            onServerRunning: { channel in
                listening.set()
                let port = channel.localAddress?.port ?? options.port
                onListening("http://\(urlHost(options.host)):\(port)", name)
            },
            logger: logger)
        do {
            try await app.runService()
        } catch where !listening.isSet {
            throw ServeError(message: "cannot listen on \(options.host):\(options.port): \(error); pick another --port (0 picks a free one)")
        }
    }

    /// `run` for a synchronous caller (the CLI): blocks until the server has shut down.
    public static func runBlocking(_ options: ServeOptions, onListening: @escaping @Sendable (String, String) -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        let outcome = OutcomeBox()
        Task.detached {
            do { try await run(options, onListening: onListening) } catch { outcome.error = error }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw error }
    }

    /// IPv6 literals go in brackets in a URL.
    static func urlHost(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}

private final class ListeningFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

private final class OutcomeBox: @unchecked Sendable {
    var error: (any Error)?
}
