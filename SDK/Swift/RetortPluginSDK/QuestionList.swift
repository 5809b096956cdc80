// A `question-list` parser plugins share: the questions of a numbered or bulleted list a teacher
// wrote, markers and labels ("Question 2:") removed, chatter ("Here are …") skipped; each must be at
// least 3 words. Each question becomes {"instruction": …}.
import Foundation
import RetortJSON

public enum QuestionList {
    public static func parse(_ output: String) throws -> [JSONValue] {
        guard !output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw PluginFailure.parse("the teacher output is empty") }
        var questions: [String] = []
        for raw in output.split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if let marker = line.prefixMatch(of: /(?:\*\*)?(?:\(?\d{1,3}[.):]|[-*•])\s*(?:\*\*)?\s*/) { line = String(line[marker.range.upperBound...]) }
            if let label = line.prefixMatch(of: /(?i)(?:q|question)\s*\d*\s*[:.]\s*/) { line = String(line[label.range.upperBound...]) }
            line = line.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "*\"“”"))
            guard line.split(separator: " ").count >= 3, line.first?.isLetter == true, !questions.contains(line) else { continue }
            if ["here are", "sure", "these questions", "i hope", "the passage"].contains(where: { line.lowercased().hasPrefix($0) }) { continue }
            questions.append(line)
        }
        guard !questions.isEmpty else { throw PluginFailure.parse("no question of at least 3 words in the output") }
        return questions.map { ["instruction": .string($0)] }
    }
}
