// `evolved-instruction`: the one rewritten instruction an Evol-Instruct operation returns (Xu et al.,
// 2023, WizardLM) → [{"instruction"}]. Teachers often label it ("#Rewritten Prompt#:", "New
// instruction:"), open with chatter, or explain their change afterwards; the text after the last
// such label is taken, explanations are cut, and refusals or fragments are rejected.
import Foundation
import RetortPluginSDK

enum EvolvedInstructionParser {
    static func parse(_ output: String) throws -> [JSONValue] {
        // Lines keep their indentation (the instruction may hold code); matching uses trimmed copies.
        var lines = output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { line in
            String(line.reversed().drop(while: \.isWhitespace).reversed())
        }
        func trimmed(_ line: String) -> String { line.trimmingCharacters(in: .whitespaces) }
        // A fence around the whole output is wrapping; fences inside belong to the instruction.
        let filled = lines.indices.filter { !trimmed(lines[$0]).isEmpty }
        if filled.count > 1, trimmed(lines[filled[0]]).hasPrefix("```"), trimmed(lines[filled.last!]) == "```" {
            lines.remove(at: filled.last!)
            lines.remove(at: filled[0])
        }
        guard lines.contains(where: { !trimmed($0).isEmpty }) else { throw PluginFailure.parse("the teacher output is empty") }

        // Start after the last rewrite label, if any; else after leading chatter.
        let rewriteLabel = /(?i)^(?:\*\*|__)?\s*#?\s*(?:the\s+)?(?:(?:rewritten|new|created|evolved|revised|improved|final|more\s+\w+)\s+)?(?:instruction|prompt|task|version)\s*#?\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*/
        let labelIndex = lines.lastIndex(where: { trimmed($0).prefixMatch(of: rewriteLabel) != nil })
        if let index = labelIndex {
            let first = trimmed(lines[index])
            let rest = TeacherText.text(after: first.prefixMatch(of: rewriteLabel)!.range, in: first)
            lines = [rest] + lines[(index + 1)...]
        } else {
            while let first = lines.first, trimmed(first).isEmpty || TeacherText.isChatter(trimmed(first)) { lines.removeFirst() }
        }
        while let first = lines.first, trimmed(first).isEmpty { lines.removeFirst() }

        // Cut the teacher's comments on its own rewrite and its sign-off.
        let commentary = /(?i)^(?:\*\*|__)?\s*(?:explanation|note|rationale|changes|reasoning|in this (?:version|rewrite)|this (?:rewritten|new|version|revised)|i (?:have )?(?:added|changed|made|rewrote|replaced))\b/
        if let cut = lines.dropFirst().firstIndex(where: {
            trimmed($0).prefixMatch(of: commentary) != nil || TeacherText.isSignOff(trimmed($0))
        }) {
            lines = Array(lines[..<cut])
        }
        // A single numbered item is the instruction itself; several numbered lines are its steps.
        if lines.filter({ TeacherText.removingListMarker(trimmed($0)).marked }).count == 1, let first = lines.first {
            let (marked, text) = TeacherText.removingListMarker(trimmed(first))
            if marked { lines[0] = text }
        }

        var paragraphs: [String] = []
        for line in lines {
            if trimmed(line).isEmpty, paragraphs.last?.isEmpty != false { continue }
            paragraphs.append(trimmed(line).isEmpty ? "" : line)
        }
        let instruction = TeacherText.unwrapped(paragraphs.joined(separator: "\n"))
        guard !instruction.isEmpty else {
            throw PluginFailure.parse(labelIndex == nil ? "the teacher output holds only chatter, no instruction"
                : "the teacher wrote a rewrite label but no instruction after it")
        }
        if TeacherText.isRefusal(instruction) {
            throw PluginFailure.parse("the teacher refused instead of rewriting: \"\(instruction.prefix(60))\"")
        }
        let wordCount = TeacherText.wordsWithLetters(instruction)
        guard wordCount >= InstructionListParser.minimumWords else {
            throw PluginFailure.parse("the rewritten instruction \"\(instruction)\" has \(wordCount) word\(wordCount == 1 ? "" : "s"), "
                + "fewer than \(InstructionListParser.minimumWords)")
        }
        return [["instruction": .string(instruction)]]
    }
}
