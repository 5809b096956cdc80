// `pairwise-verdict`: which of two responses a teacher prefers (the `pairwise` template; pairwise
// comparison as in MT-Bench's judge, Zheng et al., 2023) → [{"winner": "A"|"B"|"tie", "rationale"}].
// Reads the last "Verdict:" line ("Verdict: Response B", "**Verdict:** [[A]]", "Verdict: tie"),
// else MT-Bench's bare "[[A]]"/"[[B]]"/"[[C]]" marks.
import RetortPluginSDK

enum PairwiseVerdictParser {
    static func parse(_ output: String) throws -> [JSONValue] {
        let lines = TeacherText.lines(output)
        guard lines.contains(where: { !$0.isEmpty }) else { throw PluginFailure.parse("the teacher output is empty") }
        let label = /(?i)^(?:[-*•]\s+)?(?:\*\*|__)?\s*(?:final\s+)?(?:verdict|winner|decision|better\s+response|preferred\s+response|preference)\s*(?:\*\*|__)?\s*[:：=-]\s*/
        var value: String?
        var verdictLines = Set<Int>()  // labelled verdict lines are left out of the rationale
        for (index, line) in lines.enumerated() {
            guard let match = line.prefixMatch(of: label) else { continue }
            value = String(line[match.range.upperBound...])
            verdictLines.insert(index)
        }
        var rationaleLines = lines
        if value == nil {
            // MT-Bench's mark sits at the end of the judge's prose, which stays the rationale.
            let mark = /\[\[\s*([ABCabc]|tie)\s*\]\]/
            for line in lines {
                if let match = line.matches(of: mark).last { value = String(match.output.1) }
            }
            rationaleLines = lines.map { $0.replacing(mark, with: "") }
        }
        guard let value else {
            throw PluginFailure.parse("no \"Verdict: A|B|tie\" line in the teacher output")
        }
        guard let winner = winner(value) else {
            throw PluginFailure.parse("verdict \"\(value.prefix(40))\" is not A, B or tie")
        }
        let rationale = TeacherText.rationale(from: rationaleLines, excluding: verdictLines)
        return [["winner": .string(winner), "rationale": .string(rationale)]]
    }

    /// "A", "Response A", "[[B]]", "Assistant B is better", "(a)", "Tie", "equal", "C" (MT-Bench's tie).
    static func winner(_ value: String) -> String? {
        let text = value.lowercased().replacingOccurrences(of: "*", with: "")
        let tie = /^\W*(?:it\s+is\s+|it's\s+)?(?:a\s+)?(?:tie|draw|equal|equally|both|neither|same|c)\b/
        if text.prefixMatch(of: tie) != nil { return "tie" }
        let side = /^\W*(?:(?:response|output|answer|assistant|option|model)\s*)?\W*([ab])\b/
        guard let match = text.prefixMatch(of: side) else { return nil }
        return match.output.1.uppercased()
    }
}
