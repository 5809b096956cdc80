// `user-turn`: the next user message a teacher writes when it plays the user, as in UltraChat (Ding
// et al., 2023) → [{"message"}]. A "User:" label is removed; if the teacher went on to write the
// assistant's reply or more turns, only the first user message is kept; an output that is an
// assistant turn instead ("Assistant: …") is refused, since it would train the wrong side.
import RetortPluginSDK

enum UserTurnParser {
    static func parse(_ output: String) throws -> [JSONValue] {
        var lines = TeacherText.lines(output)
        while let first = lines.first, first.isEmpty || (isOpener(first) && lines.dropFirst().contains { !$0.isEmpty }) {
            lines.removeFirst()
        }
        guard let first = lines.first else { throw PluginFailure.parse("the teacher output is empty") }
        if let label = speaker(first, in: assistantLabel) {
            throw PluginFailure.parse("the teacher wrote an assistant turn (\"\(label)\") instead of the user's next message")
        }
        let labelled = first.prefixMatch(of: userLabel)
        if let match = labelled { lines[0] = TeacherText.text(after: match.range, in: first) }
        while lines.first?.isEmpty == true { lines.removeFirst() }

        // The first user message ends where another speaker's turn begins.
        if let end = lines.dropFirst().firstIndex(where: { speaker($0, in: assistantLabel) != nil || speaker($0, in: userLabel) != nil }) {
            lines = Array(lines[..<end])
        }
        let message = TeacherText.unwrapped(lines.joined(separator: "\n"))
        guard !message.isEmpty else {
            throw PluginFailure.parse(labelled != nil ? "the teacher wrote a \"User:\" label but no message after it"
                : "the teacher's message is empty once quotes and markup are removed")
        }
        return [["message": .string(message)]]
    }

    static var userLabel: Regex<Substring> {
        /(?i)^(?:\*\*|__)?\s*(?:the\s+)?(?:next\s+)?(?:user|human|me|customer)(?:'s)?(?:\s+(?:next\s+)?(?:message|turn|reply|question))?\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*/
    }

    static var assistantLabel: Regex<Substring> {
        /(?i)^(?:\*\*|__)?\s*(?:the\s+)?(?:assistant|ai|ai assistant|bot|chatbot|model|gpt|system)(?:'s)?(?:\s+(?:reply|response|message|answer))?\s*(?:\*\*|__)?\s*[:：]/
    }

    /// The label if `line` opens a turn of a speaker matched by `label`.
    static func speaker(_ line: String, in label: Regex<Substring>) -> String? {
        line.prefixMatch(of: label).map { TeacherText.trimmed(line[$0.range]) }
    }

    /// "Here is the user's next message:" and similar lines above the message itself.
    static func isOpener(_ line: String) -> Bool {
        TeacherText.isChatter(line) && (line.hasSuffix(":") || line.split(separator: " ").count <= 2)
    }
}
