// Text helpers shared by the medical parsers and filters: teacher output arrives with markdown,
// list markers and chatter; the safety filters search phrases case-insensitively on word
// boundaries so "pharmacist" matches but "harm" does not match inside "pharmacy".
import Foundation

enum MedicalText {
    static func lines(_ output: String) -> [String] {
        output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .map { $0.hasPrefix("```") ? "" : $0 }
    }

    static func trimmed(_ text: some StringProtocol) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func collapsedWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Removes markdown emphasis around the whole text and one pair of quotes.
    static func unwrapped(_ text: String) -> String {
        var s = trimmed(text)
        for wrapper in ["**", "__", "*", "_", "\""] {
            while s.count > 2 * wrapper.count, s.hasPrefix(wrapper), s.hasSuffix(wrapper) {
                s = trimmed(s.dropFirst(wrapper.count).dropLast(wrapper.count))
            }
        }
        return s
    }

    /// Removes a leading list marker ("1.", "2)", "- ", "* ", "Q3:").
    static func removingListMarker(_ line: String) -> (marked: Bool, text: String) {
        let marker = /^(?:\*\*|__)?(?:[-*•+–]\s+|\(?\d{1,3}[.):\]](?!\d)|[Qq]\d{1,3}[.:)])(?:\*\*|__)?\s*/
        guard let match = line.prefixMatch(of: marker) else { return (false, line) }
        return (true, String(line[match.range.upperBound...]))
    }

    /// The lowercased text with every run of non-letters and non-digits as one space, padded, so
    /// a phrase is found as " phrase " on word boundaries.
    static func searchable(_ text: String) -> String {
        var out = " "
        var lastWasSpace = true
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "%" {
                out.append(character)
                lastWasSpace = false
            } else if !lastWasSpace {
                out.append(" ")
                lastWasSpace = true
            }
        }
        if !lastWasSpace { out.append(" ") }
        return out
    }

    /// The first phrase of `phrases` (lowercase words; a trailing "*" matches any word ending)
    /// found in `searchable` text.
    static func firstPhrase(_ phrases: [String], in searchable: String) -> String? {
        phrases.first { contains(searchable, phrase: $0) }
    }

    static func contains(_ searchable: String, phrase: String) -> Bool {
        if phrase.hasSuffix("*") {
            return searchable.contains(" " + phrase.dropLast())
        }
        return searchable.contains(" " + phrase + " ")
    }

    /// Shortens teacher text quoted in a reason.
    static func excerpt(_ text: String, _ limit: Int = 60) -> String {
        let flat = collapsedWhitespace(text)
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
    }

    /// Openers and sign-offs chat models add around what was asked for.
    static func isChatter(_ line: String) -> Bool {
        let lower = line.lowercased().drop(while: { !$0.isLetter })
        return ["here are", "here is", "sure", "certainly", "of course", "i hope", "let me know", "feel free", "these questions"]
            .contains { lower.hasPrefix($0) }
    }
}
