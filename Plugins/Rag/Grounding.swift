// The grounding check behind the `grounded` filter and the citation-precision evaluator: every
// cited search result must exist, and must contain what the sentence citing it says — at least
// half of the sentence's content words, and every number and name in it. A citation that points
// at a distractor, or a detail the passage does not have, is unsupported. (A lexical check in the
// spirit of attribution metrics such as ALCE's citation precision, without an NLI model.)
import Foundation
import RetortPluginSDK

enum Grounding {
    /// The share of a sentence's content words a cited passage must contain.
    static let minimumShare = 0.5

    struct Problem: Sendable {
        var reason: String
    }

    struct Check: Sendable {
        var supported = 0
        var total = 0
        var problems: [String] = []
        var precision: Double { total > 0 ? Double(supported) / Double(total) : 0 }
    }

    /// The numbered search results of a prompt or input: "[n] text" blocks at the start of a line,
    /// each running to the next block.
    static func passages(in text: String) -> [Int: String] {
        var found: [Int: String] = [:]
        var current: Int?
        var body: [String] = []
        func flush() {
            if let current, found[current] == nil { found[current] = body.joined(separator: " ") }
            body = []
        }
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let start = trimmed.prefixMatch(of: /\[(\d{1,4})\]\s*/) {
                flush()
                current = Int(start.output.1)
                body = [String(trimmed[start.range.upperBound...])]
            } else if current != nil, !trimmed.isEmpty {
                body.append(trimmed)
            } else if trimmed.isEmpty, current != nil {
                flush()
                current = nil
            }
        }
        flush()
        return found
    }

    /// Checks each (sentence, cited number) pair of `answer` against `passages`.
    static func check(answer: String, passages: [Int: String]) -> Check {
        var result = Check()
        let numbers = passages.keys.sorted()
        let range = numbers.isEmpty ? "none" : numbers.count == 1 ? "[\(numbers[0])]" : "[\(numbers.first!)]–[\(numbers.last!)]"
        let (sentences, listed) = Citations.sentences(answer)
        for mark in listed {
            for number in mark.numbers {
                result.total += 1
                if passages[number] != nil { result.supported += 1 } else {
                    result.problems.append("cites \(mark.text), but the search results are \(range)")
                }
            }
        }
        for (position, sentence) in sentences.enumerated() {
            for mark in sentence.marks {
                for number in mark.numbers {
                    result.total += 1
                    guard let passage = passages[number] else {
                        result.problems.append("sentence \(position + 1) cites \(mark.text), but the search results are \(range)")
                        continue
                    }
                    if let gap = unsupported(sentence.text, by: passage) {
                        result.problems.append("sentence \(position + 1) \"\(clip(sentence.text))\" cites [\(number)], which does not support it: \(gap)")
                    } else {
                        result.supported += 1
                    }
                }
            }
        }
        return result
    }

    /// Why `passage` does not support `sentence`, or nil when it does.
    static func unsupported(_ sentence: String, by passage: String) -> String? {
        let claimed = Set(SearchTerms.terms(sentence))
        guard !claimed.isEmpty else { return nil }  // nothing claimed, nothing to contradict
        let present = Set(SearchTerms.terms(passage))
        let missingKey = keyTerms(sentence).filter { !present.contains($0.term) }
        if let first = missingKey.first { return "\"\(first.word)\" is not in it" }
        let found = claimed.intersection(present).count
        if Double(found) < minimumShare * Double(claimed.count) {
            return "only \(found) of its \(claimed.count) content words are in it"
        }
        return nil
    }

    /// Numbers and names (capitalized words after the first word) of a sentence: details a cited
    /// passage must contain.
    static func keyTerms(_ sentence: String) -> [(word: String, term: String)] {
        let words = sentence.split(whereSeparator: { $0.isWhitespace }).map { $0.trimmingCharacters(in: .punctuationCharacters) }
        var keys: [(String, String)] = []
        for (index, word) in words.enumerated() where !word.isEmpty {
            let isNumber = word.contains(where: \.isNumber)
            let isName = index > 0 && word.first?.isUppercase == true
            guard isNumber || isName else { continue }
            for term in SearchTerms.terms(word) where !keys.contains(where: { $0.1 == term }) { keys.append((word, term)) }
        }
        return keys
    }

    static func clip(_ text: String) -> String { text.count <= 80 ? text : String(text.prefix(77)) + "…" }

    /// The `grounded` filter: the record's `response` against the results in its `input`.
    static func judge(_ record: JSONValue) -> Verdict {
        guard let answer = record["response"]?.stringValue ?? record["answer"]?.stringValue, !answer.isEmpty else {
            return .reject("the record has no answer (`response`) to check", score: 0)
        }
        let results = passages(in: record["input"]?.stringValue ?? "")
        guard !results.isEmpty else {
            return .reject("the record's `input` holds no numbered search results ([1] …) to check the citations against", score: 0)
        }
        let check = check(answer: answer, passages: results)
        guard check.total > 0 else { return .reject("the answer cites no search result", score: 0) }
        if let first = check.problems.first {
            let more = check.problems.count > 1 ? " (and \(check.problems.count - 1) more unsupported citation\(check.problems.count > 2 ? "s" : ""))" : ""
            return .reject(first + more, score: check.precision)
        }
        return .keep(score: 1)
    }
}
