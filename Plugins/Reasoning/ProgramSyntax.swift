// The syntax of program-of-thought programs: the straight-line subset of Python that word-problem
// programs use (Chen et al. 2022, "Program of Thoughts"; Gao et al. 2023, PAL) — assignments,
// arithmetic, print, `import math`, and functions without branches or loops. Anything else is a
// parse error naming the line, so a teacher's program is never handed to a real interpreter.
import Foundation

struct ProgramError: Error, Equatable {
    let line: Int
    let message: String
    var description: String { line > 0 ? "line \(line): \(message)" : message }
}

indirect enum ProgramExpression {
    case integer(Int)
    case real(Double)
    case name(String)
    case text(String)
    /// An f-string: literal pieces and `{expression:spec}` pieces.
    case formatted([FormattedPiece])
    case negate(ProgramExpression)
    case binary(String, ProgramExpression, ProgramExpression)
    case call(String, [ProgramExpression])
}

enum FormattedPiece {
    case literal(String)
    case value(ProgramExpression, spec: String)
}

indirect enum ProgramStatement {
    /// `name = value`, or `name op= value` when `operator` is set.
    case assign(name: String, operator: String?, value: ProgramExpression, line: Int)
    case print([ProgramExpression], line: Int)
    case `return`(ProgramExpression, line: Int)
    case expression(ProgramExpression, line: Int)
    case function(name: String, parameters: [String], body: [ProgramStatement], line: Int)
}

enum ProgramToken: Equatable {
    case number(String)
    case name(String)
    case op(String)
    case string(String)
    case fstring(String)
}

enum ProgramSyntax {
    static let maximumCharacters = 4_000
    static let maximumNesting = 40
    static let keywordsRefused = ["if", "elif", "else", "for", "while", "with", "try", "except", "finally", "class", "lambda",
                                  "global", "nonlocal", "del", "assert", "raise", "yield", "async", "await", "exec", "eval"]

    /// Splits a program into logical lines (joined across open parentheses), without comments and
    /// docstrings, each with its 1-based line number and indentation.
    static func logicalLines(_ program: String) throws(ProgramError) -> [(line: Int, indent: Int, text: String)] {
        guard program.count <= maximumCharacters else {
            throw ProgramError(line: 0, message: "the program has \(program.count) characters, more than \(maximumCharacters)")
        }
        var result: [(Int, Int, String)] = []
        var pending: (line: Int, indent: Int, text: String)?
        var docstring: String?
        for (index, raw) in program.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let physical = String(raw).replacingOccurrences(of: "\t", with: "    ")
            let stripped = physical.trimmingCharacters(in: .whitespaces)
            if let quote = docstring {
                if stripped.contains(quote) { docstring = nil }
                continue
            }
            if pending == nil, let quote = ["\"\"\"", "'''"].first(where: { stripped.hasPrefix($0) }) {
                if stripped.dropFirst(3).contains(quote) == false { docstring = quote }
                continue
            }
            let code = withoutComment(physical)
            if pending == nil, code.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let indent = physical.prefix(while: { $0 == " " }).count
            var current = pending ?? (index + 1, indent, "")
            current.text += (current.text.isEmpty ? "" : " ") + code.trimmingCharacters(in: .whitespaces)
            if openBrackets(current.text) > 0 {
                pending = current
            } else {
                pending = nil
                result.append(current)
            }
        }
        if let pending { throw ProgramError(line: pending.line, message: "a parenthesis is never closed") }
        if docstring != nil { throw ProgramError(line: 0, message: "a docstring is never closed") }
        return result
    }

    /// The line without a `#` comment (a `#` inside quotes stays).
    static func withoutComment(_ line: String) -> String {
        var quote: Character?
        for index in line.indices {
            let c = line[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" {
                return String(line[..<index])
            }
        }
        return line
    }

    static func openBrackets(_ text: String) -> Int {
        var depth = 0
        var quote: Character?
        for c in text {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if "([{".contains(c) {
                depth += 1
            } else if ")]}".contains(c) {
                depth -= 1
            }
        }
        return depth
    }

    // MARK: Tokens

    static func tokens(_ text: String, line: Int) throws(ProgramError) -> [ProgramToken] {
        var tokens: [ProgramToken] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " { i += 1; continue }
            if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
                var j = i
                while j < chars.count, chars[j].isNumber || chars[j] == "." || chars[j] == "_"
                    || ((chars[j] == "e" || chars[j] == "E") && j + 1 < chars.count && (chars[j + 1].isNumber || chars[j + 1] == "-" || chars[j + 1] == "+"))
                    || ((chars[j] == "-" || chars[j] == "+") && j > i && (chars[j - 1] == "e" || chars[j - 1] == "E")) {
                    j += 1
                }
                tokens.append(.number(String(chars[i..<j]).replacingOccurrences(of: "_", with: "")))
                i = j
                continue
            }
            if c.isLetter || c == "_" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
                let word = String(chars[i..<j])
                if (word == "f" || word == "F" || word == "r" || word == "rf" || word == "fr"), j < chars.count, chars[j] == "\"" || chars[j] == "'" {
                    let (content, end) = try quoted(chars, from: j, line: line)
                    tokens.append(word.lowercased().contains("f") ? .fstring(content) : .string(content))
                    i = end
                    continue
                }
                guard word.allSatisfy(\.isASCII) else {
                    throw ProgramError(line: line, message: "the name \"\(word)\" is not plain ASCII")
                }
                tokens.append(.name(word))
                i = j
                continue
            }
            if c == "\"" || c == "'" {
                let (content, end) = try quoted(chars, from: i, line: line)
                tokens.append(.string(content))
                i = end
                continue
            }
            let three = i + 2 < chars.count ? String(chars[i...i + 2]) : ""
            let two = i + 1 < chars.count ? String(chars[i...i + 1]) : ""
            if ["**=", "//="].contains(three) {
                tokens.append(.op(three)); i += 3
            } else if ["**", "//", "+=", "-=", "*=", "/=", "%=", "==", "!=", "<=", ">="].contains(two) {
                tokens.append(.op(two)); i += 2
            } else if "+-*/%()=,.:;<>[]".contains(c) {
                tokens.append(.op(String(c))); i += 1
            } else if c == "×" || c == "÷" || c == "−" {
                tokens.append(.op(c == "×" ? "*" : c == "÷" ? "/" : "-")); i += 1
            } else {
                throw ProgramError(line: line, message: "unexpected character \"\(c)\"")
            }
        }
        return tokens
    }

    static func quoted(_ chars: [Character], from start: Int, line: Int) throws(ProgramError) -> (String, Int) {
        let quote = chars[start]
        var j = start + 1
        var content = ""
        while j < chars.count, chars[j] != quote {
            if chars[j] == "\\", j + 1 < chars.count { content.append(chars[j + 1]); j += 2; continue }
            content.append(chars[j])
            j += 1
        }
        guard j < chars.count else { throw ProgramError(line: line, message: "a string is never closed") }
        return (content, j + 1)
    }
}
