// Search-augmented instructions (SAIL, Luo et al., 2023): each question comes with numbered search
// results — the best BM25 hits, which may or may not help, plus distractor passages from other
// topics — so the student learns to use the relevant results, ignore the rest and cite what it
// used. Choices and order are derived from a stable hash of the question id: the same corpus and
// questions always give the same items.
import RetortPluginSDK

enum SearchAugmented {
    /// One question with its results. `gold` is the passage known to answer it (shipped questions),
    /// which is always among the results.
    static func item(id: String, question: String, answer: String?, gold: String?, index: BM25Index,
                     retrieved: Int = 2, distractors: Int = 2) -> JSONValue {
        var chosen = index.search(question, k: retrieved).map(\.passage)
        if let gold, !chosen.contains(where: { $0.id == gold }), let passage = index.passages.first(where: { $0.id == gold }) {
            if chosen.count >= retrieved { chosen.removeLast() }
            chosen.append(passage)
        }
        let retrievedIDs = Set(chosen.map(\.id))
        let topics = Set(chosen.map(\.topic))
        var pool = index.passages.filter { !retrievedIDs.contains($0.id) && !topics.contains($0.topic) }
        // Fewer hits than asked for (a rare query) are made up with distractors: every item shows
        // the same number of results.
        let wanted = distractors + max(0, retrieved - chosen.count)
        if pool.count < wanted { pool = index.passages.filter { !retrievedIDs.contains($0.id) } }
        var random = StableRandom(seed: id)
        for _ in 0..<min(wanted, pool.count) { chosen.append(pool.remove(at: random.next(below: pool.count))) }
        random.shuffle(&chosen)

        let numbered = chosen.enumerated().map { (number: $0.offset + 1, passage: $0.element) }
        var item: [String: JSONValue] = [
            "id": .string(id), "instruction": .string(question), "input": .string(render(chosen)),
            "passages": .array(chosen.map { .string($0.id) }),
            "retrieved": .array(numbered.filter { retrievedIDs.contains($0.passage.id) }.map { .number(Double($0.number)) }),
            "distractors": .array(numbered.filter { !retrievedIDs.contains($0.passage.id) }.map { .number(Double($0.number)) }),
        ]
        if let answer { item["answer"] = .string(answer) }
        if let gold { item["relevant"] = .array(numbered.filter { $0.passage.id == gold }.map { .number(Double($0.number)) }) }
        return .object(item)
    }

    /// "[1] Title: text" blocks separated by blank lines: what the template shows and what the
    /// grounding filter reads back.
    static func render(_ passages: [Passage]) -> String {
        passages.enumerated().map { "[\($0.offset + 1)] \($0.element.display)" }.joined(separator: "\n\n")
    }

    /// The shipped questions over the shipped corpus.
    static let shippedItems: [JSONValue] = {
        let index = BM25Index(Passage.shipped)
        return CorpusQuestion.shipped.map { item(id: $0.id, question: $0.question, answer: $0.answer, gold: $0.passage, index: index) }
    }()
}

/// SplitMix64 seeded by FNV-1a of a string: deterministic choices without Foundation's random.
struct StableRandom {
    private var state: UInt64

    init(seed: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        state = hash
    }

    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, next(below: i + 1)) }
    }
}
