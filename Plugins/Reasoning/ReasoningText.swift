// Clean-up shared by the reasoning parsers: teachers wrap worked solutions in markdown, LaTeX and
// chatter. These helpers take off one layer each, so a parser only decides what a line means.
import Foundation

enum ReasoningText {
    /// The output's lines, trimmed; code fences become blank lines so line numbers stay the teacher's.
    static func lines(_ output: String) -> [String] {
        output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .map { $0.hasPrefix("```") ? "" : $0 }
    }

    static func trimmed(_ text: some StringProtocol) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0.isWhitespace })
    }

    static func collapsedWhitespace(_ text: String) -> String {
        words(text).joined(separator: " ")
    }

    /// Removes markdown emphasis, inline-code marks, LaTeX `$…$` and `\boxed{…}` around the whole
    /// text, and a trailing sentence period.
    static func unwrapped(_ text: String) -> String {
        var s = trimmed(text)
        var changed = true
        while changed {
            changed = false
            for wrapper in ["**", "__", "`", "$", "*", "_"] where s.count > 2 * wrapper.count && s.hasPrefix(wrapper) && s.hasSuffix(wrapper) {
                s = trimmed(s.dropFirst(wrapper.count).dropLast(wrapper.count))
                changed = true
            }
            if let boxed = s.wholeMatch(of: /\\boxed\{(.*)\}/) {
                s = trimmed(boxed.output.1)
                changed = true
            }
            if s.count > 1, s.hasSuffix(".") || s.hasSuffix("!") {
                s = trimmed(s.dropLast())
                changed = true
            }
        }
        return s
    }

    /// A closing remark ("I hope this helps!", "Let me know…"): useful text ends before it.
    static func isSignOff(_ line: String) -> Bool {
        let lower = line.lowercased().drop(while: { !$0.isLetter })
        return ["i hope", "hope this", "let me know", "feel free"].contains { lower.hasPrefix($0) }
    }

    /// "7" for 7.0, "7.5" for 7.5: numbers in messages read as the teacher wrote them.
    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    /// Shortens long teacher text quoted in a rejection reason.
    static func excerpt(_ text: String, _ limit: Int = 60) -> String {
        let flat = collapsedWhitespace(text)
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
    }
}
