// The answer-correctness evaluator: SQuAD's token F1 between the reference answer and the
// prediction (citation marks removed, lowercase, articles and punctuation dropped, numbers
// written one way), and whether the prediction contains the whole reference answer.
enum AnswerCorrectness {
    static func tokens(_ text: String) -> [String] {
        SearchTerms.words(Citations.stripped(text)).filter { !["a", "an", "the"].contains($0) }
    }

    static func scores(reference: String, prediction: String) -> [String: Double] {
        let expected = tokens(reference), predicted = tokens(prediction)
        var counts: [String: Int] = [:]
        for token in expected { counts[token, default: 0] += 1 }
        var common = 0
        for token in predicted where (counts[token] ?? 0) > 0 {
            counts[token]! -= 1
            common += 1
        }
        let f1: Double
        if common == 0 {
            f1 = 0
        } else {
            let precision = Double(common) / Double(predicted.count), recall = Double(common) / Double(expected.count)
            f1 = 2 * precision * recall / (precision + recall)
        }
        let contains = !expected.isEmpty && containsRun(predicted, expected)
        return ["answer_f1": f1, "answer_contains": contains ? 1 : 0]
    }

    /// Whether `needle` occurs in `haystack` as a contiguous run of tokens.
    static func containsRun(_ haystack: [String], _ needle: [String]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<start + needle.count]) == needle { return true }
        return false
    }
}
