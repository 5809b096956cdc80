// The order in which the trainer visits examples: a fresh seeded shuffle every epoch (or the
// given order), and a cursor. Its whole state is three integers, so a checkpoint can restore it
// and the resumed run sees the same examples in the same order.
import Foundation
import RetortTensor

public struct TrainingDataOrder: Sendable {
    public let count: Int
    public let shuffles: Bool
    /// The generator's state before this epoch's shuffle; replaying from it rebuilds `order`.
    public private(set) var epochStartState: UInt64
    public private(set) var epoch: Int
    /// How many examples of this epoch were handed out.
    public private(set) var cursor: Int
    private var generator: SplitMix64
    private var order: [Int]

    public init(count: Int, seed: UInt64, shuffles: Bool) {
        self.count = count
        self.shuffles = shuffles
        generator = SplitMix64(seed: seed)
        epochStartState = generator.state
        epoch = 0
        cursor = 0
        order = []
        order = makeOrder()
    }

    /// Restores the state `epochStartState`, `epoch` and `cursor` describe.
    public init(count: Int, shuffles: Bool, epochStartState: UInt64, epoch: Int, cursor: Int) {
        self.count = count
        self.shuffles = shuffles
        generator = SplitMix64(seed: epochStartState)
        self.epochStartState = epochStartState
        self.epoch = epoch
        self.cursor = cursor
        order = []
        order = makeOrder()
    }

    /// A permutation of 0..<count by Fisher-Yates with the generator (identity when not shuffling).
    private mutating func makeOrder() -> [Int] {
        var order = Array(0..<count)
        guard shuffles, count > 1 else { return order }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(generator.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }

    /// The next example index, starting a new shuffled epoch when this one is used up.
    public mutating func next() -> Int {
        if cursor == count {
            epoch += 1
            cursor = 0
            epochStartState = generator.state
            order = makeOrder()
        }
        defer { cursor += 1 }
        return order[cursor]
    }

    /// The indices of the examples that fill the next B rows of T tokens by PackedBatch's greedy
    /// rule (every length must be <= T). Examples that do not fit stay for the next call.
    public mutating func nextMicroBatch(lengths: [Int], B: Int, T: Int) -> [Int] {
        var indices: [Int] = []
        var row = 0, fill = 0
        while true {
            var probe = self
            let index = probe.next()
            let length = lengths[index]
            if fill + length > T { row += 1; fill = 0 }
            if row >= B { break }
            fill += length
            indices.append(index)
            self = probe
        }
        return indices
    }

    /// The same for groups of sequences that must share a micro-batch (a prompt's ranked answers):
    /// a group is taken only when all of its sequences fit, laid out in order by the greedy rule.
    /// Every group must fit into B rows of T on its own.
    public mutating func nextMicroBatch(groupLengths: [[Int]], B: Int, T: Int) -> [Int] {
        var indices: [Int] = []
        var row = 0, fill = 0
        while true {
            var probe = self
            let index = probe.next()
            var probeRow = row, probeFill = fill
            for length in groupLengths[index] {
                if probeFill + length > T { probeRow += 1; probeFill = 0 }
                probeFill += length
            }
            if probeRow >= B { break }
            (row, fill) = (probeRow, probeFill)
            indices.append(index)
            self = probe
        }
        return indices
    }
}
