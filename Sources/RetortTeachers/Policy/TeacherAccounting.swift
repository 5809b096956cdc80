// The running account of a run's teacher calls, shared by the wrappers that see them: the request
// policy counts attempts, retries, completed and failed calls, tokens and cost; the cache counts
// hits and misses. Thread-safe; read it with `snapshot`.
import Foundation

public struct TeacherAccountingSnapshot: Sendable, Hashable {
    /// Requests answered (after however many attempts).
    public var calls = 0
    /// Requests that failed for good.
    public var failures = 0
    /// HTTP calls made, first tries and retries.
    public var attempts = 0
    public var retries = 0
    public var promptTokens = 0
    public var completionTokens = 0
    public var cost = 0.0
    public var cacheHits = 0
    public var cacheMisses = 0
    /// Requests that waited for an identical request already in flight instead of being sent.
    public var coalesced = 0

    public init() {}

    public var totalTokens: Int { promptTokens + completionTokens }
}

public final class TeacherAccounting: @unchecked Sendable {
    /// Prices the cost is computed with; nil: cost stays 0.
    public let pricing: TeacherPricing?
    private let lock = NSLock()
    private var current = TeacherAccountingSnapshot()

    public init(pricing: TeacherPricing? = nil) { self.pricing = pricing }

    public var snapshot: TeacherAccountingSnapshot { lock.withLock { current } }

    /// The cost of `usage` at this account's prices.
    public func cost(of usage: TokenUsage) -> Double { pricing?.cost(of: usage) ?? 0 }

    public func recordAttempt() { lock.withLock { current.attempts += 1 } }
    public func recordRetry() { lock.withLock { current.retries += 1 } }
    public func recordFailure() { lock.withLock { current.failures += 1 } }
    public func recordCacheHit() { lock.withLock { current.cacheHits += 1 } }
    public func recordCacheMiss() { lock.withLock { current.cacheMisses += 1 } }
    public func recordCoalesced() { lock.withLock { current.coalesced += 1 } }

    public func recordCall(usage: TokenUsage) {
        let cost = cost(of: usage)
        lock.withLock {
            current.calls += 1
            current.promptTokens += usage.promptTokens
            current.completionTokens += usage.completionTokens
            current.cost += cost
        }
    }
}
