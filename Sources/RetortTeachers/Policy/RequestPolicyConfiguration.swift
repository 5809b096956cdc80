// The knobs of the request policy, as a recipe's teacher block sets them. Defaults suit a paid API
// with unknown limits; local servers want a higher `maxConcurrent` and no rate limits.

public struct RequestPolicyConfiguration: Sendable, Hashable {
    /// Calls in flight at once.
    public var maxConcurrent: Int
    /// Token-bucket limits; nil: unlimited. A bucket holds one minute's worth, so a full minute's
    /// budget may be spent in a burst.
    public var requestsPerMinute: Double?
    public var tokensPerMinute: Double?
    /// Calls made for one request before giving up (1: no retries).
    public var maxAttempts: Int
    /// Backoff after failed attempt k (when the server gave no Retry-After) is uniform in
    /// [0, min(maxDelay, baseDelay · 2^(k-1))] seconds ("full jitter").
    public var baseDelay: Double
    public var maxDelay: Double
    /// A server's Retry-After is obeyed up to this many seconds.
    public var maxRetryAfter: Double
    /// Seeds the jitter, so a run (and a test) waits the same delays every time.
    public var jitterSeed: UInt64

    public init(maxConcurrent: Int = 16, requestsPerMinute: Double? = nil, tokensPerMinute: Double? = nil,
                maxAttempts: Int = 6, baseDelay: Double = 1, maxDelay: Double = 60, maxRetryAfter: Double = 120,
                jitterSeed: UInt64 = 0) {
        self.maxConcurrent = maxConcurrent
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.jitterSeed = jitterSeed
    }

    func validate() throws(TeacherError) {
        if maxConcurrent < 1 { throw .invalidRequest("max_concurrent must be at least 1, got \(maxConcurrent)") }
        if maxAttempts < 1 { throw .invalidRequest("max_attempts must be at least 1, got \(maxAttempts)") }
        if let r = requestsPerMinute, !(r > 0) { throw .invalidRequest("requests_per_minute must be > 0, got \(r)") }
        if let t = tokensPerMinute, !(t > 0) { throw .invalidRequest("tokens_per_minute must be > 0, got \(t)") }
        if !(baseDelay >= 0 && maxDelay >= 0 && maxRetryAfter >= 0) {
            throw .invalidRequest("retry delays must be ≥ 0 (base \(baseDelay), max \(maxDelay), max Retry-After \(maxRetryAfter))")
        }
    }
}
