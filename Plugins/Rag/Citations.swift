// Citations in an answer: marks such as [2], [1, 3], [1][2], [1-2] or [Result 2], each attached to
// the sentence it ends (a mark just after the full stop still belongs to that sentence). The
// `cited-answer` parser returns the answer with its citations; the grounding filter and the
// citation-precision evaluator check every (sentence, citation) pair against the passages.
import Foundation
import RetortPluginSDK

/// One citation mark as written, and the passage numbers it names.
struct CitationMark: Sendable, Equatable {
    var text: String
    /// Passage numbers; a number too large to be one is kept as Int.max so checks reject it.
    var numbers: [Int]
}

struct CitedSentence: Sendable {
    /// The sentence without its citation marks.
    var text: String
    var marks: [CitationMark]
    var numbers: [Int] { marks.flatMap(\.numbers) }
}

enum Citations {
    /// [2], [1, 3], [1-3], [1 and 2], [Result 2], [Passage 2], [Source 2], [doc 2].
    // nonisolated(unsafe): Regex is not marked Sendable, but a compiled literal is never mutated.
    nonisolated(unsafe) static let mark = /(?i)\[\s*(?:(?:search\s+)?(?:result|passage|source|doc(?:ument)?|ref(?:erence)?)\s*#?\s*)?(\d+(?:\s*(?:,|;|and|-|–)\s*\d+)*)\s*\]/

    static func marks(in text: String) -> [CitationMark] {
        text.matches(of: mark).map { match in CitationMark(text: String(match.output.0), numbers: numbers(String(match.output.1))) }
    }

    /// "1, 3" → [1, 3]; "2-4" → [2, 3, 4] (a range longer than 20 is kept as its two ends).
    static func numbers(_ list: String) -> [Int] {
        var result: [Int] = []
        for part in list.split(whereSeparator: { $0 == "," || $0 == ";" }) {
            let pieces = part.replacingOccurrences(of: "and", with: ",").split(whereSeparator: { $0 == "," })
            for piece in pieces {
                let bounds = piece.split(whereSeparator: { $0 == "-" || $0 == "–" }).map { number(String($0)) }
                if bounds.count == 2, bounds[0] <= bounds[1], bounds[1] - bounds[0] <= 20 {
                    result += Array(bounds[0]...bounds[1])
                } else {
                    result += bounds
                }
            }
        }
        return result
    }

    static func number(_ text: String) -> Int {
        let digits = text.trimmingCharacters(in: .whitespaces)
        return digits.count <= 6 ? Int(digits) ?? Int.max : Int.max
    }

    /// Sentences with their marks. Lines that only list sources ("Sources: [1], [3]") are not
    /// sentences; their marks are returned apart.
    static func sentences(_ answer: String) -> (sentences: [CitedSentence], listed: [CitationMark]) {
        var sentences: [CitedSentence] = []
        var listed: [CitationMark] = []
        for line in answer.split(whereSeparator: \.isNewline).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.prefixMatch(of: /(?i)(?:\*\*)?(?:sources?|references?|citations?)(?:\*\*)?\s*:/) != nil {
                listed += marks(in: trimmed)
                continue
            }
            for piece in split(trimmed) {
                let found = marks(in: piece)
                let text = piece.replacing(mark, with: "").split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
                    .replacingOccurrences(of: " .", with: ".").replacingOccurrences(of: " ,", with: ",")
                if text.isEmpty, found.isEmpty { continue }
                if text.allSatisfy({ !$0.isLetter && !$0.isNumber }), let last = sentences.indices.last {
                    sentences[last].marks += found  // marks after the full stop belong to the sentence before
                    continue
                }
                sentences.append(CitedSentence(text: text, marks: found))
            }
        }
        return (sentences, listed)
    }

    /// Splits after ".", "!" or "?" followed by a space, keeping citation marks that follow the
    /// stop with the sentence before ("… France. [1] It …" → "… France. [1]", "It …").
    static func split(_ line: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        let characters = Array(line)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            current.append(c)
            if ".!?".contains(c), i + 1 < characters.count, characters[i + 1] == " " {
                // Take marks that follow the stop.
                var j = i + 1
                var tail = ""
                while j < characters.count {
                    var k = j
                    while k < characters.count, characters[k] == " " { k += 1 }
                    guard k < characters.count, characters[k] == "[", let close = characters[k...].firstIndex(of: "]"),
                          String(characters[k...close]).wholeMatch(of: mark) != nil else { break }
                    tail += " " + String(characters[k...close])
                    j = close + 1
                }
                current += tail
                pieces.append(current)
                current = ""
                i = j
                continue
            }
            i += 1
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { pieces.append(current) }
        return pieces
    }

    /// The answer without citation marks.
    static func stripped(_ answer: String) -> String {
        answer.replacing(mark, with: "").split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            .replacingOccurrences(of: " .", with: ".").replacingOccurrences(of: " ,", with: ",")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The `cited-answer` parser: the answer, its plain text and the passage numbers it cites.
    static func parse(_ output: String) throws -> [JSONValue] {
        let answer = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !answer.isEmpty else { throw PluginFailure.parse("the teacher output is empty") }
        let all = marks(in: answer)
        guard !all.isEmpty else {
            throw PluginFailure.parse("the answer cites no search result: each sentence that uses a result must end with its number, like [2]")
        }
        let plain = stripped(answer)
        guard plain.contains(where: \.isLetter) else { throw PluginFailure.parse("the answer holds nothing but citation marks") }
        var cited: [Int] = []
        for number in all.flatMap(\.numbers) where !cited.contains(number) { cited.append(number) }
        if let huge = all.first(where: { $0.numbers.contains(Int.max) }) {
            throw PluginFailure.parse("the citation \(huge.text) is not a search-result number")
        }
        return [["response": .string(answer), "answer": .string(plain), "citations": .array(cited.map { .number(Double($0)) })]]
    }
}
