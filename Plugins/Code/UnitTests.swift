// The unit tests in a teacher's answer (the `unit-tests` parser, and where the filters look for
// tests): every top-level `assert`, also those inside pytest-style `def test_…():` functions, and
// unittest's self.assertEqual/True/False calls rewritten as asserts. Imports of a few standard
// modules are kept; imports of the solution's own module are not (the sandbox has none), and
// asserts that check nothing (`assert True`, `assert 1 == 1`, no call at all) are dropped.
import Foundation
import RetortPluginSDK

enum UnitTests {
    static let allowedImports: Set<String> = [
        "math", "re", "string", "collections", "itertools", "functools", "fractions", "decimal", "statistics", "datetime",
    ]

    static func parse(_ output: String) throws -> [JSONValue] {
        guard !output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw PluginFailure.parse("the teacher output is empty") }
        let found = statements(output)
        guard found.asserts.contains(where: { $0.hasPrefix("assert") }) else {
            throw PluginFailure.parse(found.trivial > 0
                ? "every assert checks nothing (\(found.trivial) like `assert True` or without a function call)"
                : "no assert statements in the output (write each test as `assert f(...) == expected`)")
        }
        let tests = (found.imports + found.asserts).joined(separator: "\n")
        return [["response": .string(tests), "tests": .string(tests), "count": .number(Double(found.asserts.filter { $0.hasPrefix("assert") }.count))]]
    }

    /// The test text for the sandbox: imports, then asserts.
    static func extract(_ text: String) -> String? {
        let found = statements(text)
        return found.asserts.contains(where: { $0.hasPrefix("assert") }) ? (found.imports + found.asserts).joined(separator: "\n") : nil
    }

    static func statements(_ text: String) -> (imports: [String], asserts: [String], trivial: Int) {
        let blocks = PythonCode.fencedBlocks(text).filter { ["", "python", "py", "python3", "py3"].contains($0.language) }
        let source = blocks.isEmpty ? text : blocks.map(\.text).joined(separator: "\n")
        var imports: [String] = []
        var asserts: [String] = []
        var trivial = 0
        var inTestFunction = false
        for statement in logicalLines(source) {
            let line = statement.trimmingCharacters(in: .whitespaces)
            let indented = statement.first?.isWhitespace == true
            if !indented, !line.isEmpty { inTestFunction = line.prefixMatch(of: /def\s+test\w*\s*\(/) != nil }
            // A pytest function's own variables: `result = f(2)` before `assert result == 4`.
            if inTestFunction, indented, line.wholeMatch(of: /[A-Za-z_]\w*\s*=[^=].*/) != nil {
                asserts.append(line)
                continue
            }
            if let module = line.wholeMatch(of: /import\s+([a-z_]+)/)?.output.1 ?? line.prefixMatch(of: /from\s+([a-z_]+)\s+import\s/)?.output.1 {
                if allowedImports.contains(String(module)), !imports.contains(line) { imports.append(line) }
                continue
            }
            guard let test = assertion(line) else { continue }
            if isTrivial(test) { trivial += 1 } else if !asserts.contains(test) { asserts.append(test) }
        }
        return (imports, asserts, trivial)
    }

    /// `line` as an assert statement, if it is one (unittest's assertions rewritten).
    static func assertion(_ line: String) -> String? {
        if line.hasPrefix("assert ") || line.hasPrefix("assert(") { return line }
        guard let match = line.wholeMatch(of: /self\.(assertEqual|assertEquals|assertTrue|assertFalse|assertIs|assertIsNone)\((.*)\)\s*/) else {
            return nil
        }
        let arguments = splitArguments(String(match.output.2))
        switch match.output.1 {
        case "assertEqual", "assertEquals": return arguments.count >= 2 ? "assert \(arguments[0]) == \(arguments[1])" : nil
        case "assertIs": return arguments.count >= 2 ? "assert \(arguments[0]) is \(arguments[1])" : nil
        case "assertTrue": return arguments.first.map { "assert \($0)" }
        case "assertFalse": return arguments.first.map { "assert not (\($0))" }
        default: return arguments.first.map { "assert \($0) is None" }
        }
    }

    /// An assert that cannot fail: both sides the same, or nothing but literals (`assert True`,
    /// `assert 3 == 3`); one that names anything may fail and is a test.
    static func isTrivial(_ test: String) -> Bool {
        let body = test.dropFirst("assert".count).trimmingCharacters(in: .whitespaces)
        if let sides = body.wholeMatch(of: /(.+?)\s*==\s*(.+)/), sides.output.1 == sides.output.2 { return true }
        let withoutStrings = body.replacing(/"[^"]*"|'[^']*'/, with: "")
        let keywords: Set<Substring> = ["True", "False", "None", "and", "or", "not", "in", "is"]
        return !withoutStrings.matches(of: /[A-Za-z_]\w*/).contains { !keywords.contains($0.output) }
    }

    /// Physical lines joined while brackets are open, so a multi-line assert is one statement.
    static func logicalLines(_ source: String) -> [String] {
        var result: [String] = []
        var pending = ""
        var depth = 0
        for line in source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            pending += pending.isEmpty ? String(line) : " " + line.trimmingCharacters(in: .whitespaces)
            depth = max(0, depth + bracketBalance(String(line)))
            if depth == 0 {
                result.append(pending)
                pending = ""
            }
        }
        if !pending.isEmpty { result.append(pending) }
        return result
    }

    /// Opening minus closing brackets outside string literals.
    static func bracketBalance(_ line: String) -> Int {
        var balance = 0
        var quote: Character?
        var escaped = false
        for c in line {
            if let q = quote {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q { quote = nil }
                continue
            }
            switch c {
            case "\"", "'": quote = c
            case "#": return balance
            case "(", "[", "{": balance += 1
            case ")", "]", "}": balance -= 1
            default: break
            }
        }
        return balance
    }

    /// Splits "f(1, 2), [3, 4], msg" at its top-level commas.
    static func splitArguments(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        for c in text {
            if let q = quote {
                current.append(c)
                if c == q { quote = nil }
                continue
            }
            switch c {
            case "\"", "'": quote = c
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth -= 1
            case "," where depth == 0:
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            default: break
            }
            current.append(c)
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { parts.append(current.trimmingCharacters(in: .whitespaces)) }
        return parts
    }
}
