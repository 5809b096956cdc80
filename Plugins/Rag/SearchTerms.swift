// The terms BM25 indexes and the grounding check compares: lowercase letter-and-digit words, common
// English function words dropped, and a light suffix stripping (plural -s, -es, -ies) so "moons"
// finds "moon". Deliberately simple and deterministic: the same text always gives the same terms.
enum SearchTerms {
    static let stopwords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "as",
        "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "there", "their",
        "they", "them", "he", "she", "his", "her", "we", "you", "your", "our", "i", "me", "my", "do", "does", "did", "done",
        "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "not", "no", "so", "than", "then", "too",
        "very", "can", "could", "will", "would", "should", "may", "might", "must", "has", "have", "had", "about", "also",
        "each", "other", "some", "such", "only", "own", "same", "both", "more", "most", "much", "many", "any", "all",
        "up", "down", "out", "over", "under", "again", "further", "once", "here", "while", "because", "until", "after",
        "before", "between", "through", "during", "above", "below", "according", "result", "results", "passage",
    ]

    /// The terms of `text`, in order, repeats kept (BM25 counts them).
    static func terms(_ text: String) -> [String] {
        words(text).filter { !stopwords.contains($0) && ($0.count > 1 || $0.first!.isNumber) }.map(stem)
    }

    /// Lowercase runs of letters and digits ("1,050" → "1050", "9.46" → "9.46" kept whole).
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        let characters = Array(text.lowercased())
        for (index, c) in characters.enumerated() {
            if c.isLetter || c.isNumber {
                current.append(c)
            } else if (c == "," || c == "."), !current.isEmpty, current.last!.isNumber,
                      index + 1 < characters.count, characters[index + 1].isNumber {
                if c == "." { current.append(c) }  // 9.46 stays one number; 1,050 becomes 1050
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func stem(_ word: String) -> String {
        guard word.count > 3, word.last == "s", !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") else { return word }
        if word.hasSuffix("ies"), word.count > 4 { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("ches") || word.hasSuffix("shes") || word.hasSuffix("xes") || word.hasSuffix("sses") { return String(word.dropLast(2)) }
        return String(word.dropLast())
    }
}
