// A loopback HTTP proxy that stands between a teacher and its server and misbehaves on a plan:
// rate limits with Retry-After, server errors, hangs, truncated and malformed bodies, dropped
// connections. It counts what it receives and what it forwards, so tests can check both that every
// fault is survived and that nothing was sent twice.
import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1

public final class FaultInjectingProxy: @unchecked Sendable {
    /// The base URL requests are forwarded to (scheme, host, port; the request path is appended).
    public let upstream: String
    /// Longest a `.hang` lasts if the client never gives up.
    public let maxHang: Double
    private let plan: FaultPlan
    private let lock = NSLock()
    private var received: [RecordedRequest] = []
    private var injected: [Fault] = []
    private var forwarded = 0
    private let started = ContinuousClock.now
    private var server: LoopbackServer?

    public static func start(upstream: String, plan: FaultPlan, maxHang: Double = 30) async throws -> FaultInjectingProxy {
        let proxy = FaultInjectingProxy(upstream: upstream, plan: plan, maxHang: maxHang)
        proxy.server = try await LoopbackServer.start { request, context in
            try await proxy.handle(request, context: context)
        }
        return proxy
    }

    private init(upstream: String, plan: FaultPlan, maxHang: Double) {
        var base = upstream
        while base.hasSuffix("/") { base.removeLast() }
        self.upstream = base
        self.plan = plan
        self.maxHang = maxHang
    }

    /// The port the proxy listens on.
    public var port: Int { server!.port }
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Requests that reached the proxy, in arrival order.
    public var requests: [RecordedRequest] { lock.withLock { received } }
    public var requestCount: Int { lock.withLock { received.count } }
    /// Requests passed on to the upstream (faults that answer themselves are not).
    public var forwardedCount: Int { lock.withLock { forwarded } }
    /// The fault played for each request, in arrival order.
    public var faults: [Fault] { lock.withLock { injected } }

    public func stop() async { await server?.stop() }

    private func handle(_ request: Request, context: LoopbackContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName.lowercased()
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        let elapsed = (ContinuousClock.now - started).components
        let fault: Fault = lock.withLock {
            let fault = plan.fault(forRequest: received.count)
            received.append(RecordedRequest(method: request.method.rawValue, path: request.uri.path, headers: headers,
                                            body: String(buffer: body),
                                            arrival: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18))
            injected.append(fault)
            return fault
        }
        switch fault {
        case .pass:
            let answer = try await forward(request, body: body)
            return Response(status: .init(code: answer.status), headers: answer.headers, body: .init(byteBuffer: answer.body))
        case .status(let code, let retryAfter):
            var fields: HTTPFields = [.contentType: "application/json"]
            if let retryAfter { fields[.retryAfter] = retryAfter }
            let text = #"{"type":"error","error":{"type":"injected_fault","message":"injected fault: HTTP \#(code)"}}"#
            return Response(status: .init(code: code), headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
        case .hang:
            // Ends when the client closes the connection (the handler is cancelled) or after maxHang.
            try? await request.body.consumeWithCancellationOnInboundClose { _ in
                try await Task.sleep(for: .nanoseconds(Int64(self.maxHang * 1e9)))
            }
            return Response(status: .gatewayTimeout)
        case .truncatedBody:
            var answer = try await forward(request, body: body)
            let half = answer.body.readSlice(length: answer.body.readableBytes / 2) ?? ByteBuffer()
            return Response(status: .init(code: answer.status), headers: answer.headers, body: .init(byteBuffer: half))
        case .malformedBody:
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: "<html>502 Bad Gateway</html>")))
        case .closeConnection:
            try? await context.channel.close()
            return Response(status: .ok)
        }
    }

    private func forward(_ request: Request, body: ByteBuffer) async throws -> (status: Int, headers: HTTPFields, body: ByteBuffer) {
        lock.withLock { forwarded += 1 }
        var outgoing = HTTPClientRequest(url: upstream + request.uri.description)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !["host", "content-length", "connection"].contains(field.name.canonicalName.lowercased()) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        outgoing.body = .bytes(body)
        let answer = try await Self.client.execute(outgoing, timeout: .seconds(60))
        let bytes = try await answer.body.collect(upTo: 64 << 20)
        var fields = HTTPFields()
        if let contentType = answer.headers.first(name: "content-type") { fields[.contentType] = contentType }
        if let retryAfter = answer.headers.first(name: "retry-after") { fields[.retryAfter] = retryAfter }
        return (Int(answer.status.code), fields, bytes)
    }

    /// The proxy's own client, alive for the whole test process.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
