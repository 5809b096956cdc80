// `mcq-choice`: the option a teacher (or student) picks on an exam-style question → [{"answer":
// "B", "rationale"}]. Reads "Answer: B", "Answer: (B) Vitamin C", "The correct answer is C", and a
// reply that opens with its choice ("B) Vitamin C because …"). A reply that names two different
// options as its answer, or none, is rejected: exam items are scored on one letter (as MedQA-style
// benchmarks are).
import RetortPluginSDK

enum MultipleChoiceParser {
    static let letters = "ABCDE"

    static func parse(_ output: String) throws -> [JSONValue] {
        let lines = MedicalText.lines(output)
        guard lines.contains(where: { !$0.isEmpty }) else { throw PluginFailure.parse("the teacher output is empty") }
        let (choices, choiceLines) = labelledChoices(lines)
        let distinct = Array(Set(choices)).sorted()
        if distinct.count > 1 {
            throw PluginFailure.parse("the reply names more than one option as its answer (\(distinct.joined(separator: " and ")))")
        }
        var letter = distinct.first
        var used = choiceLines
        // A reply that opens with its choice; one that echoes the options list chooses nothing.
        let openers = Set(lines.compactMap(openingChoice))
        if letter == nil, openers.count == 1, let first = lines.firstIndex(where: { !$0.isEmpty }),
           let opening = openingChoice(lines[first]) {
            letter = opening
            used.insert(first)
        }
        guard let letter else {
            throw PluginFailure.parse("no chosen option: expected a line \"Answer: <letter>\" with one of A, B, C, D")
        }
        let rationale = lines.enumerated().filter { !used.contains($0.offset) && !$0.element.isEmpty }.map(\.element)
            .joined(separator: " ")
        return [["answer": .string(letter), "rationale": .string(MedicalText.unwrapped(rationale))]]
    }

    /// Every letter given after an answer label, and the lines they are on.
    static func labelledChoices(_ lines: [String]) -> ([String], Set<Int>) {
        // A lowercase letter counts only in parentheses: "the answer is a vitamin" chooses nothing.
        // "Answer: B", "The correct answer is (c)", "the answer to this question is D".
        let label = /(?:(?:[Ff]inal|[Cc]orrect|[Bb]est|[Rr]ight)\s+)?[Aa]nswer(?:\s+(?:to|for|of)(?:\s+[a-z]+){1,3})?\s*(?:is|would\s+be|:|：|-)\s*(?:[Oo]ption\s+)?[\*_\[]*\s*(?:\(([A-Ea-e])\)|([A-E])(?![a-zA-Z]))/
        var found: [String] = []
        var used = Set<Int>()
        for (index, line) in lines.enumerated() {
            let plain = line.replacingOccurrences(of: "**", with: "")
            for match in plain.matches(of: label) {
                guard let letter = match.output.1 ?? match.output.2 else { continue }
                found.append(letter.uppercased())
                used.insert(index)
            }
        }
        return (found, used)
    }

    /// "B) …", "(B) …", "(b) …", "B. …", "B" alone, "**B**" at the start of the reply ("e.g." is not E).
    static func openingChoice(_ line: String) -> String? {
        let plain = line.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "*", with: "")
        guard let match = plain.prefixMatch(of: /^\s*(?:[Oo]ption\s+)?(?:\(([A-Ea-e])\)|([A-E])(?:[).:\]]|\s*$))/),
              let letter = match.output.1 ?? match.output.2 else { return nil }
        return letter.uppercased()
    }

    /// The letter of a reference answer ("B", "B) Vitamin C", "Answer: B") or of a prediction, read
    /// by the same rule as the parser; nil when it names none or several.
    static func letter(of text: String) -> String? {
        (try? parse(text))?.first?["answer"]?.stringValue
    }
}
