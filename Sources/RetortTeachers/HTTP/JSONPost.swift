// One JSON POST to a teacher server, with every way it can fail mapped to a TeacherError: the
// deadline to `.timeout`, refused or dropped connections to `.transport`. The status and body are
// returned as they came; reading them is the backend's business.
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A server's answer before the backend reads it.
struct HTTPReply: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: String

    var isSuccess: Bool { (200..<300).contains(status) }
}

enum JSONPost {
    /// Larger answers are refused rather than buffered (a chat completion is far smaller).
    static let maxResponseBytes = 64 << 20

    /// POSTs `body` (JSON text) to `url`. `timeout` bounds the whole exchange, answer body included.
    /// Throws TeacherError, or CancellationError when the calling task is cancelled.
    static func send(_ body: String, to url: String, headers: [(String, String)], timeout: Double,
                     client: HTTPClient) async throws -> HTTPReply {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout * 1e9))
        do {
            let response = try await client.execute(request, deadline: deadline)
            let bytes = try await response.body.collect(upTo: maxResponseBytes)
            return HTTPReply(status: Int(response.status.code),
                             headers: response.headers.map { (name: $0.name, value: $0.value) },
                             body: String(buffer: bytes))
        } catch {
            throw map(error, url: url, timeout: timeout)
        }
    }

    private static func map(_ error: any Error, url: String, timeout: Double) -> any Error {
        if Task.isCancelled || error is CancellationError { return CancellationError() }
        if error is NIOTooManyBytesError {
            return TeacherError.malformedResponse("the answer from \(url) is larger than \(maxResponseBytes >> 20) MiB")
        }
        guard let error = error as? HTTPClientError else {
            return TeacherError.transport("\(url): \(error)")
        }
        switch error {
        case .deadlineExceeded, .readTimeout:
            return TeacherError.timeout(seconds: timeout)
        case .cancelled:
            return CancellationError()
        case .connectTimeout:
            return TeacherError.transport("\(url): no connection within 10 s")
        case .remoteConnectionClosed:
            return TeacherError.transport("\(url) closed the connection before the answer was complete")
        default:
            return TeacherError.transport("\(url): \(error)")
        }
    }
}
