// A call cache that lives as long as the process: for commands that run without a run store, and
// for checking the caching wrapper on its own. Thread-safe.
import Foundation

public final class InMemoryTeacherCallCache: TeacherCallCache, @unchecked Sendable {
    private let lock = NSLock()
    private var records: [String: TeacherCallRecord] = [:]

    public init() {}

    public func cachedResponse(key: String) throws -> TeacherResponse? {
        lock.withLock { records[key]?.response }
    }

    public func store(_ call: TeacherCallRecord) throws {
        lock.withLock { records[call.key] = call }
    }

    /// The stored call for `key`, with its latency and cost.
    public func record(key: String) -> TeacherCallRecord? {
        lock.withLock { records[key] }
    }

    public var count: Int { lock.withLock { records.count } }
}
