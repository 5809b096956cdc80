// Deterministic choices that must repeat exactly on resume (which examples a prompt shows, which
// evolution a round applies), on the kernel's SplitMix64.
import RetortTensor

public struct SeededRandom: Sendable {
    private var generator: SplitMix64

    public init(_ seed: UInt64) { generator = SplitMix64(seed: seed) }

    public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(generator.next() % UInt64(n)) }

    /// `count` distinct elements (all of them, shuffled, when there are fewer).
    public mutating func sample<T>(_ items: [T], count: Int) -> [T] {
        var copy = items
        shuffle(&copy)
        return Array(copy.prefix(count))
    }

    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, below(i + 1)) }
    }
}
