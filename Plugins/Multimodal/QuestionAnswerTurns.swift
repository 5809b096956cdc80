// The `qa-turns` parser: the question/answer pairs of a conversation or complex-reasoning output,
// as LLaVA's conversations are stored. Labels may be "Question:"/"Answer:", "Q:"/"A:",
// "User:"/"Assistant:" or "Human:"/"GPT:", numbered ("Question 2:") or in Markdown bold; a line
// without a label continues the turn above it up to the next blank line. A trailing question
// without an answer (a cut-off output) is dropped; an output without one complete pair is rejected.
import Foundation
import RetortPluginSDK

enum QuestionAnswerTurns {
    static let maximumPairs = 8
    static let maximumTurnCharacters = 2_000

    enum Speaker { case question, answer }

    static func parse(_ output: String) throws -> [JSONValue] {
        var turns: [(Speaker, String)] = []
        // Unlabelled lines continue the open turn; a blank line closes it, so chatter between
        // pairs ("I hope this helps!") is not glued onto an answer.
        var open = false
        for rawLine in output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "**", with: "")
            line = line.replacing(/^(\d+[.)]|[-*•])\s+/, with: "")
            if line.isEmpty {
                // "Answer:" alone on its line keeps the turn open for the text below it.
                if open, !(turns.last?.1.isEmpty ?? true) { open = false }
                continue
            }
            if let (speaker, rest) = labelled(line) {
                turns.append((speaker, rest))
                open = true
            } else if open {
                turns[turns.count - 1].1 += (turns[turns.count - 1].1.isEmpty ? "" : " ") + line
            }
        }
        var messages: [JSONValue] = []
        var pending: String?
        for (speaker, text) in turns {
            let text = text.trimmingCharacters(in: .whitespaces)
            guard text.count <= maximumTurnCharacters else {
                throw PluginFailure.parse("a turn has \(text.count) characters, more than \(maximumTurnCharacters); the output is not a conversation")
            }
            switch speaker {
            case .question:
                pending = text.isEmpty ? nil : text
            case .answer:
                guard let question = pending, !text.isEmpty, !isPlaceholder(text), !isPlaceholder(question) else { continue }
                messages.append(["role": "user", "content": .string(question)])
                messages.append(["role": "assistant", "content": .string(text)])
                pending = nil
            }
        }
        guard !messages.isEmpty else {
            throw PluginFailure.parse("found no complete \"Question: …\" / \"Answer: …\" pair in the output")
        }
        guard messages.count / 2 <= maximumPairs else {
            throw PluginFailure.parse("found \(messages.count / 2) question/answer pairs, more than \(maximumPairs); the output looks runaway")
        }
        return [["messages": .array(messages), "turns": .number(Double(messages.count / 2))]]
    }

    static func labelled(_ line: String) -> (Speaker, String)? {
        if let match = line.prefixMatch(of: /(?i)(question|q|user|human)\s*\d*\s*[:.)]\s*/) {
            return (.question, String(line[match.range.upperBound...]))
        }
        if let match = line.prefixMatch(of: /(?i)(answer|a|assistant|gpt|ai)\s*\d*\s*[:.)]\s*/) {
            return (.answer, String(line[match.range.upperBound...]))
        }
        return nil
    }

    /// The template's own "..." echoed back instead of a question or answer.
    static func isPlaceholder(_ text: String) -> Bool {
        text.allSatisfy { $0 == "." || $0 == "…" || $0.isWhitespace }
    }
}
