// `structured-answer`: a medical answer in three labelled parts → [{"answer", "rationale",
// "guidance", "response"}]. The `structured-answer` template asks for "Answer:", "Rationale:" and
// "Guidance:"; teachers also write "**Answer**", "## Explanation" or "When to see a doctor:", and
// a part may run over several lines. A reply without one of the parts, or whose guidance never
// points to a health professional, is rejected: the format exists so every kept answer says when
// to get professional help (as medical instruction data such as MedAlpaca's is curated to).
import RetortPluginSDK

enum StructuredAnswerParser {
    enum Part: String, CaseIterable {
        case answer, rationale, guidance
    }

    /// Label words per part; a heading line such as "## When to see a doctor" counts too.
    static let labels: [(Part, [String])] = [
        (.answer, ["short answer", "direct answer", "answer", "summary"]),
        (.rationale, ["rationale", "explanation", "reasoning", "why", "because"]),
        (.guidance, ["guidance", "when to see a doctor", "when to seek help", "when to seek care", "when to get help", "safety",
                     "next steps", "advice", "consult a professional", "professional advice"]),
    ]

    static func parse(_ output: String) throws -> [JSONValue] {
        let lines = MedicalText.lines(output)
        guard lines.contains(where: { !$0.isEmpty }) else { throw PluginFailure.parse("the teacher output is empty") }
        var parts: [Part: [String]] = [:]
        var current: Part?
        for line in lines {
            if let (part, rest) = label(line) {
                current = part
                parts[part, default: []].append(rest)
            } else if let current, !line.isEmpty, !MedicalText.isChatter(line) {
                parts[current, default: []].append(line)
            }
        }
        func text(_ part: Part) -> String {
            MedicalText.unwrapped(MedicalText.collapsedWhitespace((parts[part] ?? []).joined(separator: " ")))
        }
        let missing = Part.allCases.filter { text($0).isEmpty }
        guard missing.isEmpty else {
            let names = missing.map { "\"\($0.rawValue.capitalized):\"" }.joined(separator: ", ")
            throw PluginFailure.parse("the answer lacks \(names); the template asks for Answer, Rationale and Guidance parts")
        }
        let guidance = text(.guidance)
        guard ProfessionalGuidance.mentionsProfessional(guidance) else {
            throw PluginFailure.parse("the guidance \"\(MedicalText.excerpt(guidance))\" never says to consult a doctor, nurse, "
                + "pharmacist or emergency services")
        }
        let response = "Answer: \(text(.answer))\nRationale: \(text(.rationale))\nGuidance: \(guidance)"
        return [["answer": .string(text(.answer)), "rationale": .string(text(.rationale)), "guidance": .string(guidance),
                 "response": .string(response)]]
    }

    /// The part a line labels and the text after the label, or nil.
    static func label(_ line: String) -> (Part, String)? {
        let stripped = line.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "")
        let body = MedicalText.removingListMarker(stripped).text.drop(while: { $0 == "#" || $0 == " " })
        let lower = body.lowercased()
        for (part, words) in labels {
            for word in words where lower.hasPrefix(word) {
                let rest = body.dropFirst(word.count)
                let trimmedRest = rest.drop(while: { $0 == " " })
                if let first = trimmedRest.first, first == ":" || first == "：" || first == "-" {
                    return (part, MedicalText.trimmed(trimmedRest.dropFirst()))
                }
                // A heading with nothing after it: "## Rationale".
                if trimmedRest.isEmpty, line.hasPrefix("#") || line.hasPrefix("**") { return (part, "") }
            }
        }
        return nil
    }
}
