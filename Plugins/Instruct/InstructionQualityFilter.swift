// `instruction-quality`: Self-Instruct's heuristic filter for generated instructions (Wang et al.,
// 2023, §2.4 and its bootstrap script), on {"instruction"}. An instruction is rejected when it is
// too short or too long, starts with punctuation or anything but a letter, ends with a colon (an
// input it announces is missing), starts with "Write a program" (ambiguous between writing code and
// giving the result, which Self-Instruct drops too), or needs something a text-only model can
// neither read nor make nor do: a picture, a graph or plot, a map, a file, or going somewhere.
// Every failed check is named in the reason; the score is the share of checks passed.
import Foundation
import RetortPluginSDK

enum InstructionQualityFilter {
    static let wordRange = 3...150

    /// Whole words, matched case-insensitively. Self-Instruct's list, plus the photo, video,
    /// diagram and attachment words that ask for the same thing.
    static let outOfReachWords = [
        "image", "images", "picture", "pictures", "photo", "photos", "video", "videos",
        "graph", "graphs", "plot", "diagram", "diagrams", "draw",
        "map", "maps",
        "file", "files", "attachment", "attached",
        "go to",
    ]

    static func judge(_ record: JSONValue) -> Verdict {
        guard let instruction = record["instruction"]?.stringValue else {
            let found = record["instruction"].map { "is \($0.typeName)" } ?? "is missing"
            return .reject("the record's \"instruction\" \(found); expected a string", score: 0)
        }
        let text = TeacherText.trimmed(instruction)
        guard let first = text.first else { return .reject("the instruction is empty or only whitespace", score: 0) }

        let words = TeacherText.words(text).count
        let mentioned = outOfReachWords.filter { containsWord($0, in: text) }
        // One entry per check: nil when it passes, else what is wrong.
        let checks: [String?] = [
            words < wordRange.lowerBound ? "it has \(words) word\(words == 1 ? "" : "s"), fewer than \(wordRange.lowerBound)"
                : words > wordRange.upperBound ? "it has \(words) words, more than \(wordRange.upperBound)" : nil,
            first.isPunctuation || first.isSymbol ? "it starts with the punctuation or symbol \"\(first)\""
                : !first.isLetter ? "it starts with \"\(first)\", not a letter" : nil,
            text.hasSuffix(":") ? "it ends with a colon, announcing an input that is not there" : nil,
            text.lowercased().hasPrefix("write a program")
                ? "it starts with \"Write a program\", which leaves open whether to write code or give the result" : nil,
            mentioned.isEmpty ? nil
                : "it mentions \(mentioned.map { "\"\($0)\"" }.joined(separator: ", ")), which a text-only model can neither see, make nor do",
        ]
        let problems = checks.compactMap { $0 }
        let score = Double(checks.count - problems.count) / Double(checks.count)
        guard problems.isEmpty else { return .reject(problems.joined(separator: "; "), score: score) }
        return .keep(score: score)
    }

    /// `word` as a whole word or phrase: "map" in "a map of", not in "mapping" or "bitmap".
    static func containsWord(_ word: String, in text: String) -> Bool {
        let lower = text.lowercased()
        var searchStart = lower.startIndex
        while let range = lower.range(of: word, range: searchStart..<lower.endIndex) {
            let before = range.lowerBound == lower.startIndex ? nil : lower[lower.index(before: range.lowerBound)]
            let after = range.upperBound == lower.endIndex ? nil : lower[range.upperBound]
            let isBoundary: (Character?) -> Bool = { c in c.map { !($0.isLetter || $0.isNumber || $0 == "_") } ?? true }
            if isBoundary(before) && isBoundary(after) { return true }
            searchStart = range.upperBound
        }
        return false
    }
}
