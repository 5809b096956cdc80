// `question-list`: the patient questions a teacher writes for one topic (the `patient-questions`
// curation template) → one [{"instruction"}] per line that is a question: at least three words,
// ending with "?", markers, labels ("Question 2:") and quotes removed, chatter and repeats dropped.
// Statements (a teacher copying the key facts back) and cut-off lines are not questions.
import RetortPluginSDK

enum QuestionListParser {
    static func parse(_ output: String) throws -> [JSONValue] {
        var questions: [String] = []
        var seen = Set<String>()
        for line in MedicalText.lines(output) where !line.isEmpty && !MedicalText.isChatter(line) {
            var text = MedicalText.removingListMarker(line).text
            text = text.replacing(/(?i)^(?:\*\*|__)?\s*question\s*\d{0,3}\s*[:.)]\s*(?:\*\*|__)?\s*/, with: "")
            text = MedicalText.unwrapped(text)
            guard text.hasSuffix("?"), text.split(separator: " ").count >= 3 else { continue }
            guard seen.insert(text.lowercased()).inserted else { continue }
            questions.append(text)
        }
        guard !questions.isEmpty else {
            throw PluginFailure.parse("no question of at least three words ending with \"?\" in the teacher output")
        }
        return questions.map { ["instruction": .string($0)] }
    }
}
