// ROUGE-L (Lin, 2004) between a prediction and a reference: the F-measure of the longest common
// subsequence of their tokens. Tokens are lowercase runs of letters and digits, as in the
// rouge-score package without stemming (but letters of any script, not only ASCII). The `rouge-l`
// evaluator reports it; Self-Instruct uses the same measure to keep generated instructions diverse.
enum RougeL {
    static func tokens(_ text: String) -> [Substring] {
        let lower = text.lowercased()
        return lower.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
    }

    /// F1 of LCS precision (over the prediction) and recall (over the reference); 0 when either
    /// side has no tokens.
    static func fMeasure(prediction: String, reference: String) -> Double {
        let p = tokens(prediction), r = tokens(reference)
        guard !p.isEmpty, !r.isEmpty else { return 0 }
        let lcs = Double(longestCommonSubsequence(p, r))
        guard lcs > 0 else { return 0 }
        let precision = lcs / Double(p.count), recall = lcs / Double(r.count)
        return 2 * precision * recall / (precision + recall)
    }

    /// Length of the LCS, with one row of the dynamic-programming table kept at a time.
    static func longestCommonSubsequence(_ a: [Substring], _ b: [Substring]) -> Int {
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for i in 1...a.count {
            for j in 1...b.count {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
