// Issue–Rule–Application–Conclusion answers: the `irac` parser reads the four labelled parts in
// whatever form teachers write them ("Issue:", "**Rule:**", "## Application", "3. Analysis -",
// "The rule is:", "Holding:"), and the `irac-complete` filter and `irac-structure` evaluator say
// which parts an answer has. Each part runs from its label to the next label; a part that only
// repeats the prompt's description of it ("Rule: the law that governs it") does not count.
import Foundation
import RetortPluginSDK

enum IRAC {
    static let parts = ["issue", "rule", "application", "conclusion"]

    /// Label words and the part each names.
    static let labels: [String: String] = [
        "issue": "issue", "issues": "issue", "question presented": "issue", "legal issue": "issue", "legal question": "issue",
        "question": "issue",
        "rule": "rule", "rules": "rule", "law": "rule", "legal rule": "rule", "relevant law": "rule", "governing law": "rule",
        "application": "application", "analysis": "application", "application of the rule": "application",
        "conclusion": "conclusion", "holding": "conclusion", "answer": "conclusion", "outcome": "conclusion",
        "likely outcome": "conclusion",
    ]

    /// A line that starts a part: optional list marker or heading marks, the label, then ":" or "-"
    /// or the end of the line; the rest of the line is the part's first text.
    // nonisolated(unsafe): Regex is not marked Sendable, but a compiled literal is never mutated.
    nonisolated(unsafe) static let labelLine = /(?i)^\s*(?:#{1,6}\s*|\d\.\s*|[-*•]\s*)?(?:\*\*|__)?\s*(?:the\s+)?(question presented|legal issue|legal question|issues?|question|application of the rule|relevant law|governing law|legal rule|rules?|law|application|analysis|conclusion|holding|answer|likely outcome|outcome)(?:\s+is)?\s*(?:\*\*|__)?\s*(?:[:：.\-–—]\s*(?:\*\*|__)?|$)(.*)$/

    /// The text of each part found, keyed by part name.
    static func sections(_ text: String) -> [String: String] {
        var found: [String: [String]] = [:]
        var current: String?
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init) {
            if let match = line.wholeMatch(of: labelLine), let part = labels[match.output.1.lowercased()] {
                current = found[part] == nil ? part : nil  // a repeated label starts nothing new
                if let current { found[current] = [String(match.output.2)] }
                continue
            }
            if let current { found[current, default: []].append(line) }
        }
        return found.mapValues { lines in
            lines.joined(separator: " ").split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
                .trimmingCharacters(in: CharacterSet(charactersIn: "*_ "))
        }
    }

    /// The `irac` template's own descriptions of the parts, which small teachers copy instead of
    /// answering ("Issue: the legal question.").
    static let promptEchoes = [
        "the legal question", "the law that governs it", "citing only the authorities above", "how the rule applies to these facts",
        "how the rule applies to", "how the law applies to", "these facts", "this situation", "the likely outcome",
    ]

    /// A part counts when it says something beyond the prompt's wording: at least three words.
    static func hasContent(_ text: String?) -> Bool {
        guard var text = text?.lowercased() else { return false }
        for echo in promptEchoes { text = text.replacingOccurrences(of: echo, with: " ") }
        return text.split(separator: " ").filter { $0.contains(where: \.isLetter) }.count >= 3
    }

    static func missing(_ text: String) -> [String] {
        let found = sections(text)
        return parts.filter { !hasContent(found[$0]) }
    }

    static func parse(_ output: String) throws -> [JSONValue] {
        guard !output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw PluginFailure.parse("the teacher output is empty") }
        let found = sections(output)
        let absent = parts.filter { found[$0] == nil }
        guard absent.count < 4 else {
            throw PluginFailure.parse("no IRAC structure: none of the labels Issue:, Rule:, Application:, Conclusion: starts a line")
        }
        guard absent.isEmpty else { throw PluginFailure.parse("the IRAC answer lacks the \(list(absent)) part\(absent.count > 1 ? "s" : "")") }
        let empty = parts.filter { !hasContent(found[$0]) }
        guard empty.isEmpty else {
            throw PluginFailure.parse("the IRAC \(list(empty)) part\(empty.count > 1 ? "s are" : " is") empty, too short (under three words) "
                + "or only repeat\(empty.count > 1 ? "" : "s") the prompt's description")
        }
        let labelled = parts.map { "\($0.prefix(1).uppercased() + $0.dropFirst()): \(found[$0]!)" }.joined(separator: "\n")
        var record: [String: JSONValue] = ["response": .string(labelled)]
        for part in parts { record[part] = .string(found[part]!) }
        return [.object(record)]
    }

    static func list(_ names: [String]) -> String {
        let titled = names.map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return titled.count <= 1 ? titled.joined() : titled.dropLast().joined(separator: ", ") + " and " + titled.last!
    }
}
