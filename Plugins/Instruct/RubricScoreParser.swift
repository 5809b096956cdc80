// `rubric-score`: a teacher's 1–10 grade of one response (the `rubric` template, in the style of
// LLM-as-a-judge single-answer grading, Zheng et al., 2023) → [{"score", "rationale"}]. The last
// "Score: N" line wins (teachers sometimes restate it); "8/10" and "8 out of 10" are read, other
// scales and out-of-range scores are errors rather than guesses.
import RetortPluginSDK

enum RubricScoreParser {
    static let range = 1.0...10.0

    static func parse(_ output: String) throws -> [JSONValue] {
        let lines = TeacherText.lines(output)
        guard lines.contains(where: { !$0.isEmpty }) else { throw PluginFailure.parse("the teacher output is empty") }
        let label = /(?i)^(?:[-*•]\s+)?(?:\*\*|__)?\s*(?:final\s+|overall\s+)?(?:score|rating|grade)\s*(?:\([^)]*\))?\s*(?:\*\*|__)?\s*(?:[:：=-]|is)\s*/
        var found: (value: Double, outOf: Double?)?
        var labelWithoutNumber: (line: Int, text: String)?
        var scoreLines = Set<Int>()  // every labelled score line is left out of the rationale
        for (index, line) in lines.enumerated() {
            guard let match = line.prefixMatch(of: label) else { continue }
            scoreLines.insert(index)
            let rest = line[match.range.upperBound...]
            // "Score:" alone on its line, the number on the next.
            let next = rest.isEmpty ? lines[(index + 1)...].firstIndex(where: { !$0.isEmpty }) : nil
            if let score = TeacherText.leadingScore(next.map { lines[$0] } ?? String(rest)) {
                found = score
                if let next { scoreLines.insert(next) }
            } else {
                labelWithoutNumber = (index, line)
            }
        }
        if found == nil {
            // No label: accept a lone "N/10" or "N out of 10" anywhere, the last one; the sentence
            // around it is the rationale.
            let anywhere = /(?i)(?:^|[^\d.])(\d+(?:\.\d+)?)\s*(?:\/|out\s+of)\s*10\b/
            for line in lines {
                if let match = line.matches(of: anywhere).last, let value = Double(match.output.1) {
                    found = (value, 10)
                }
            }
        }
        guard let score = found else {
            if let (index, text) = labelWithoutNumber {
                throw PluginFailure.parse("line \(index + 1) \"\(text.prefix(60))\" has a score label but no number after it")
            }
            throw PluginFailure.parse("no \"Score: N\" line (N from 1 to 10) in the teacher output")
        }
        if let outOf = score.outOf, outOf != range.upperBound {
            throw PluginFailure.parse("score \(TeacherText.format(score.value))/\(TeacherText.format(outOf)) is not on the 1–10 scale")
        }
        guard range.contains(score.value) else {
            throw PluginFailure.parse("score \(TeacherText.format(score.value)) is outside 1…10")
        }
        let rationale = TeacherText.rationale(from: lines, excluding: scoreLines)
        return [["score": .number(score.value), "rationale": .string(rationale)]]
    }
}
