// The final answer of a worked solution (the `solve` template ends with "Answer: <final answer>"),
// and the normalization that makes two answers comparable: the `final-answer` parser and the
// `exact-match` evaluator both use it, so a teacher's label and a student's prediction are judged by
// the same rule (as in self-consistency and GSM8K-style exact-match scoring).
import Foundation
import RetortPluginSDK

enum FinalAnswer {
    static func parse(_ output: String) throws -> [JSONValue] {
        guard !TeacherText.trimmed(output).isEmpty else { throw PluginFailure.parse("the teacher output is empty") }
        guard let raw = extract(output) else {
            throw PluginFailure.parse("no \"Answer: …\" line in the teacher output (nor \"####\", \\boxed{} or \"the answer is\")")
        }
        let answer = normalize(raw)
        guard !answer.isEmpty else { throw PluginFailure.parse("the \"Answer:\" label is followed by nothing") }
        return [["answer": .string(answer)]]
    }

    /// The text of the final answer, un-normalized: after the last "Answer:" / "Final answer:" label
    /// (on the next line when the label stands alone), else GSM8K's "#### 42", else the last
    /// \boxed{…}, else the last "the answer is …" up to the end of its sentence.
    static func extract(_ output: String) -> String? {
        let lines = TeacherText.lines(output)
        let label = /(?i)(?:\*\*|__)?\b(?:final\s+)?answer\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*/
        if let index = lines.lastIndex(where: { $0.contains(label) }), let match = lines[index].matches(of: label).last {
            let rest = TeacherText.trimmed(TeacherText.text(after: match.range, in: lines[index]))
            if !rest.isEmpty { return rest }
            return lines[(index + 1)...].first(where: { !$0.isEmpty }) ?? ""
        }
        if let line = lines.last(where: { $0.hasPrefix("####") }) {
            return String(line.drop(while: { $0 == "#" }))
        }
        if let boxed = output.matches(of: /\\boxed\{([^{}]*)\}/).last {
            return String(boxed.output.1)
        }
        if let phrase = output.matches(of: /(?i)\bthe\s+(?:final\s+)?answer\s+is\s*[:：]?\s*([^\n]+)/).last {
            let sentence = phrase.output.1
            // Up to a sentence end: a period followed by a space (3.5 keeps its point).
            if let end = sentence.firstMatch(of: /[.!?](?:\s|$)/) { return String(sentence[..<end.range.lowerBound]) }
            return String(sentence)
        }
        return nil
    }

    /// Trim, drop markdown/quotes/\boxed{}/$…$, lowercase, collapse spaces, drop currency signs
    /// before numbers and the trailing period, and write numbers one way: "1,000" → "1000",
    /// "3.50" → "3.5", "+7" → "7", ".5" → "0.5".
    static func normalize(_ answer: String) -> String {
        var text = TeacherText.unwrapped(TeacherText.collapsedWhitespace(answer))
        if let boxed = text.wholeMatch(of: /\\boxed\{(.*)\}/) { text = String(boxed.output.1) }
        if text.count > 2, text.hasPrefix("$"), text.hasSuffix("$") { text = String(text.dropFirst().dropLast()) }
        text = TeacherText.unwrapped(text).lowercased()
        text = text.replacing(/[$€£¥](?=\s*[+-]?\.?\d)/, with: "")
        while let last = text.last, last == "." || last.isWhitespace { text.removeLast() }
        // A number is not part of a word or of a longer number ("mp3", "1.2.3"): the character
        // before it is captured and kept, since Swift regexes have no lookbehind.
        text = text.replacing(/(^|[^\w.,])([+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+))(?![\w,]|\.\d)/) { match in
            match.output.1 + canonicalNumber(String(match.output.2))
        }
        return TeacherText.collapsedWhitespace(text)
    }

    /// One spelling per number: no thousands separators, sign only when negative, no trailing
    /// zeros in the fraction, one leading zero.
    static func canonicalNumber(_ token: String) -> String {
        var digits = token.replacingOccurrences(of: ",", with: "")
        guard !digits.isEmpty, digits.contains(where: \.isNumber) else { return token }
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits.removeFirst()
        }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        var whole = String(parts[0].drop(while: { $0 == "0" }))
        if whole.isEmpty { whole = "0" }
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        while fraction.last == "0" { fraction.removeLast() }
        let number = fraction.isEmpty ? whole : whole + "." + fraction
        return negative && number != "0" ? "-" + number : number
    }

    /// What `exact-match` compares: the final answer when the text has one, else the whole text,
    /// normalized.
    static func comparable(_ text: String) -> String {
        normalize(extract(text) ?? text)
    }
}
