// The HTTP client the HTTP teachers share. One process-wide client keeps one connection pool, sized
// for many concurrent calls to one server (an API, a vLLM cluster behind one address), and lives as
// long as the process, so nobody has to remember to shut it down.
import AsyncHTTPClient
import NIOCore

public enum TeacherHTTPClient {
    /// Connections kept per server: above any sensible `RequestPolicy.maxConcurrent`, so the policy,
    /// not the pool, decides how many calls are in flight.
    public static let connectionsPerHost = 512

    /// The shared client (never shut down, like `HTTPClient.shared`, but with a larger pool).
    public static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        configuration.timeout.connect = .seconds(10)
        // A refused connection fails the call at once; the request policy decides whether and when
        // to try again (the pool would otherwise retry silently until the call's deadline).
        configuration.connectionPool.retryConnectionEstablishment = false
        // A teacher API never redirects a POST; following one could send the key elsewhere.
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
