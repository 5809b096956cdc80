// A token bucket that hands out reservations: a caller takes what it needs at once (the level may
// go below zero) and is told how long to wait until the bucket has refilled to cover it. Callers
// are thus paced in arrival order without polling. Not thread-safe; the policy holds a lock.

struct TokenBucket {
    let capacity: Double
    let refillPerSecond: Double
    private(set) var level: Double
    private var updated: Double

    init(perMinute: Double, now: Double) {
        capacity = perMinute
        refillPerSecond = perMinute / 60
        level = perMinute
        updated = now
    }

    /// Takes `amount` (at most a full bucket, so an oversized call can pass at all) and returns the
    /// seconds to wait before using it.
    mutating func reserve(_ amount: Double, now: Double) -> Double {
        refill(now)
        level -= min(amount, capacity)
        return level >= 0 ? 0 : -level / refillPerSecond
    }

    /// Returns `amount` to the bucket (negative: takes more), e.g. when the real token count of a
    /// call is known.
    mutating func adjust(by amount: Double, now: Double) {
        refill(now)
        level = min(capacity, level + amount)
    }

    private mutating func refill(_ now: Double) {
        guard now > updated else { return }
        level = min(capacity, level + (now - updated) * refillPerSecond)
        updated = now
    }
}
