// The Python code in a teacher's answer (the `python-code` parser): the fenced ```python blocks
// that define something (joined, since teachers split helpers across blocks), else the unfenced
// region that starts at the first `def`/`class`/`import` line and ends at the first line of prose
// (or a stray fence), else the first fenced block. Usage examples in separate blocks are left out.
import Foundation
import RetortPluginSDK

enum PythonCode {
    struct Block {
        var language: String
        var lines: [String]
        var text: String { lines.joined(separator: "\n") }
    }

    static func parse(_ output: String) throws -> [JSONValue] {
        let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw PluginFailure.parse("the teacher output is empty") }
        guard let code = extract(output) else {
            if isRefusal(trimmed) { throw PluginFailure.parse("the teacher refused instead of writing code") }
            throw PluginFailure.parse("no Python code in the output: no ```python block and no line starting with def, class or import")
        }
        let functions = definedFunctions(code)
        guard !functions.isEmpty || code.contains("class ") else {
            throw PluginFailure.parse("the code defines no function (no `def` line), but the task asks for one")
        }
        return [[
            "response": .string("```python\n\(code)\n```"), "code": .string(code), "answer": .string(code),
            "language": "python", "functions": .array(functions.map { .string($0) }),
        ]]
    }

    /// The code, or nil when the output holds none.
    static func extract(_ output: String) -> String? {
        let blocks = fencedBlocks(output).filter { ["", "python", "py", "python3", "py3"].contains($0.language) }
        let defining = blocks.filter { block in block.lines.contains { isDefinition($0) } }
        if !defining.isEmpty { return clean(defining.map(\.text).joined(separator: "\n\n")) }
        // Code before a stray closing fence ("def f(): …\n```\nThis function…") is unfenced code.
        let region = unfencedRegion(output)
        if let region, region.split(whereSeparator: \.isNewline).contains(where: { isDefinition(String($0)) }) { return clean(region) }
        if let first = blocks.first(where: { !$0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
            return clean(first.text)
        }
        return region.map(clean)
    }

    /// ```lang … ``` blocks; an unclosed block (a teacher cut off by the token limit) runs to the end.
    static func fencedBlocks(_ output: String) -> [Block] {
        var blocks: [Block] = []
        var current: Block?
        for line in output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init) {
            let bare = line.trimmingCharacters(in: .whitespaces)
            if bare.hasPrefix("```") {
                if let open = current {
                    blocks.append(open)
                    current = nil
                } else {
                    current = Block(language: bare.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased(), lines: [])
                }
                continue
            }
            current?.lines.append(line)
        }
        if let open = current { blocks.append(open) }
        return blocks
    }

    static func isDefinition(_ line: String) -> Bool {
        line.hasPrefix("def ") || line.hasPrefix("class ") || line.hasPrefix("async def ")
    }

    /// Lines that read as code at the top level of a module.
    static func looksLikeCode(_ line: String) -> Bool {
        line.first?.isWhitespace == true || line.isEmpty
            || line.prefixMatch(of: /(?:(?:def|class|import|from|return|if|elif|else|for|while|try|except|finally|with|async|raise|assert|pass|break|continue|yield|global|nonlocal|del)\b|@|#|print\()/) != nil
            || line.prefixMatch(of: /[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*(?:=|\+=|-=|\*=|\/=|\()/) != nil
    }

    static func unfencedRegion(_ output: String) -> String? {
        let lines = output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        guard let start = lines.firstIndex(where: { $0.prefixMatch(of: /(?:def|class|async def)\s+\w|(?:import|from)\s+\w/) != nil }) else { return nil }
        var region: [String] = []
        for line in lines[start...] {
            guard looksLikeCode(line) else { break }
            region.append(line)
        }
        return region.joined(separator: "\n")
    }

    /// Trailing spaces and blank edges removed; doctest prompts (">>> ") dropped with their output.
    static func clean(_ code: String) -> String {
        var lines = code.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { line in
            var s = String(line)
            while let last = s.last, last == " " || last == "\t" { s.removeLast() }
            return s
        }
        if lines.contains(where: { $0.hasPrefix(">>> ") }) {
            var kept: [String] = []
            var inExample = false
            for line in lines {
                if line.hasPrefix(">>> ") { inExample = true; continue }
                if inExample, !line.isEmpty, !isDefinition(line), line.first?.isWhitespace != true { continue }
                inExample = false
                kept.append(line)
            }
            lines = kept
        }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    static func definedFunctions(_ code: String) -> [String] {
        code.matches(of: /(?m)^(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/).map { String($0.output.1) }
    }

    static func isRefusal(_ text: String) -> Bool {
        let lower = text.lowercased()
        return ["i'm sorry", "i am sorry", "i cannot", "i can't", "as an ai", "i apologize"].contains { lower.hasPrefix($0) }
    }
}
