// Measures how many teacher calls per second the HTTP path completes — OpenAITeacher behind a
// RequestPolicy — against a server that answers every call after a fixed delay. With c calls in
// flight and a delay d, no client can beat c/d calls per second, so the result is reported as a
// fraction of that bound: what the client's own overhead (JSON, HTTP, the policy) leaves of it.
// The server is the caller's (RetortPipeline's DelayedTeacherServer, or a test's).
import Foundation
import RetortJSON

public struct TeacherThroughputResult: Sendable {
    public let requests: Int
    public let failures: Int
    public let concurrency: Int
    public let serverDelay: Double
    public let seconds: Double

    public var requestsPerSecond: Double { Double(requests - failures) / seconds }
    /// concurrency / serverDelay: the most any client can complete.
    public var bound: Double { Double(concurrency) / serverDelay }
    public var fractionOfBound: Double { requestsPerSecond / bound }

    public var json: JSONValue {
        ["requests": .number(Double(requests)), "failures": .number(Double(failures)),
         "concurrency": .number(Double(concurrency)), "server_delay_seconds": .number(serverDelay),
         "seconds": .number(seconds), "requests_per_second": .number(requestsPerSecond),
         "bound_requests_per_second": .number(bound), "fraction_of_bound": .number(fractionOfBound)]
    }
}

public enum TeacherThroughputBenchmark {
    /// Sends `requests` distinct chat completions at once through a policy allowing `concurrency`
    /// in flight, after one untimed round that opens the connections. `baseURL` is the server's
    /// OpenAI base (ending in /v1); `serverDelay` is its answer delay, for the bound.
    public static func run(baseURL: String, serverDelay: Double = 0.2, concurrency: Int = 64,
                           requests: Int = 640) async throws -> TeacherThroughputResult {
        let teacher = try OpenAITeacher(OpenAITeacherConfiguration(baseURL: baseURL, model: "benchmark", timeout: 30),
                                        environment: [:])
        let policy = try RequestPolicy(wrapping: teacher,
                                       configuration: RequestPolicyConfiguration(maxConcurrent: concurrency, maxAttempts: 1))
        _ = await send(min(concurrency, requests), through: policy, label: "warm-up")
        let start = ContinuousClock.now
        let failures = await send(requests, through: policy, label: "request")
        let seconds = (ContinuousClock.now - start).inSeconds
        return TeacherThroughputResult(requests: requests, failures: failures, concurrency: concurrency,
                                       serverDelay: serverDelay, seconds: seconds)
    }

    /// Sends `count` requests at once; returns how many failed.
    private static func send(_ count: Int, through teacher: RequestPolicy, label: String) async -> Int {
        await withTaskGroup(of: Bool.self) { group in
            for i in 0..<count {
                group.addTask {
                    let request = TeacherRequest(messages: [ChatMessage(role: "user", text: "\(label) \(i): say something")],
                                                 maxTokens: 16)
                    return (try? await teacher.complete(request)) != nil
                }
            }
            var failures = 0
            for await ok in group where !ok { failures += 1 }
            return failures
        }
    }
}
