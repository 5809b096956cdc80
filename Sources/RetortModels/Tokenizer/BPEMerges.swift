// The merge table of a BPE vocabulary and the merge loop: starting from one symbol per byte,
// repeatedly merge the adjacent pair with the lowest rank (the leftmost on ties), as the Hugging
// Face BPE model does. A binary heap with lazily discarded stale entries keeps long pieces
// (whitespace runs, long words) at O(n log n).

struct BPEMerges: Sendable {
    struct Merge: Sendable {
        let rank: Int32
        let result: Int32
    }

    private let table: [UInt64: Merge]

    init(table: [UInt64: Merge]) { self.table = table }

    static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    func merge(_ left: Int32, _ right: Int32) -> Merge? { table[Self.key(left, right)] }

    /// Merges `symbols` (token ids) as far as the table allows.
    func apply(_ symbols: [Int32]) -> [Int32] {
        if symbols.count < 2 { return symbols }
        var ids = symbols
        var next = Array(1...symbols.count)       // symbols.count means "none"
        var prev = Array(-1..<(symbols.count - 1))
        var alive = [Bool](repeating: true, count: symbols.count)
        var heap = PairHeap()
        for i in 0..<(ids.count - 1) {
            if let m = merge(ids[i], ids[i + 1]) { heap.push(.init(rank: m.rank, left: i, leftID: ids[i], rightID: ids[i + 1])) }
        }
        while let top = heap.pop() {
            let l = top.left
            guard alive[l], ids[l] == top.leftID else { continue }
            let r = next[l]
            guard r < ids.count, ids[r] == top.rightID, let m = merge(ids[l], ids[r]) else { continue }
            ids[l] = m.result
            alive[r] = false
            next[l] = next[r]
            if next[r] < ids.count { prev[next[r]] = l }
            if prev[l] >= 0, let pm = merge(ids[prev[l]], ids[l]) {
                heap.push(.init(rank: pm.rank, left: prev[l], leftID: ids[prev[l]], rightID: ids[l]))
            }
            if next[l] < ids.count, let nm = merge(ids[l], ids[next[l]]) {
                heap.push(.init(rank: nm.rank, left: l, leftID: ids[l], rightID: ids[next[l]]))
            }
        }
        var out: [Int32] = []
        var i = 0
        while i < ids.count {
            out.append(ids[i])
            i = next[i]
        }
        return out
    }
}

/// A min-heap of candidate merges ordered by (rank, position).
private struct PairHeap {
    struct Entry {
        let rank: Int32
        let left: Int
        let leftID: Int32
        let rightID: Int32

        func precedes(_ other: Entry) -> Bool {
            rank != other.rank ? rank < other.rank : left < other.left
        }
    }

    private var items: [Entry] = []

    mutating func push(_ entry: Entry) {
        items.append(entry)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let l = 2 * parent + 1, r = l + 1
                var best = parent
                if l < items.count && items[l].precedes(items[best]) { best = l }
                if r < items.count && items[r].precedes(items[best]) { best = r }
                if best == parent { break }
                items.swapAt(parent, best)
                parent = best
            }
        }
        return first
    }
}
