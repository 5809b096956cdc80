// The storage behind NoveltyFilter: the pool's token sequences, their token multisets, and the
// inverted index over each item's prefix (see NoveltyFilter.swift for why prefixes suffice).

/// Pool items as flat arrays: token sequences (for the LCS) and distinct (token, count) pairs
/// (for the multiset overlap), plus each token's document frequency.
struct TokenPool: Sendable {
    private(set) var tokens: [Int32] = []
    private(set) var tokenStart: [Int] = [0]
    private(set) var distinctTokens: [Int32] = []
    private(set) var distinctCounts: [Int32] = []
    private(set) var distinctStart: [Int] = [0]
    private(set) var labels: [String] = []
    private(set) var lengths: [Int32] = []
    private(set) var maxLength = 0
    /// Number of pool items containing each token id.
    private(set) var documentFrequency: [Int32] = []

    var count: Int { labels.count }

    func length(_ item: Int) -> Int { tokenStart[item + 1] - tokenStart[item] }

    func tokens(_ item: Int) -> ArraySlice<Int32> { tokens[tokenStart[item]..<tokenStart[item + 1]] }

    func distinct(_ item: Int) -> Range<Int> { distinctStart[item]..<distinctStart[item + 1] }

    mutating func append(_ ids: [Int32], label: String) -> Int {
        tokens.append(contentsOf: ids)
        tokenStart.append(tokens.count)
        lengths.append(Int32(ids.count))
        maxLength = max(maxLength, ids.count)
        var counts: [Int32: Int32] = [:]
        for id in ids { counts[id, default: 0] += 1 }
        for (token, count) in counts.sorted(by: { $0.key < $1.key }) {
            distinctTokens.append(token)
            distinctCounts.append(count)
            if Int(token) >= documentFrequency.count {
                documentFrequency.append(contentsOf: repeatElement(0, count: Int(token) + 1 - documentFrequency.count))
            }
            documentFrequency[Int(token)] += 1
        }
        distinctStart.append(distinctTokens.count)
        labels.append(label)
        return labels.count - 1
    }
}

/// The global order of multiset elements (token, k-th occurrence): rarer tokens first by the
/// document frequencies snapshotted at the last rebuild (tokens seen since count as 0), ties
/// broken by token id, then by k. It stays fixed between rebuilds.
struct TokenOrder: Sendable {
    var frequency: [Int32] = []

    func key(_ token: Int32) -> UInt64 {
        let f = Int(token) < frequency.count ? UInt64(frequency[Int(token)]) : 0
        return f << 32 | UInt64(UInt32(bitPattern: token))
    }
}

/// Inverted index: element (token, k) → the pool items whose prefix contains it, each with the
/// element's position in that item's ordered multiset (for the positional filter).
struct PrefixIndex: Sendable {
    private(set) var order = TokenOrder()
    private var postings: [UInt64: [UInt64]] = [:]
    /// Per item: its prefix length and the order key of its last prefix element, (token key, k).
    private(set) var prefixLength: [Int32] = []
    private(set) var lastKey: [UInt64] = []
    private(set) var lastOccurrence: [Int32] = []

    static func elementKey(token: Int32, occurrence: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: token)) << 32 | UInt64(UInt32(bitPattern: occurrence))
    }

    /// Entries of one element: item << 32 | position.
    func postings(of element: UInt64) -> [UInt64]? { postings[element] }

    mutating func rebuild(pool: TokenPool, prefixLengthOf: (Int) -> Int) {
        order = TokenOrder(frequency: pool.documentFrequency)
        postings.removeAll(keepingCapacity: true)
        prefixLength.removeAll(keepingCapacity: true)
        lastKey.removeAll(keepingCapacity: true)
        lastOccurrence.removeAll(keepingCapacity: true)
        for item in 0..<pool.count { add(item: item, pool: pool, prefixLength: prefixLengthOf(pool.length(item))) }
    }

    /// Indexes the first `prefixLength` elements of `item` (items are added in order 0, 1, 2…).
    mutating func add(item: Int, pool: TokenPool, prefixLength length: Int) {
        prefixLength.append(Int32(length))
        lastKey.append(0)
        lastOccurrence.append(0)
        let sorted = pool.distinct(item).sorted {
            order.key(pool.distinctTokens[$0]) < order.key(pool.distinctTokens[$1])
        }
        var position = 0
        for i in sorted {
            let token = pool.distinctTokens[i]
            for k in 0..<Int(pool.distinctCounts[i]) {
                if position == length { return }
                postings[Self.elementKey(token: token, occurrence: Int32(k)), default: []]
                    .append(UInt64(item) << 32 | UInt64(position))
                lastKey[item] = order.key(token)
                lastOccurrence[item] = Int32(k)
                position += 1
            }
        }
    }
}

/// Per-candidate working memory: its token counts in a dense array (reset after each query)
/// and the bit-parallel LCS matcher.
struct CandidateScratch: Sendable {
    private var countOf: [Int32] = []
    private var distinct: [Int32] = []
    var matcher = LCSMatcher()

    mutating func load(candidate ids: [Int32]) {
        if let largest = ids.max(), Int(largest) >= countOf.count {
            countOf.append(contentsOf: repeatElement(0, count: Int(largest) + 1 - countOf.count))
        }
        for id in ids {
            if countOf[Int(id)] == 0 { distinct.append(id) }
            countOf[Int(id)] += 1
        }
    }

    mutating func clear() {
        for id in distinct { countOf[Int(id)] = 0 }
        distinct.removeAll(keepingCapacity: true)
    }

    /// The first `count` elements of the candidate's multiset in `order`, as index keys, and
    /// the order key of the last one, (token key, k).
    func orderedElements(order: TokenOrder, count: Int) -> (elements: [UInt64], lastKey: UInt64, lastOccurrence: Int32) {
        var elements: [UInt64] = []
        elements.reserveCapacity(count)
        var last: (UInt64, Int32) = (0, 0)
        for token in distinct.sorted(by: { order.key($0) < order.key($1) }) {
            for k in 0..<Int(countOf[Int(token)]) {
                if elements.count == count { return (elements, last.0, last.1) }
                elements.append(PrefixIndex.elementKey(token: token, occurrence: Int32(k)))
                last = (order.key(token), Int32(k))
            }
        }
        return (elements, last.0, last.1)
    }

    /// |candidate ∩ item| as multisets, or any value below `needed` as soon as the item's
    /// unread tokens can no longer bring it to `needed`.
    func overlap(with pool: TokenPool, item: Int, needed: Int) -> Int {
        var total = 0
        var unread = pool.length(item)
        let known = countOf.count
        for i in pool.distinct(item) {
            let token = Int(pool.distinctTokens[i])
            let count = Int(pool.distinctCounts[i])
            if token < known { total += min(Int(countOf[token]), count) }
            unread -= count
            if total + unread < needed { return total + unread }
        }
        return total
    }
}
