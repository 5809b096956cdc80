// `chain-of-thought`: a worked solution → [{"response", "rationale", "answer"}]. The rationale is
// the reasoning before the final-answer line, the answer is normalized for exact match, and the
// response (what a labeling stage stores as the assistant turn) is the solution without chatter
// after the answer. An output without reasoning, without an answer, or whose answer is the
// template's placeholder is rejected: such a record teaches no thinking pattern (distilling
// step-by-step rationales, Hsieh et al. 2023; explanation tuning, Mukherjee et al. 2023).
import RetortPluginSDK

enum ChainOfThoughtParser {
    /// Fewer words of reasoning than this before the answer is an answer, not a chain of thought.
    static let minimumRationaleWords = 4

    static func parse(_ output: String) throws -> [JSONValue] {
        let lines = ReasoningText.lines(output)
        guard lines.contains(where: { !$0.isEmpty }) else { throw PluginFailure.parse("the teacher output is empty") }
        guard let found = AnswerExtraction.extract(output) else {
            throw PluginFailure.parse("no final answer: expected a last line \"Answer: <number>\" (or \"####\", \\boxed{}, \"the answer is\")")
        }
        let answer = AnswerExtraction.normalize(found.text)
        if AnswerExtraction.isPlaceholder(answer) {
            throw PluginFailure.parse("the final answer \"\(ReasoningText.excerpt(found.text))\" is empty or the template's placeholder")
        }
        // The reasoning: lines before the answer line (or the whole text when the answer sits in a sentence).
        let reasoningLines = found.line.map { Array(lines[..<$0]) } ?? lines
        var rationaleLines = reasoningLines.filter { !$0.isEmpty }
        if let line = found.line, let match = lines[line].matches(of: AnswerExtraction.label).last {
            // "So the total is 36. Answer: 36" keeps its sentence.
            let before = ReasoningText.trimmed(lines[line][..<match.range.lowerBound])
            if !before.isEmpty { rationaleLines.append(before) }
        }
        let rationale = rationaleLines.joined(separator: "\n")
        let words = ReasoningText.words(rationale).filter { $0.contains(where: \.isLetter) || $0.contains(where: \.isNumber) }.count
        guard words >= minimumRationaleWords else {
            throw PluginFailure.parse("no reasoning before the answer (\(words) word\(words == 1 ? "" : "s")); a chain of thought shows its steps")
        }
        return [["response": .string(response(lines, answerLine: found.line)), "rationale": .string(rationale), "answer": .string(answer)]]
    }

    /// The solution up to and including its answer line (and the answer's own line when the label
    /// stood alone); sign-offs and anything the teacher added after the answer are dropped.
    static func response(_ lines: [String], answerLine: Int?) -> String {
        var end = lines.count
        if let answerLine {
            let labelOnly = lines[answerLine].matches(of: AnswerExtraction.label).last.map {
                ReasoningText.trimmed(lines[answerLine][$0.range.upperBound...]).isEmpty
            } ?? false
            end = answerLine + 1
            if labelOnly, let next = lines[end...].firstIndex(where: { !$0.isEmpty }) { end = next + 1 }
        }
        var kept = Array(lines[..<end])
        if answerLine == nil, let signOff = kept.firstIndex(where: ReasoningText.isSignOff) { kept = Array(kept[..<signOff]) }
        return ReasoningText.trimmed(kept.joined(separator: "\n").replacing(/\n{3,}/, with: "\n\n"))
    }
}
