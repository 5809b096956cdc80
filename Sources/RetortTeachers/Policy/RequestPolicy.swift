// A teacher wrapped in the manners a shared server expects: at most `maxConcurrent` calls in
// flight, requests and tokens per minute kept under their limits (token buckets; tokens estimated
// before a call and corrected with the reported usage after), and retryable failures
// (`TeacherError.isRetryable`: rate limits, server errors, timeouts, broken answers) retried with
// exponential backoff and full jitter, or after the server's Retry-After, up to `maxAttempts`.
// The per-call timeout is the wrapped backend's own (its HTTP timeout).
import Foundation
import RetortTensor

public struct RequestPolicy: Teacher {
    public let wrapped: any Teacher
    public let configuration: RequestPolicyConfiguration
    public let accounting: TeacherAccounting
    private let clock: any RequestPolicyClock
    private let limiter: ConcurrencyLimiter
    private let state: PolicyState

    public var identity: TeacherIdentity { wrapped.identity }
    public var capabilities: TeacherCapabilities { wrapped.capabilities }

    /// Throws `.invalidRequest` for a configuration that cannot work (no attempts, no concurrency…).
    public init(wrapping teacher: any Teacher, configuration: RequestPolicyConfiguration = RequestPolicyConfiguration(),
                accounting: TeacherAccounting = TeacherAccounting(),
                clock: any RequestPolicyClock = SystemRequestPolicyClock()) throws(TeacherError) {
        try configuration.validate()
        self.wrapped = teacher
        self.configuration = configuration
        self.accounting = accounting
        self.clock = clock
        self.limiter = ConcurrencyLimiter(limit: configuration.maxConcurrent)
        self.state = PolicyState(configuration: configuration, now: clock.now())
    }

    /// The wrapped teacher's answer, or its error: as is when it was not retried, else
    /// `.retriesExhausted(attempts:last:)`. Cancellation and non-teacher errors pass through at once.
    public func complete(_ request: TeacherRequest) async throws -> TeacherResponse {
        try request.validate()
        let estimate = Double(TokenEstimate.tokens(for: request))
        var attempt = 0
        while true {
            attempt += 1
            accounting.recordAttempt()
            do {
                let response = try await attemptOnce(request, estimatedTokens: estimate)
                accounting.recordCall(usage: response.usage)
                return response
            } catch let error as TeacherError {
                guard error.isRetryable, attempt < configuration.maxAttempts else {
                    accounting.recordFailure()
                    throw attempt == 1 ? error : TeacherError.retriesExhausted(attempts: attempt, last: error)
                }
                accounting.recordRetry()
                try await clock.sleep(seconds: state.backoff(afterAttempt: attempt, error: error))
            }
        }
    }

    private func attemptOnce(_ request: TeacherRequest, estimatedTokens: Double) async throws -> TeacherResponse {
        try await limiter.acquire()
        do {
            let wait = state.reserve(tokens: estimatedTokens, now: clock.now())
            if wait > 0 { try await clock.sleep(seconds: wait) }
            let response = try await wrapped.complete(request)
            let used = Double(response.usage.promptTokens + response.usage.completionTokens)
            // A server that reports no usage keeps the estimate charged.
            if used > 0 { state.adjustTokens(by: estimatedTokens - used, now: clock.now()) }
            await limiter.release()
            return response
        } catch {
            // A failed call is assumed to have used no tokens (rate-limited and refused calls do not).
            state.adjustTokens(by: estimatedTokens, now: clock.now())
            await limiter.release()
            throw error
        }
    }
}

/// The policy's mutable parts, shared by all copies of one policy and guarded by one lock.
private final class PolicyState: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: TokenBucket?
    private var tokens: TokenBucket?
    /// The kernel's SplitMix64: the jitter of a run (and a test) depends only on the seed.
    private var random: SplitMix64
    private let configuration: RequestPolicyConfiguration

    init(configuration: RequestPolicyConfiguration, now: Double) {
        self.configuration = configuration
        requests = configuration.requestsPerMinute.map { TokenBucket(perMinute: $0, now: now) }
        tokens = configuration.tokensPerMinute.map { TokenBucket(perMinute: $0, now: now) }
        random = SplitMix64(seed: configuration.jitterSeed)
    }

    /// Takes one request and `tokens` from the buckets; the seconds to wait before sending.
    func reserve(tokens amount: Double, now: Double) -> Double {
        lock.withLock {
            let requestWait = requests?.reserve(1, now: now) ?? 0
            let tokenWait = tokens?.reserve(amount, now: now) ?? 0
            return max(requestWait, tokenWait)
        }
    }

    func adjustTokens(by amount: Double, now: Double) {
        lock.withLock { tokens?.adjust(by: amount, now: now) }
    }

    /// Retry-After when the server sent one (capped), else full jitter on the exponential ceiling.
    func backoff(afterAttempt attempt: Int, error: TeacherError) -> Double {
        if case .http(_, _, let retryAfter?) = error { return min(retryAfter, configuration.maxRetryAfter) }
        let ceiling = min(configuration.maxDelay, configuration.baseDelay * pow(2, Double(min(attempt - 1, 60))))
        return lock.withLock { Double(random.next() >> 11) * 0x1p-53 } * ceiling
    }
}
