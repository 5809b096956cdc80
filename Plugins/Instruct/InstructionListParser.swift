// `instruction-list`: the numbered list of new tasks a teacher writes for the `self-instruct` and
// `topic-questions` templates → one {"instruction"} record per item. Follows Self-Instruct (Wang et
// al., 2023), which splits the completion at its numbering and drops items of three words or
// fewer; here any list style is read ("1.", "1)", "- ", "**2.**", or one item per line when there
// is no numbering), and openers like "Here are five new tasks:" are dropped.
import RetortPluginSDK

enum InstructionListParser {
    static let minimumWords = 3

    static func parse(_ output: String) throws -> [JSONValue] {
        let lines = TeacherText.lines(output)
        guard lines.contains(where: { !$0.isEmpty }) else { throw PluginFailure.parse("the teacher output is empty") }
        let candidates = items(in: lines)
        var seen = Set<String>()
        var instructions: [String] = []
        for candidate in candidates {
            let text = clean(candidate)
            guard TeacherText.wordsWithLetters(text) >= minimumWords, !TeacherText.isChatter(text) else { continue }
            guard seen.insert(text.lowercased()).inserted else { continue }
            instructions.append(text)
        }
        guard !instructions.isEmpty else {
            throw PluginFailure.parse(
                "found no instruction of at least \(minimumWords) words in the teacher output "
                    + "(\(candidates.count) item\(candidates.count == 1 ? "" : "s") read, all shorter or chatter such as \"Here are…\")")
        }
        return instructions.map { ["instruction": .string($0)] }
    }

    /// Groups lines into items. With list markers, a marked line starts an item and an unmarked
    /// line directly below it continues it; unmarked lines after a blank line are prose, except
    /// before the first marker (a teacher continuing "9." may write its first item bare). Without
    /// any marker, every line is an item.
    static func items(in lines: [String]) -> [String] {
        let anyMarker = lines.contains { TeacherText.removingListMarker($0).marked }
        var items: [String] = []
        var current: String?
        var afterBlank = true
        func flush() {
            if let item = current { items.append(item) }
            current = nil
        }
        for line in lines {
            if line.isEmpty {
                flush()
                afterBlank = true
                continue
            }
            let (marked, text) = TeacherText.removingListMarker(line)
            if marked || !anyMarker {
                flush()
                current = text
            } else if let item = current, !afterBlank {
                current = item + " " + line
            } else if items.isEmpty, current == nil {
                current = line
            }
            afterBlank = false
        }
        flush()
        return items
    }

    /// Label, emphasis and quotes off; whitespace collapsed.
    static func clean(_ item: String) -> String {
        let text = TeacherText.unwrapped(TeacherText.removingItemLabel(TeacherText.collapsedWhitespace(item)))
        return TeacherText.collapsedWhitespace(text)
    }
}
