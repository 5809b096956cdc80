// Self-Instruct's novelty rule (Wang et al., 2023, §2.3): a new instruction joins the pool only if
// its ROUGE-L F-measure with every instruction already in the pool is below a threshold (0.7).
// The decision is the pairwise rule's, exactly: pool items are skipped only when an upper bound
// proves their F-measure is below the threshold, and the rest get the real LCS.
//
// The bounds, for a candidate of m tokens and a pool item of n tokens (F = 2·LCS/(m+n)):
//   • LCS ≤ min(m, n)                                    (length filter)
//   • LCS ≤ |tokens(candidate) ∩ tokens(item)| as multisets (overlap filter)
//   • prefix filter (Chaudhuri et al. 2006; Bayardo et al. 2007): an overlap of at least o means
//     the first |x| − o + 1 elements of each multiset, in one global order, share an element. The
//     pool's prefixes are in an inverted index, so only items sharing a prefix element with the
//     candidate are looked at. The global order puts rare tokens first (document frequency), which
//     keeps the probed posting lists short; it is re-snapshotted, and the index rebuilt, each time
//     the pool doubles, so the order is fixed between rebuilds as the lemma requires.
// Every bound is compared with a margin (`boundSlack`), so float rounding can never skip an item
// whose F-measure, computed like rouge_score, reaches the threshold.
import Foundation

/// The pool item most similar to a candidate, among those at or above the threshold.
public struct NoveltyMatch: Sendable, Hashable {
    public var poolIndex: Int
    public var label: String
    /// Target = the candidate, prediction = the pool item, as in Self-Instruct's `scorer.score(inst, pool_item)`.
    public var score: RougeScore
}

/// Counters that show how much work the bounds saved.
public struct NoveltyStatistics: Sendable, Hashable {
    /// Candidate × pool-item pairs the pairwise rule would score.
    public var pairs = 0
    /// Index entries read while probing.
    public var indexEntriesRead = 0
    /// Pool items the prefix index proposed after the positional and prefix-end bounds.
    public var proposed = 0
    /// Pairs that needed the LCS after the length and overlap bounds.
    public var lcsComputed = 0
}

public struct NoveltyFilter: Sendable {
    public static let checkName = "novelty"
    /// Default threshold of Self-Instruct.
    public static let selfInstructThreshold = 0.7

    /// A candidate is rejected when its ROUGE-L F with some pool item is ≥ this.
    public let threshold: Double
    public private(set) var statistics = NoveltyStatistics()

    private var vocabulary = TokenVocabulary()
    private var pool = TokenPool()
    private var index = PrefixIndex()
    private var scratch = CandidateScratch()
    /// Per pool item during one probe: stamp << 32 | shared prefix elements found so far (as
    /// Int32, -1 once pruned); entries with an old stamp count as untouched.
    private var probeState: [UInt64] = []
    private var stamp: UInt32 = 0
    private var neededByLength: [Int32] = []
    /// Pool size at which the token order is re-snapshotted and the index rebuilt.
    private var nextRebuild = 16

    /// Margin on every bound: F computed in floating point differs from 2·LCS/(m+n) by a few ulps.
    static let boundSlack = 1e-9

    public init(threshold: Double = NoveltyFilter.selfInstructThreshold) throws(QualityConfigurationError) {
        guard threshold > 0.001, threshold <= 1 else {
            throw QualityConfigurationError(
                setting: "novelty threshold", "\(threshold) is outside (0.001, 1]; Self-Instruct uses 0.7")
        }
        self.threshold = threshold
    }

    public var poolCount: Int { pool.count }

    /// Adds a text to the pool without checking it (the seed instructions).
    public mutating func addToPool(_ text: String, label: String) {
        insert(vocabulary.tokenIDs(text), label: label)
    }

    /// The pool item with the highest ROUGE-L F ≥ threshold (earliest on ties), or nil when the
    /// candidate is novel. Text without ROUGE tokens (empty, or only non-ASCII letters, which
    /// rouge_score drops) scores 0 against everything and is novel.
    public mutating func mostSimilar(to text: String) -> NoveltyMatch? {
        bestMatch(vocabulary.tokenIDs(text))
    }

    /// Keeps a novel candidate and adds it to the pool, or rejects it naming the score, the
    /// threshold and the pool item it is too close to.
    public mutating func admit(_ text: String, label: String) -> QualityVerdict {
        let ids = vocabulary.tokenIDs(text)
        if let match = bestMatch(ids) {
            return .reject(
                check: Self.checkName,
                reason: "ROUGE-L \(String(format: "%.3f", match.score.fmeasure)) ≥ \(String(format: "%.2f", threshold))"
                    + " with \(match.label)")
        }
        insert(ids, label: label)
        return .keep
    }

    // MARK: - Bounds

    /// The smallest LCS that can give F ≥ threshold (less the slack) for lengths m and n.
    func requiredOverlap(_ m: Int, _ n: Int) -> Int {
        let exact = (threshold - Self.boundSlack) * Double(m + n) / 2
        return max(1, Int((exact - 1e-7).rounded(.down)) + 1)
    }

    /// Prefix length for a sequence of `length` tokens: length − o + 1, with o the smallest
    /// required overlap over every partner length that passes the length filter.
    func prefixLength(_ length: Int) -> Int {
        // m − requiredOverlap(m, n) never decreases in m, so the first feasible m is found by bisection.
        var low = 1, high = length
        while low < high {
            let mid = (low + high) / 2
            if mid >= requiredOverlap(mid, length) { high = mid } else { low = mid + 1 }
        }
        let smallest = requiredOverlap(low, length)
        return min(length, length - smallest + 1)
    }

    /// Pool items that may reach the threshold: those sharing an element with the candidate's
    /// prefix and surviving, at each shared element (positions i in the candidate, j in the item),
    /// the length filter and PPJoin's positional filter (Xiao et al., 2008): shared elements
    /// before (i, j) are all in both prefixes, so overlap ≤ found so far + 1 + min(m−i−1, n−j−1).
    private mutating func probe(m: Int) -> [Int32] {
        let count = pool.count
        if probeState.count < count { probeState.append(contentsOf: repeatElement(0, count: count - probeState.count)) }
        stamp &+= 1
        if stamp == 0 {
            for i in probeState.indices { probeState[i] = 0 }
            stamp = 1
        }
        // requiredOverlap(m, n) for every n up to the longest pool item (up to a cap).
        let tableSize = min(pool.maxLength, 4096) + 1
        neededByLength.removeAll(keepingCapacity: true)
        for n in 0..<tableSize { neededByLength.append(Int32(requiredOverlap(m, n))) }

        var touched: [Int32] = []
        var entriesRead = 0
        defer { statistics.indexEntriesRead += entriesRead }
        let probeLength = prefixLength(m)
        let prefix = scratch.orderedElements(order: index.order, count: probeLength)
        let stampBits = UInt64(stamp) << 32
        // Moved out of self for the loop, so reading the index and pool does not overlap its mutation.
        var probeState = self.probeState
        self.probeState = []
        defer { self.probeState = probeState }
        probeState.withUnsafeMutableBufferPointer { state in
            pool.lengths.withUnsafeBufferPointer { lengths in
                neededByLength.withUnsafeBufferPointer { table in
                    for (i, element) in prefix.elements.enumerated() {
                        guard let entries = index.postings(of: element) else { continue }
                        entriesRead += entries.count
                        let candidateRest = m - i - 1
                        for entry in entries {
                            let item = Int(truncatingIfNeeded: entry >> 32)
                            let j = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
                            var found: Int32 = 0
                            let current = state[item]
                            if current & 0xFFFF_FFFF_0000_0000 == stampBits {
                                found = Int32(truncatingIfNeeded: current)
                                if found < 0 { continue }
                            } else {
                                touched.append(Int32(truncatingIfNeeded: item))
                            }
                            let n = Int(lengths[item])
                            let needed = n < table.count ? Int(table[n]) : requiredOverlap(m, n)
                            let survives = min(m, n) >= needed && Int(found) + 1 + min(candidateRest, n - j - 1) >= needed
                            let next: Int32 = survives ? found + 1 : -1
                            state[item] = stampBits | UInt64(UInt32(bitPattern: next))
                        }
                    }
                }
            }
        }
        // PPJoin's prefix-end bound: every shared element up to the earlier of the two prefixes'
        // last elements was found; the ones after it lie in the suffix of the side whose prefix
        // ends first.
        return touched.filter { item in
            let item = Int(item)
            let found = Int(Int32(truncatingIfNeeded: probeState[item]))
            if found <= 0 { return false }
            let n = pool.length(item)
            let candidateEndsFirst =
                (prefix.lastKey, prefix.lastOccurrence) < (index.lastKey[item], index.lastOccurrence[item])
            let rest = candidateEndsFirst ? m - probeLength : n - Int(index.prefixLength[item])
            return found + rest >= requiredOverlap(m, n)
        }
    }

    // MARK: - Pool and index

    private mutating func insert(_ ids: [Int32], label: String) {
        let item = pool.append(ids, label: label)
        if pool.count >= nextRebuild {
            nextRebuild = pool.count * 2
            index.rebuild(pool: pool, prefixLengthOf: prefixLength)
        } else {
            index.add(item: item, pool: pool, prefixLength: prefixLength(ids.count))
        }
    }

    private mutating func bestMatch(_ ids: [Int32]) -> NoveltyMatch? {
        let m = ids.count
        statistics.pairs += pool.count
        guard m > 0, pool.count > 0 else { return nil }
        scratch.load(candidate: ids)
        defer { scratch.clear() }
        let proposed = probe(m: m)
        statistics.proposed += proposed.count

        var best: NoveltyMatch?
        var patternSet = false
        for item in proposed {
            let item = Int(item)
            let n = pool.length(item)
            let needed = requiredOverlap(m, n)
            if min(m, n) < needed { continue }
            let bound = min(scratch.overlap(with: pool, item: item, needed: needed), m, n)
            if bound < needed { continue }
            if let best, 2 * Double(bound) / Double(m + n) < best.score.fmeasure - Self.boundSlack { continue }
            if !patternSet {
                scratch.matcher.setPattern(ids)
                patternSet = true
            }
            statistics.lcsComputed += 1
            let lcs = scratch.matcher.lcsLength(with: pool.tokens(item))
            let score = RougeScore(lcs: lcs, targetLength: m, predictionLength: n)
            guard score.fmeasure >= threshold else { continue }
            if let current = best,
                score.fmeasure < current.score.fmeasure
                    || (score.fmeasure == current.score.fmeasure && item > current.poolIndex)
            {
                continue
            }
            best = NoveltyMatch(poolIndex: item, label: pool.labels[item], score: score)
        }
        return best
    }
}
