// Okapi BM25 (Robertson and Zaragoza, 2009) over a corpus of passages: the lexical retriever
// SAIL's search results stand in for. score(q, d) = Σ_t idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·|d|/avgdl)),
// idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)). The title is indexed with the text.
import Foundation

struct BM25Index: Sendable {
    struct Hit: Sendable {
        var passage: Passage
        var score: Double
    }

    let passages: [Passage]
    let k1: Double
    let b: Double
    private let termFrequencies: [[String: Int]]
    private let lengths: [Int]
    private let documentFrequency: [String: Int]
    private let averageLength: Double

    init(_ passages: [Passage], k1: Double = 1.2, b: Double = 0.75) {
        self.passages = passages
        self.k1 = k1
        self.b = b
        var frequencies: [[String: Int]] = []
        var lengths: [Int] = []
        var df: [String: Int] = [:]
        for passage in passages {
            let terms = SearchTerms.terms(passage.title + " " + passage.text)
            var tf: [String: Int] = [:]
            for term in terms { tf[term, default: 0] += 1 }
            for term in tf.keys { df[term, default: 0] += 1 }
            frequencies.append(tf)
            lengths.append(terms.count)
        }
        termFrequencies = frequencies
        self.lengths = lengths
        documentFrequency = df
        averageLength = lengths.isEmpty ? 0 : Double(lengths.reduce(0, +)) / Double(lengths.count)
    }

    func idf(_ term: String) -> Double {
        let n = Double(passages.count), df = Double(documentFrequency[term] ?? 0)
        return log(1 + (n - df + 0.5) / (df + 0.5))
    }

    func score(_ queryTerms: [String], document index: Int) -> Double {
        let tf = termFrequencies[index]
        let norm = k1 * (1 - b + b * Double(lengths[index]) / max(averageLength, 1))
        var total = 0.0
        for term in Set(queryTerms) {
            guard let f = tf[term] else { continue }
            total += idf(term) * Double(f) * (k1 + 1) / (Double(f) + norm)
        }
        return total
    }

    /// The best `k` passages with a positive score, best first; ties in corpus order.
    func search(_ query: String, k: Int) -> [Hit] {
        let terms = SearchTerms.terms(query)
        guard !terms.isEmpty, k > 0 else { return [] }
        let scored = passages.indices.map { (index: $0, score: score(terms, document: $0)) }.filter { $0.score > 0 }
        let ranked = scored.sorted { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
        return ranked.prefix(k).map { Hit(passage: passages[$0.index], score: $0.score) }
    }
}
