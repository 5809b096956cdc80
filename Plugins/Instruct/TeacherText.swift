// Clean-up shared by the parsers: small teachers wrap what they mean in list markers, markdown,
// quotes, labels ("Instruction:", "#Rewritten Prompt#:") and chatter ("Sure! Here are…"). These
// helpers peel those layers off one line at a time, so each parser only decides what a line means.
import Foundation

enum TeacherText {
    /// The output's lines, trimmed; markdown code fences (teachers fence plain text too) become
    /// blank lines, so line numbers in error messages stay the teacher's.
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

    /// Words that contain a letter: "%%% ### ---" has none.
    static func wordsWithLetters(_ text: String) -> Int {
        words(text).filter { $0.contains(where: \.isLetter) }.count
    }

    /// Collapses every run of whitespace (newlines included) to one space.
    static func collapsedWhitespace(_ text: String) -> String {
        words(text).joined(separator: " ")
    }

    /// Removes a leading list marker ("1.", "1)", "(1)", "- ", "* ", "• ", "#1:", "**2.**", "## ") and
    /// says whether there was one. "3.5 litres" is not a marker: a number marker is never followed
    /// by a digit.
    static func removingListMarker(_ line: String) -> (marked: Bool, text: String) {
        let marker = /^(?:\*\*|__)?(?:[-*•+–]\s+|#{1,6}\s+|\(?#?\d{1,3}\s?[.):\]](?!\d)|#\d{1,3}\s|\d{1,3}\s+-\s)(?:\*\*|__)?\s*/
        guard let match = line.prefixMatch(of: marker) else { return (false, line) }
        return (true, String(line[match.range.upperBound...]))
    }

    /// Removes a leading label that names the item rather than being part of it: "Instruction:",
    /// "New task 3:", "#Rewritten Prompt#:", "**Question:**", "Q:".
    static func removingItemLabel(_ line: String) -> String {
        let label = /(?i)^(?:\*\*|__)?\s*#?\s*(?:the\s+)?(?:(?:new|rewritten|created|evolved|revised|improved|generated|final|another)\s+)?(?:instruction|task|prompt|question|request|query|q)\s*(?:#?\d{1,3})?\s*#?\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*/
        guard let match = line.prefixMatch(of: label) else { return line }
        return text(after: match.range, in: line)
    }

    /// The text after a label. The label patterns take the label's emphasis with it ("**Answer:**
    /// 4"); an emphasis mark that instead opens the text ("Answer: **4**") is given back.
    static func text(after label: Range<String.Index>, in line: String) -> String {
        var rest = String(line[label.upperBound...])
        let taken = line[label]
        for mark in ["**", "__"] where taken.components(separatedBy: mark).count % 2 == 0 {
            rest = mark + rest
        }
        return rest
    }

    /// Strips markdown emphasis around the whole text ("**Write a haiku.**") and one pair of
    /// surrounding quotes, keeping a sentence end that sat outside the quotes.
    static func unwrapped(_ text: String) -> String {
        var s = trimmed(text)
        for wrapper in ["**", "__", "`"] {
            while s.count > 2 * wrapper.count, s.hasPrefix(wrapper), s.hasSuffix(wrapper) {
                s = trimmed(s.dropFirst(wrapper.count).dropLast(wrapper.count))
            }
        }
        let pairs: [Character: Character] = ["\"": "\"", "“": "”", "'": "'", "‘": "’", "«": "»", "`": "`"]
        guard let first = s.first, let closing = pairs[first] else { return s }
        var body = Substring(s.dropFirst())
        var tail = ""
        if let last = body.last, ".!?".contains(last), body.dropLast().last == closing {
            tail = String(last)
            body = body.dropLast()
        }
        guard body.last == closing else { return s }
        let inner = trimmed(body.dropLast())
        // Keep quotes that only open and close quotations inside the sentence ("a" and "b"); an
        // apostrophe inside single quotes ('Don't stop') is not one.
        let innerQuote = first == "'" ? inner.contains("' ") || inner.contains(" '") : inner.contains(first) || inner.contains(closing)
        if innerQuote { return s }
        return inner + tail
    }

    /// Lines a chat model adds around its answer: openers ("Sure! Here are…") and sign-offs.
    static func isChatter(_ line: String) -> Bool {
        startsWithPhrase(line, from: openers) || isSignOff(line)
    }

    /// A closing remark ("I hope this helps!", "Let me know if…"), which ends the useful text.
    static func isSignOff(_ line: String) -> Bool {
        startsWithPhrase(line, from: ["i hope", "hope this", "hope these", "let me know", "feel free"])
    }

    static let openers = [
        "here are", "here is", "here's", "sure", "certainly", "of course", "okay", "ok", "absolutely",
        "these tasks", "these instructions", "these questions", "below are", "the following are",
    ]

    /// Whether `line` starts (after any markup) with one of the phrases as whole words: "Sure!"
    /// does, "Surely" and "Okapis" do not.
    static func startsWithPhrase(_ line: String, from phrases: [String]) -> Bool {
        let lower = line.lowercased().drop(while: { !$0.isLetter })
        return phrases.contains { phrase in
            lower.hasPrefix(phrase) && lower.dropFirst(phrase.count).first.map { !$0.isLetter } ?? true
        }
    }

    /// A refusal instead of the requested text.
    static func isRefusal(_ text: String) -> Bool {
        let lower = text.lowercased().drop(while: { !$0.isLetter })
        return ["i'm sorry", "i am sorry", "sorry,", "i cannot", "i can't", "i can not", "as an ai", "i apologize",
                "i'm unable", "i am unable"].contains { lower.hasPrefix($0) }
    }

    /// The text after a "Rationale:"/"Explanation:"/"Reasoning:" label, else the whole text; the
    /// lines at `excluding` (the verdict or score lines) are left out.
    static func rationale(from lines: [String], excluding excluded: Set<Int>) -> String {
        let label = /(?i)^(?:\*\*|__)?\s*(?:rationale|explanation|reasoning|reason|justification|feedback)\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*/
        var kept: [String] = []
        for (index, line) in lines.enumerated() where !excluded.contains(index) {
            if let match = line.prefixMatch(of: label) {
                kept = [text(after: match.range, in: line)]  // the labelled rationale starts here
            } else {
                kept.append(line)
            }
        }
        return unwrapped(kept.filter { !$0.isEmpty }.joined(separator: " "))
    }

    /// Reads "8", "8.5", "**8**", "8/10" or "8 out of 10" at the start of `text`. A range such as
    /// "1-10" (a teacher echoing the template's "<1-10>") is not a score.
    static func leadingScore(_ text: some StringProtocol) -> (value: Double, outOf: Double?)? {
        let pattern = /(?i)^\s*(?:\*\*|__)?\s*[\[(]?\s*(-?\d+(?:\.\d+)?)\s*(?:(?:\/|out\s+of)\s*(\d+(?:\.\d+)?))?/
        let string = String(text)
        guard let match = string.prefixMatch(of: pattern), let value = Double(match.output.1) else { return nil }
        if match.output.2 == nil, string[match.range.upperBound...].prefixMatch(of: /\s*(?:[-–]|to)\s*\d/) != nil { return nil }
        return (value, match.output.2.flatMap { Double($0) })
    }

    /// "7" for 7.0, "7.5" for 7.5: numbers in error messages read as the teacher wrote them.
    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
