// ROUGE-L as Self-Instruct computes it with rouge_score: the longest common subsequence (LCS) of
// the two token sequences, precision = LCS/|prediction|, recall = LCS/|target|, F = 2PR/(P+R).
// The arithmetic follows rouge_score's order of operations, so the F-measure is bit-identical to
// Python's and a threshold decides exactly as the original does. The LCS is computed with the
// bit-parallel algorithm of Allison & Dix (1986) as refined by Hyyrö (2004): one pass over the
// second sequence, ⌈|first|/64⌉ machine words per step instead of a |first|×|second| table.

public struct RougeScore: Sendable, Hashable {
    public var precision: Double
    public var recall: Double
    public var fmeasure: Double

    /// rouge_score.rouge_scorer._score_lcs: zero when either side has no tokens.
    public init(lcs: Int, targetLength: Int, predictionLength: Int) {
        guard targetLength > 0, predictionLength > 0 else {
            self.init(precision: 0, recall: 0, fmeasure: 0)
            return
        }
        let precision = Double(lcs) / Double(predictionLength)
        let recall = Double(lcs) / Double(targetLength)
        self.init(precision: precision, recall: recall, fmeasure: RougeScore.fmeasure(precision: precision, recall: recall))
    }

    public init(precision: Double, recall: Double, fmeasure: Double) {
        self.precision = precision
        self.recall = recall
        self.fmeasure = fmeasure
    }

    /// rouge_score.scoring.fmeasure, in its order of operations.
    public static func fmeasure(precision: Double, recall: Double) -> Double {
        precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }
}

public enum RougeL {
    /// ROUGE-L of two texts with rouge_score's default tokenizer, like `RougeScorer(["rougeL"]).score(target, prediction)`.
    public static func score(target: String, prediction: String) -> RougeScore {
        var vocabulary = TokenVocabulary()
        let target = vocabulary.tokenIDs(target)
        let prediction = vocabulary.tokenIDs(prediction)
        return RougeScore(
            lcs: lcsLength(target, prediction), targetLength: target.count, predictionLength: prediction.count)
    }

    /// The length of the longest common subsequence of two sequences of token ids.
    public static func lcsLength(_ a: [Int32], _ b: [Int32]) -> Int {
        if a.isEmpty || b.isEmpty { return 0 }
        var matcher = LCSMatcher()
        matcher.setPattern(a)
        return matcher.lcsLength(with: b[...])
    }
}

/// Bit-parallel LCS against one fixed pattern (the candidate), reused for many other sequences.
/// Bit i of V is 1 while pattern[i] is not yet "used" by the LCS; for each token b of the other
/// sequence, with M the bits where pattern == b: U = V & M, V = (V + U) | (V & ~M).
/// The LCS length is then the number of zero bits among the pattern's |pattern| bits.
struct LCSMatcher {
    private(set) var patternLength = 0
    private var words = 0
    /// Match masks, `words` words per distinct pattern token, indexed by slotOfToken[token].
    private var masks: [UInt64] = []
    /// Dense map token id → mask slot, or -1 (grown on demand, reset after each pattern).
    private var slotOfToken: [Int32] = []
    private var patternTokens: [Int32] = []
    private var state: [UInt64] = []

    mutating func setPattern(_ pattern: [Int32]) {
        for token in patternTokens { slotOfToken[Int(token)] = -1 }
        patternTokens.removeAll(keepingCapacity: true)
        patternLength = pattern.count
        words = (pattern.count + 63) / 64
        masks.removeAll(keepingCapacity: true)
        if let largest = pattern.max(), Int(largest) >= slotOfToken.count {
            slotOfToken.append(contentsOf: repeatElement(-1, count: Int(largest) + 1 - slotOfToken.count))
        }
        for (i, token) in pattern.enumerated() {
            var slot = Int(slotOfToken[Int(token)])
            if slot < 0 {
                slot = patternTokens.count
                slotOfToken[Int(token)] = Int32(slot)
                patternTokens.append(token)
                masks.append(contentsOf: repeatElement(0, count: words))
            }
            masks[slot * words + i / 64] |= 1 << UInt64(i % 64)
        }
        state = [UInt64](repeating: 0, count: words)
    }

    /// The LCS length of the pattern and `other`.
    mutating func lcsLength(with other: ArraySlice<Int32>) -> Int {
        if patternLength == 0 || other.isEmpty { return 0 }
        let known = slotOfToken.count
        if words == 1 {
            var v = UInt64.max
            for token in other where Int(token) < known {
                let slot = Int(slotOfToken[Int(token)])
                if slot < 0 { continue }
                let m = masks[slot]
                let u = v & m
                v = (v &+ u) | (v & ~m)
            }
            let used = patternLength == 64 ? ~v : ~v & ((1 << UInt64(patternLength)) - 1)
            return used.nonzeroBitCount
        }
        let words = self.words
        return masks.withUnsafeBufferPointer { masks in
            state.withUnsafeMutableBufferPointer { v in
                for w in 0..<words { v[w] = .max }
                for token in other where Int(token) < known {
                    let slot = Int(slotOfToken[Int(token)])
                    if slot < 0 { continue }
                    let base = slot * words
                    var carry: UInt64 = 0
                    for w in 0..<words {
                        let m = masks[base + w]
                        let vw = v[w]
                        let u = vw & m
                        let (sum, overflow1) = vw.addingReportingOverflow(u)
                        let (total, overflow2) = sum.addingReportingOverflow(carry)
                        carry = (overflow1 || overflow2) ? 1 : 0
                        v[w] = total | (vw & ~m)
                    }
                }
                var used = 0
                for w in 0..<words {
                    let bits = min(64, patternLength - w * 64)
                    let valid: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
                    used += (~v[w] & valid).nonzeroBitCount
                }
                return used
            }
        }
    }
}
