// The request policy against real faults from a loopback proxy: every fault kind is survived,
// persistent ones are reported with the attempt count, Retry-After is obeyed (and capped), backoff
// is seeded full jitter, and the concurrency and rate limits hold. Waits run on a virtual clock,
// so delays are checked exactly and cost no time.
import Foundation
import RetortTeachers
import RetortTestSupport
import Testing

@Suite struct RequestPolicyTests {
    func policy(_ teacher: any Teacher, clock: VirtualClock, _ configuration: RequestPolicyConfiguration = .init(),
                accounting: TeacherAccounting = TeacherAccounting()) throws -> RequestPolicy {
        try RequestPolicy(wrapping: teacher, configuration: configuration, accounting: accounting, clock: clock)
    }

    @Test(arguments: Fault.allKinds)
    func eachFaultIsRetriedUntilTheCallCompletes(fault: Fault) async throws {
        try await withProxy(.script([fault])) { proxy, server in
            let clock = VirtualClock()
            let accounting = TeacherAccounting()
            // Short enough for the hang to cost little, long enough for a loaded machine to answer the retry.
            let teacher = try policy(openAITeacher(proxy.baseURL, timeout: fault == .hang ? 5 : 60), clock: clock, accounting: accounting)
            let response = try await teacher.complete(userRequest("after \(fault)"))
            #expect(response.choices[0].text == "echo: after \(fault)")
            #expect(proxy.requestCount == 2, "one failed attempt, one good one")
            #expect(proxy.faults == [fault, .pass])
            // Only the truncated answer reached the upstream before failing.
            #expect(server.requestCount == (fault == .truncatedBody ? 2 : 1))
            #expect(clock.sleeps.count == 1)
            let account = accounting.snapshot
            #expect(account.attempts == 2 && account.retries == 1 && account.calls == 1 && account.failures == 0)
        }
    }

    @Test func persistentFaultIsReportedWithAttemptsAndLastCause() async throws {
        try await withProxy(.script(Array(repeating: .unavailable, count: 10))) { proxy, server in
            let accounting = TeacherAccounting()
            let teacher = try policy(openAITeacher(proxy.baseURL), clock: VirtualClock(),
                                     RequestPolicyConfiguration(maxAttempts: 3), accounting: accounting)
            let error = await teacherError { try await teacher.complete(userRequest("hi")) }
            #expect(error == .retriesExhausted(attempts: 3, last: .http(status: 503, message: "injected fault: HTTP 503 [injected_fault]",
                                                                        retryAfter: nil)))
            #expect(error?.lastCause.kind == "http")
            let text = error?.errorDescription ?? ""
            #expect(text.contains("gave up after 3 attempts") && text.contains("HTTP 503"))
            #expect(proxy.requestCount == 3 && server.requestCount == 0)
            let account = accounting.snapshot
            #expect(account.attempts == 3 && account.retries == 2 && account.failures == 1 && account.calls == 0)
        }
    }

    @Test func nonRetryableErrorIsThrownAtOnceAndUnwrapped() async throws {
        try await withProxy(.script([.status(400), .status(400)])) { proxy, _ in
            let clock = VirtualClock()
            let teacher = try policy(openAITeacher(proxy.baseURL), clock: clock)
            let error = await teacherError { try await teacher.complete(userRequest("hi")) }
            #expect(error?.kind == "http" && error?.isRetryable == false)
            #expect(proxy.requestCount == 1 && clock.sleeps.isEmpty)
        }
    }

    @Test func invalidRequestIsRefusedWithoutAnyAttempt() async throws {
        try await withServer { server in
            let accounting = TeacherAccounting()
            let teacher = try policy(openAITeacher(server.baseURL), clock: VirtualClock(), accounting: accounting)
            #expect(await teacherError { try await teacher.complete(userRequest("hi", maxTokens: 0)) }?.kind == "invalidRequest")
            #expect(server.requestCount == 0 && accounting.snapshot.attempts == 0)
        }
    }

    @Test func retryAfterInSecondsIsWaitedExactly() async throws {
        try await withProxy(.script([.rateLimited(retryAfter: "7"), .rateLimited(retryAfter: "2")])) { proxy, _ in
            let clock = VirtualClock()
            _ = try await policy(openAITeacher(proxy.baseURL), clock: clock).complete(userRequest("hi"))
            #expect(clock.sleeps == [7, 2])
        }
    }

    @Test func retryAfterAsHTTPDateIsWaitedUntilThatDate() async throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: Date().addingTimeInterval(400))
        try await withProxy(.script([.rateLimited(retryAfter: date)])) { proxy, _ in
            let clock = VirtualClock()
            _ = try await policy(openAITeacher(proxy.baseURL), clock: clock, .init(maxRetryAfter: 1000)).complete(userRequest("hi"))
            let waited = try #require(clock.sleeps.first)
            // Whole-second dates and the time the exchange took (long on a loaded machine) make it under 400 s.
            #expect(waited > 200 && waited <= 400)
        }
    }

    @Test func retryAfterIsCapped() async throws {
        try await withProxy(.script([.rateLimited(retryAfter: "86400")])) { proxy, _ in
            let clock = VirtualClock()
            _ = try await policy(openAITeacher(proxy.baseURL), clock: clock, RequestPolicyConfiguration(maxRetryAfter: 5))
                .complete(userRequest("hi"))
            #expect(clock.sleeps == [5])
        }
    }

    /// The delays a policy with `seed` waits through four server errors.
    func backoffDelays(seed: UInt64) async throws -> [Double] {
        try await withProxy(.script(Array(repeating: .serverError, count: 4))) { proxy, _ in
            let clock = VirtualClock()
            let configuration = RequestPolicyConfiguration(baseDelay: 1, maxDelay: 4, jitterSeed: seed)
            _ = try await policy(openAITeacher(proxy.baseURL), clock: clock, configuration).complete(userRequest("hi"))
            return clock.sleeps
        }
    }

    @Test func backoffIsSeededFullJitterUnderAGrowingCeiling() async throws {
        let delays = try await backoffDelays(seed: 42)
        #expect(delays.count == 4)
        for (delay, ceiling) in zip(delays, [1.0, 2, 4, 4]) {
            #expect(delay >= 0 && delay < ceiling, "delay \(delay) above its ceiling \(ceiling)")
        }
        #expect(try await backoffDelays(seed: 42) == delays, "the same seed waits the same")
        #expect(try await backoffDelays(seed: 43) != delays)
    }

    @Test func seededFaultStormEndsWithEveryCallAnswered() async throws {
        // Seed 8 plays every kind of fault within the first 34 requests, a hang among them.
        try await withProxy(.seeded(seed: 8, rate: 0.35)) { proxy, server in
            let accounting = TeacherAccounting()
            let teacher = try policy(openAITeacher(proxy.baseURL, timeout: 3), clock: VirtualClock(),
                                     RequestPolicyConfiguration(maxConcurrent: 8, maxAttempts: 12), accounting: accounting)
            let texts = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<24 { group.addTask { try await teacher.complete(userRequest("call \(i)")).choices[0].text } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(texts == Set((0..<24).map { "echo: call \($0)" }))
            #expect(Set(proxy.faults) == Set(Fault.allKinds + [.pass]), "every kind was played: \(proxy.faults)")
            let injected = proxy.faults.filter { $0 != .pass }.count
            #expect(proxy.requestCount >= 24 + injected)
            let account = accounting.snapshot
            #expect(account.calls == 24 && account.failures == 0)
            #expect(account.attempts == proxy.requestCount && account.retries == proxy.requestCount - 24)
            #expect(server.requestCount == proxy.forwardedCount, "the upstream saw only what the proxy passed on")
        }
    }

    @Test func concurrencyLimitBoundsCallsInFlight() async throws {
        try await withServer(delay: 0.05) { server in
            let probe = InFlightProbe(try openAITeacher(server.baseURL))
            let teacher = try RequestPolicy(wrapping: probe, configuration: RequestPolicyConfiguration(maxConcurrent: 3))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<12 { group.addTask { _ = try await teacher.complete(userRequest("c \(i)")) } }
                try await group.waitForAll()
            }
            #expect(probe.maximum == 3, "at most 3 in flight, and the limit is used")
            #expect(server.requestCount == 12)
        }
    }

    @Test func requestsPerMinuteArePacedByTheBucket() async throws {
        try await withServer { server in
            let clock = VirtualClock()
            // Two requests a minute: a burst of two, then one every 30 s.
            let teacher = try policy(openAITeacher(server.baseURL), clock: clock, RequestPolicyConfiguration(requestsPerMinute: 2))
            for i in 0..<4 { _ = try await teacher.complete(userRequest("r \(i)")) }
            #expect(clock.sleeps == [30, 30])
        }
    }

    @Test func tokensPerMinuteAreEstimatedThenCorrectedWithUsage() async throws {
        try await withServer { server in
            let clock = VirtualClock()
            let accounting = TeacherAccounting()
            // Each call is estimated at 155 tokens (4 + 1 for "hi", 150 of budget) and really uses 3;
            // only the correction lets the second call go without waiting in a 200-token minute.
            let teacher = try policy(openAITeacher(server.baseURL), clock: clock,
                                     RequestPolicyConfiguration(tokensPerMinute: 200), accounting: accounting)
            _ = try await teacher.complete(userRequest("hi", maxTokens: 150))
            _ = try await teacher.complete(userRequest("hi", maxTokens: 150))
            #expect(clock.sleeps.isEmpty)
            #expect(accounting.snapshot.totalTokens == 6)
            // 194 tokens are left; a call estimated at 200 waits for the bucket to refill.
            _ = try await teacher.complete(userRequest("hi", maxTokens: 195))
            #expect(clock.sleeps.count == 1)
            #expect(abs((clock.sleeps.first ?? 0) - 6.0 / (200.0 / 60)) < 1e-9, "6 tokens short at 200 a minute")
        }
    }

    @Test func impossibleConfigurationsAreRefused() throws {
        let teacher = try openAITeacher("http://127.0.0.1:9")
        for configuration in [RequestPolicyConfiguration(maxConcurrent: 0), RequestPolicyConfiguration(maxAttempts: 0),
                              RequestPolicyConfiguration(requestsPerMinute: 0), RequestPolicyConfiguration(baseDelay: -1)] {
            #expect(throws: TeacherError.self) { try RequestPolicy(wrapping: teacher, configuration: configuration) }
        }
    }

    @Test func pricingAndAccountingAddUp() async throws {
        try await withServer { server in
            let accounting = TeacherAccounting(pricing: TeacherPricing(inputPerMillion: 2, outputPerMillion: 10))
            let teacher = try policy(openAITeacher(server.baseURL), clock: VirtualClock(), accounting: accounting)
            _ = try await teacher.complete(userRequest("one two three"))  // 3 prompt, 4 completion tokens
            _ = try await teacher.complete(userRequest("four"))  // 1 prompt, 2 completion tokens
            let account = accounting.snapshot
            #expect(account.calls == 2 && account.promptTokens == 4 && account.completionTokens == 6)
            #expect(abs(account.cost - (4 * 2 + 6 * 10) / 1e6) < 1e-15)
        }
        #expect(TeacherPricing(inputPerMillion: 3, outputPerMillion: 15).cost(of: TokenUsage(promptTokens: 1_000_000, completionTokens: 2_000_000)) == 33)
    }
}

/// Passes calls to a real teacher and records the most that were in flight at once.
final class InFlightProbe: Teacher, @unchecked Sendable {
    private let inner: any Teacher
    private let lock = NSLock()
    private var current = 0
    private var peak = 0

    init(_ inner: any Teacher) { self.inner = inner }

    var identity: TeacherIdentity { inner.identity }
    var capabilities: TeacherCapabilities { inner.capabilities }
    var maximum: Int { lock.withLock { peak } }

    func complete(_ request: TeacherRequest) async throws -> TeacherResponse {
        lock.withLock {
            current += 1
            peak = max(peak, current)
        }
        defer { lock.withLock { current -= 1 } }
        return try await inner.complete(request)
    }
}
