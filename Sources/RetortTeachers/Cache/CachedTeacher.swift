// A teacher behind the run store's call cache: a request seen before is answered from the store and
// never sent again; a new one is sent once and stored with its latency and cost. Identical requests
// that arrive while the first is in flight wait for it instead of paying again.
import Foundation

public struct CachedTeacher: Teacher {
    public let wrapped: any Teacher
    public let cache: any TeacherCallCache
    /// Counts hits, misses and coalesced calls; its prices give the stored cost.
    public let accounting: TeacherAccounting
    private let inFlight = InFlightCalls()

    public var identity: TeacherIdentity { wrapped.identity }
    public var capabilities: TeacherCapabilities { wrapped.capabilities }

    public init(wrapping teacher: any Teacher, cache: any TeacherCallCache,
                accounting: TeacherAccounting = TeacherAccounting()) {
        self.wrapped = teacher
        self.cache = cache
        self.accounting = accounting
    }

    /// Errors of the cache itself (reading or storing) pass through as the cache threw them.
    public func complete(_ request: TeacherRequest) async throws -> TeacherResponse {
        try request.validate()
        let key = TeacherCallKey.key(identity: identity, request: request)
        if let stored = try cache.cachedResponse(key: key) {
            accounting.recordCacheHit()
            return stored
        }
        let (call, started) = await inFlight.join(key: key) { [wrapped, cache, accounting, identity] in
            // Stored by a call that finished between the lookup above and now.
            if let stored = try cache.cachedResponse(key: key) { return (stored, true) }
            let start = ContinuousClock.now
            let response = try await wrapped.complete(request)
            let latency = (ContinuousClock.now - start).inSeconds
            try cache.store(TeacherCallRecord(key: key, identity: identity, request: request, response: response,
                                              latency: latency, cost: accounting.cost(of: response.usage)))
            return (response, false)
        }
        let (response, fromCache) = try await call.value
        if !started {
            accounting.recordCoalesced()
        } else if fromCache {
            accounting.recordCacheHit()
        } else {
            accounting.recordCacheMiss()
        }
        return response
    }
}

/// The calls in flight, by key. A call runs in its own task so it finishes and is stored even if
/// the caller that started it is cancelled; it leaves the table once stored (or failed), so a
/// failed call is tried afresh by the next request.
actor InFlightCalls {
    typealias Outcome = (response: TeacherResponse, fromCache: Bool)
    private var running: [String: Task<Outcome, any Error>] = [:]

    /// The running call for `key`, or a new one made by `start`; `started` says which.
    func join(key: String, start: @escaping @Sendable () async throws -> Outcome)
        -> (call: Task<Outcome, any Error>, started: Bool) {
        if let call = running[key] { return (call, false) }
        let call = Task {
            defer { running[key] = nil }
            return try await start()
        }
        running[key] = call
        return (call, true)
    }
}
