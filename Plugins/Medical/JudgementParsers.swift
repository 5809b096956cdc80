// The judge's outputs of the helpfulness-and-harmlessness templates, in the shapes the feedback
// strategy reads: `pairwise-verdict` → [{"winner": "A"|"B"|"tie", "rationale"}] from the last
// "Verdict:" line (or an MT-Bench style "[[A]]"), and `rubric-score` → [{"score", "rationale"}] from
// the last "Score: N" line, N from 1 to 10 ("7/10" is read; other scales are rejected).
import RetortPluginSDK

enum JudgementParsers {
    static func verdict(_ output: String) throws -> [JSONValue] {
        let lines = MedicalText.lines(output)
        guard lines.contains(where: { !$0.isEmpty }) else { throw PluginFailure.parse("the teacher output is empty") }
        let label = /(?i)^(?:[-*•]\s+)?(?:\*\*|__)?\s*(?:final\s+)?(?:verdict|winner|preferred\s+response|better\s+response)\s*(?:\*\*|__)?\s*[:：-]\s*/
        var value: String?
        var used = Set<Int>()
        for (index, line) in lines.enumerated() {
            if let match = line.prefixMatch(of: label) {
                value = String(line[match.range.upperBound...])
                used.insert(index)
            }
        }
        if value == nil {
            for (index, line) in lines.enumerated() {
                if let mark = line.matches(of: /\[\[\s*([ABCabc]|tie)\s*\]\]/).last {
                    value = String(mark.output.1)
                    used.insert(index)
                }
            }
        }
        guard let value else { throw PluginFailure.parse("no \"Verdict: A|B|tie\" line in the teacher output") }
        let text = value.lowercased().replacingOccurrences(of: "*", with: "")
        let winner: String
        if text.prefixMatch(of: /^\W*(?:a\s+)?(?:tie|draw|equal|both|neither|c)\b/) != nil {
            winner = "tie"
        } else if let side = text.prefixMatch(of: /^\W*(?:(?:response|answer|assistant|option)\s*)?\W*([ab])\b/) {
            winner = side.output.1.uppercased()
        } else {
            throw PluginFailure.parse("verdict \"\(MedicalText.excerpt(value, 40))\" is not A, B or tie")
        }
        return [["winner": .string(winner), "rationale": .string(rationale(lines, excluding: used))]]
    }

    static func score(_ output: String) throws -> [JSONValue] {
        let lines = MedicalText.lines(output)
        guard lines.contains(where: { !$0.isEmpty }) else { throw PluginFailure.parse("the teacher output is empty") }
        let label = /(?i)^(?:[-*•]\s+)?(?:\*\*|__)?\s*(?:overall\s+|final\s+)?(?:score|rating)\s*(?:\*\*|__)?\s*[:：=-]\s*(?:\*\*|__)?\s*(\d+(?:\.\d+)?)\s*(?:(?:\/|out\s+of)\s*(\d+))?/
        var found: (Double, Double?, Int)?
        for (index, line) in lines.enumerated() {
            if let match = line.prefixMatch(of: label), let value = Double(match.output.1) {
                found = (value, match.output.2.flatMap { Double($0) }, index)
            }
        }
        guard let (value, scale, index) = found else {
            throw PluginFailure.parse("no \"Score: N\" line (N from 1 to 10) in the teacher output")
        }
        if let scale, scale != 10 { throw PluginFailure.parse("score \(shown(value))/\(shown(scale)) is not on the 1–10 scale") }
        guard (1...10).contains(value) else { throw PluginFailure.parse("score \(shown(value)) is outside 1…10") }
        return [["score": .number(value), "rationale": .string(rationale(lines, excluding: [index]))]]
    }

    /// "7" for 7.0: numbers in reasons read as the teacher wrote them.
    static func shown(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    /// The text after a "Rationale:" label, else the lines that are not the verdict or score.
    static func rationale(_ lines: [String], excluding: Set<Int>) -> String {
        let label = /(?i)^(?:\*\*|__)?\s*(?:rationale|explanation|reasoning|reason)\s*(?:\*\*|__)?\s*[:：]\s*/
        var kept: [String] = []
        for (index, line) in lines.enumerated() where !excluding.contains(index) && !line.isEmpty {
            if let match = line.prefixMatch(of: label) {
                kept = [String(line[match.range.upperBound...])]
            } else {
                kept.append(line)
            }
        }
        return MedicalText.unwrapped(kept.joined(separator: " "))
    }
}
