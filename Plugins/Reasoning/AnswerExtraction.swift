// The final answer of a worked solution and the normalization that makes two answers comparable.
// The parsers, the self-consistency and known-answer filters and the exact-match evaluator all
// use it, so a teacher's label, a sampled path and a student's prediction are judged by one rule
// (the answer-extraction step of chain-of-thought and self-consistency, Wei et al. 2022, Wang et
// al. 2023; GSM8K's "#### 42" and MATH's \boxed{} are read too).
import Foundation

enum AnswerExtraction {
    /// A final answer as written (not yet normalized) and the line its label is on (nil when the
    /// answer was found without a label line, e.g. "the answer is 7" inside a sentence).
    struct Found: Equatable {
        let text: String
        let line: Int?
    }

    /// "Answer:", "Final answer:", "**Answer:**", "Answer -" — anywhere in a line.
    static var label: Regex<Substring> { /(?i)(?:\*\*|__)?\b(?:final\s+)?answer\s*(?:\*\*|__)?\s*(?:[:：]|\s-\s)\s*(?:\*\*|__)?\s*/ }

    /// The last labelled answer (on the next line when the label stands alone), else GSM8K's
    /// "#### 42", else the last \boxed{…}, else the last "the answer is …" up to its sentence end.
    static func extract(_ output: String) -> Found? {
        let lines = ReasoningText.lines(output)
        if let index = lines.lastIndex(where: { $0.contains(label) }), let match = lines[index].matches(of: label).last {
            let rest = ReasoningText.trimmed(lines[index][match.range.upperBound...])
            if !rest.isEmpty { return Found(text: rest, line: index) }
            if let next = lines[(index + 1)...].firstIndex(where: { !$0.isEmpty }) { return Found(text: lines[next], line: index) }
            return Found(text: "", line: index)
        }
        if let index = lines.lastIndex(where: { $0.hasPrefix("####") }) {
            return Found(text: String(lines[index].drop(while: { $0 == "#" })), line: index)
        }
        if let boxed = output.matches(of: /\\boxed\{([^{}]*)\}/).last {
            return Found(text: String(boxed.output.1), line: nil)
        }
        if let phrase = output.matches(of: /(?i)\bthe\s+(?:final\s+)?answer\s+(?:is|would\s+be|will\s+be)\s*[:：]?\s*([^\n]+)/).last {
            let sentence = phrase.output.1
            if let end = sentence.firstMatch(of: /[.!?;](?:\s|$)/) { return Found(text: String(sentence[..<end.range.lowerBound]), line: nil) }
            return Found(text: String(sentence), line: nil)
        }
        return nil
    }

    /// What exact match compares: one spelling per number ("1,250.50" → "1250.5", "$12" → "12",
    /// "25%" → "25", "3/4" → "0.75", "twelve" → "12"); text answers lowercased, one space apart.
    /// When the answer holds several numbers, the one after the last "=" counts ("12 × 3 = 36"),
    /// else a leading number ("36 pencils (12 × 3)"), else the last one ("she has 36 left").
    static func normalize(_ raw: String) -> String {
        var text = ReasoningText.unwrapped(ReasoningText.collapsedWhitespace(raw))
        text = text.replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: "\\$", with: "$")
        text = text.replacing(/\\(?:text|mathrm)\{([^{}]*)\}/) { String($0.output.1) }
        text = text.replacing(/\\frac\{(\d+)\}\{(\d+)\}/) { "\($0.output.1)/\($0.output.2)" }
        let numbers = numberTokens(in: text)
        if numbers.isEmpty {
            let words = numberFromWords(text.lowercased())
            if let words { return words }
            var answer = text.lowercased()
            while let last = answer.last, ".!?,;:".contains(last) { answer.removeLast() }
            return ReasoningText.collapsedWhitespace(answer)
        }
        if let equals = text.lastIndex(of: "="), let after = numbers.first(where: { $0.range.lowerBound > equals }) {
            return after.canonical
        }
        let start = text.drop(while: { "$€£¥~≈ ".contains($0) || $0 == "(" })
        if let first = numbers.first, first.range.lowerBound == start.startIndex { return first.canonical }
        return numbers.last!.canonical
    }

    /// The normalized final answer of `text`, or of the whole text when it has no answer label
    /// (a bare prediction such as "42").
    static func comparable(_ text: String) -> String {
        normalize(extract(text)?.text ?? text)
    }

    /// Whether a normalized answer is the template's placeholder echoed back ("<number>", "...").
    static func isPlaceholder(_ answer: String) -> Bool {
        answer.isEmpty || answer.hasPrefix("<") || answer.hasPrefix("[") || answer.allSatisfy { ".…_-x ".contains($0) }
            || ["number", "your answer", "final answer", "the answer", "n"].contains(answer)
    }

    struct NumberToken {
        let range: Range<String.Index>
        let canonical: String
    }

    /// Every number in `text` that is not part of a word ("mp3") or a longer number ("1.2.3").
    static func numberTokens(in text: String) -> [NumberToken] {
        // Swift regexes have no lookbehind: the character before the number is captured instead.
        let pattern = /(^|[^\w.,])([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+)(?:\s*\/\s*(\d+))?(?![\w]|\.\d|,\d{3})/
        return text.matches(of: pattern).compactMap { match in
            let number = match.output.2
            var canonical = canonicalNumber(String(number))
            if let denominator = match.output.3, let d = Double(denominator), d != 0, let n = Double(canonical) {
                canonical = canonicalNumber(String(format: "%.10g", n / d))
            }
            return NumberToken(range: number.startIndex..<(match.output.3?.endIndex ?? number.endIndex), canonical: canonical)
        }
    }

    /// No thousands separators, a sign only when negative, no trailing fraction zeros, one leading zero.
    static func canonicalNumber(_ token: String) -> String {
        var digits = token.replacingOccurrences(of: ",", with: "")
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits.removeFirst()
        }
        if digits.contains("e") { return token }  // "%.10g" may write an exponent for huge values: keep it
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        var whole = String(parts[0].drop(while: { $0 == "0" }))
        if whole.isEmpty { whole = "0" }
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        while fraction.last == "0" { fraction.removeLast() }
        let number = fraction.isEmpty ? whole : whole + "." + fraction
        return negative && number != "0" ? "-" + number : number
    }

    static let units = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
    static let tens = ["twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90]

    /// "twelve", "forty-two", "ninety nine" as digits; nil for anything else.
    static func numberFromWords(_ text: String) -> String? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "-" }).map { $0.trimmingCharacters(in: .punctuationCharacters) }
        guard let first = words.first else { return nil }
        if words.count <= 2, let unit = units.firstIndex(of: first) { return String(unit) }
        guard let ten = tens[first] else { return nil }
        if words.count >= 2, let unit = units.firstIndex(of: words[1]), unit > 0, unit < 10 { return String(ten + unit) }
        return String(ten)
    }
}
