// A clock for the request policy that never waits: sleeping advances virtual time at once and is
// recorded, so tests check backoff and rate-limit delays exactly and run in no time.
import Foundation
import RetortTeachers

public final class VirtualClock: RequestPolicyClock, @unchecked Sendable {
    private let lock = NSLock()
    private var time: Double
    private var recorded: [Double] = []

    public init(start: Double = 1000) { time = start }

    public func now() -> Double { lock.withLock { time } }

    /// Every sleep the policy asked for, in order.
    public var sleeps: [Double] { lock.withLock { recorded } }

    public func sleep(seconds: Double) async throws {
        try Task.checkCancellation()
        lock.withLock {
            recorded.append(seconds)
            time += max(0, seconds)
        }
        await Task.yield()
    }

    /// Moves time forward without a sleep (time passing while nobody waits).
    public func advance(by seconds: Double) {
        lock.withLock { time += seconds }
    }
}
