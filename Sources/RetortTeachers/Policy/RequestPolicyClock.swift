// The time source of the request policy: token buckets read it, backoff and rate waits sleep on
// it. Tests inject a virtual clock so waits are checked exactly and cost no time.

public protocol RequestPolicyClock: Sendable {
    /// Seconds since a fixed, arbitrary origin.
    func now() -> Double
    /// Waits `seconds`; throws CancellationError when the task is cancelled.
    func sleep(seconds: Double) async throws
}

/// Real time, from the monotonic clock.
public struct SystemRequestPolicyClock: RequestPolicyClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() -> Double { (ContinuousClock.now - origin).inSeconds }

    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(for: .nanoseconds(Int64(min(seconds, 1e9) * 1e9)))
    }
}

extension Duration {
    /// The duration as a number of seconds.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
