// `program-of-thought`: a teacher's program → [{"response", "program", "answer"}]. The program is
// taken from the first fenced code block (else from the first run of code-like lines), run by the
// plugin's own arithmetic interpreter — never by Python — and the value it computes is the answer
// (Program of Thoughts, Chen et al. 2022). A program that does not parse, uses anything beyond
// straight-line arithmetic, or fails (division by zero, overflow, undefined names) is rejected
// with the line and the reason.
import RetortPluginSDK

enum ProgramOfThoughtParser {
    static func parse(_ output: String) throws -> [JSONValue] {
        guard !ReasoningText.trimmed(output).isEmpty else { throw PluginFailure.parse("the teacher output is empty") }
        guard let program = extractProgram(output) else {
            throw PluginFailure.parse("no program: expected a ```python block or lines such as \"answer = 12 * 3\"")
        }
        let run: ProgramRun
        do { run = try ProgramInterpreter.run(program) } catch {
            throw PluginFailure.parse("the program does not run: \(error.description)")
        }
        return [[
            "response": .string("```python\n\(program)\n```"), "program": .string(program), "answer": .string(run.answer),
            "answer_source": .string(run.source),
        ]]
    }

    /// The first fenced block's code (a ```python block first), else the first run of code-like lines.
    static func extractProgram(_ output: String) -> String? {
        let rawLines = output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        var blocks: [(language: String, lines: [String])] = []
        var current: (language: String, lines: [String])?
        for line in rawLines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                if let open = current {
                    blocks.append(open)
                    current = nil
                } else {
                    current = (String(trimmed.dropFirst(3)).lowercased(), [])
                }
                continue
            }
            current?.lines.append(line)
        }
        if let unclosed = current { blocks.append(unclosed) }  // a fence cut off by the token limit
        let usable = blocks.filter { $0.lines.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
        if let block = usable.first(where: { $0.language.hasPrefix("py") }) ?? usable.first {
            return trimmedBlock(block.lines)
        }
        guard let start = rawLines.firstIndex(where: looksLikeCode) else { return nil }
        var end = start
        var open = 0  // brackets still open: a statement continues on the next lines
        for index in start..<rawLines.count {
            let line = rawLines[index]
            let blank = line.trimmingCharacters(in: .whitespaces).isEmpty
            guard open > 0 || blank || looksLikeCode(line) || line.hasPrefix(" ") else { break }
            end = index
            open += line.filter { "([{".contains($0) }.count - line.filter { ")]}".contains($0) }.count
        }
        return trimmedBlock(Array(rawLines[start...end]))
    }

    /// `x = …`, `x += …`, `print(…)`, `def …`, `return …`, `import math`, a `#` comment.
    static func looksLikeCode(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.prefixMatch(of: /[A-Za-z_]\w*\s*(?:[-+*\/%]|\/\/|\*\*)?=[^=]/) != nil
            || trimmed.hasPrefix("print(") || trimmed.hasPrefix("def ") || trimmed.hasPrefix("return ")
            || trimmed.hasPrefix("import math") || trimmed.hasPrefix("from math") || (trimmed.hasPrefix("#") && !trimmed.hasPrefix("##"))
    }

    static func trimmedBlock(_ lines: [String]) -> String? {
        var kept = lines
        while let first = kept.first, first.trimmingCharacters(in: .whitespaces).isEmpty { kept.removeFirst() }
        while let last = kept.last, last.trimmingCharacters(in: .whitespaces).isEmpty { kept.removeLast() }
        return kept.isEmpty ? nil : kept.joined(separator: "\n")
    }
}
