// Reads program-of-thought lines into statements and expressions with Python's precedence
// (`**` binds tighter than a unary minus on its left, and is right-associative).
import Foundation

struct ProgramParser {
    static func parse(_ program: String) throws(ProgramError) -> [ProgramStatement] {
        let lines = try ProgramSyntax.logicalLines(program)
        guard !lines.isEmpty else { throw ProgramError(line: 0, message: "the program is empty") }
        let base = lines.map(\.indent).min() ?? 0
        var index = 0
        return try block(lines, &index, indent: base, insideFunction: false)
    }

    /// Statements at exactly `indent`, up to the first line indented less.
    static func block(_ lines: [(line: Int, indent: Int, text: String)], _ index: inout Int, indent: Int,
                      insideFunction: Bool) throws(ProgramError) -> [ProgramStatement] {
        var statements: [ProgramStatement] = []
        while index < lines.count, lines[index].indent >= indent {
            let (line, lineIndent, text) = lines[index]
            guard lineIndent == indent else { throw ProgramError(line: line, message: "unexpected indentation") }
            index += 1
            var tokens = try ProgramSyntax.tokens(text, line: line)
            if case .name("def") = tokens.first {
                guard !insideFunction else { throw ProgramError(line: line, message: "nested functions are not supported") }
                let (name, parameters) = try functionHeader(tokens, line: line)
                guard index < lines.count, lines[index].indent > indent else {
                    throw ProgramError(line: line, message: "function \(name) has no indented body")
                }
                let body = try block(lines, &index, indent: lines[index].indent, insideFunction: true)
                statements.append(.function(name: name, parameters: parameters, body: body, line: line))
                continue
            }
            // A trailing ";" or several statements on a line: only the simple case of one statement.
            if tokens.last == .op(";") { tokens.removeLast() }
            if let statement = try simpleStatement(tokens, line: line, insideFunction: insideFunction) {
                statements.append(statement)
            }
        }
        return statements
    }

    static func functionHeader(_ tokens: [ProgramToken], line: Int) throws(ProgramError) -> (String, [String]) {
        guard tokens.count >= 5, case .name(let name) = tokens[1], tokens[2] == .op("("), tokens.last == .op(":"),
              tokens[tokens.count - 2] == .op(")")
        else { throw ProgramError(line: line, message: "expected \"def name(parameters):\"") }
        var parameters: [String] = []
        for token in tokens[3..<(tokens.count - 2)] {
            switch token {
            case .name(let p): parameters.append(p)
            case .op(","): continue
            default: throw ProgramError(line: line, message: "function parameters must be plain names")
            }
        }
        return (name, parameters)
    }

    static func simpleStatement(_ tokens: [ProgramToken], line: Int, insideFunction: Bool) throws(ProgramError) -> ProgramStatement? {
        guard let first = tokens.first else { return nil }
        if case .name(let word) = first {
            if word == "import" || word == "from" {
                let names = tokens.compactMap { if case .name(let n) = $0 { n } else { nil } }
                guard names.count >= 2, names[1] == "math" else {
                    throw ProgramError(line: line, message: "only `import math` is allowed, not \"\(names.dropFirst().first ?? "")\"")
                }
                return nil
            }
            if ProgramSyntax.keywordsRefused.contains(word) {
                throw ProgramError(line: line, message: "`\(word)` is not supported; a program of thought here is straight-line arithmetic")
            }
            if word == "pass" { return nil }
            if word == "return" {
                guard insideFunction else { throw ProgramError(line: line, message: "`return` outside a function") }
                return .return(try expression(Array(tokens.dropFirst()), line: line), line: line)
            }
            if word == "print", tokens.count >= 3, tokens[1] == .op("("), tokens.last == .op(")") {
                let arguments = try splitArguments(Array(tokens[2..<(tokens.count - 1)]), line: line)
                    .filter { !isKeywordArgument($0) }
                return .print(try arguments.map { (tokens) throws(ProgramError) in try expression(tokens, line: line) }, line: line)
            }
            if tokens.count >= 3, case .op(let op) = tokens[1], ["=", "+=", "-=", "*=", "/=", "//=", "%=", "**="].contains(op) {
                let value = try expression(Array(tokens.dropFirst(2)), line: line)
                return .assign(name: word, operator: op == "=" ? nil : String(op.dropLast()), value: value, line: line)
            }
        }
        if tokens.contains(.op("=")) {
            throw ProgramError(line: line, message: "only a plain name can be assigned (no tuples, indexes or attributes)")
        }
        if case .string = first, tokens.count == 1 { return nil }  // a docstring-like literal
        return .expression(try expression(tokens, line: line), line: line)
    }

    /// `sep=""`, `end="\n"` in print calls are formatting, not values.
    static func isKeywordArgument(_ tokens: [ProgramToken]) -> Bool {
        tokens.count >= 2 && tokens[1] == .op("=")
    }

    static func splitArguments(_ tokens: [ProgramToken], line: Int) throws(ProgramError) -> [[ProgramToken]] {
        guard !tokens.isEmpty else { return [] }
        var result: [[ProgramToken]] = [[]]
        var depth = 0
        for token in tokens {
            if token == .op("(") { depth += 1 }
            if token == .op(")") { depth -= 1 }
            if token == .op(","), depth == 0 { result.append([]); continue }
            result[result.count - 1].append(token)
        }
        if result.last?.isEmpty == true { result.removeLast() }  // a trailing comma
        return result
    }

    static func expression(_ tokens: [ProgramToken], line: Int) throws(ProgramError) -> ProgramExpression {
        var reader = ExpressionReader(tokens: tokens, line: line)
        let value = try reader.additive(depth: 0)
        guard reader.position == tokens.count else {
            throw ProgramError(line: line, message: "unexpected \(ExpressionReader.describe(tokens[reader.position])) in the expression")
        }
        return value
    }
}

/// A recursive-descent reader over one line's tokens.
struct ExpressionReader {
    let tokens: [ProgramToken]
    let line: Int
    var position = 0

    init(tokens: [ProgramToken], line: Int) {
        self.tokens = tokens
        self.line = line
    }

    var next: ProgramToken? { position < tokens.count ? tokens[position] : nil }

    static func describe(_ token: ProgramToken) -> String {
        switch token {
        case .number(let n): "number \(n)"
        case .name(let n): "name \"\(n)\""
        case .op(let o): "\"\(o)\""
        case .string, .fstring: "string"
        }
    }

    func failure(_ message: String) -> ProgramError { ProgramError(line: line, message: message) }

    mutating func additive(depth: Int) throws(ProgramError) -> ProgramExpression {
        guard depth < ProgramSyntax.maximumNesting else { throw failure("the expression is nested too deeply") }
        var left = try multiplicative(depth: depth)
        while case .op(let op) = next, op == "+" || op == "-" {
            position += 1
            left = .binary(op, left, try multiplicative(depth: depth))
        }
        return left
    }

    mutating func multiplicative(depth: Int) throws(ProgramError) -> ProgramExpression {
        var left = try unary(depth: depth)
        while case .op(let op) = next, ["*", "/", "//", "%"].contains(op) {
            position += 1
            left = .binary(op, left, try unary(depth: depth))
        }
        return left
    }

    mutating func unary(depth: Int) throws(ProgramError) -> ProgramExpression {
        guard depth < ProgramSyntax.maximumNesting else { throw failure("the expression is nested too deeply") }
        if case .op(let op) = next, op == "-" || op == "+" {
            position += 1
            let operand = try unary(depth: depth + 1)
            return op == "-" ? .negate(operand) : operand
        }
        return try power(depth: depth)
    }

    mutating func power(depth: Int) throws(ProgramError) -> ProgramExpression {
        let base = try primary(depth: depth)
        if next == .op("**") {
            position += 1
            return .binary("**", base, try unary(depth: depth + 1))
        }
        return base
    }

    mutating func primary(depth: Int) throws(ProgramError) -> ProgramExpression {
        guard let token = next else { throw failure("the expression ends too early") }
        position += 1
        switch token {
        case .number(let text):
            if let n = Int(text) { return .integer(n) }
            if let x = Double(text), x.isFinite { return .real(x) }
            throw failure("\"\(text)\" is not a number this program can use")
        case .string(let s): return .text(s)
        case .fstring(let s): return .formatted(try formattedPieces(s, depth: depth))
        case .op("("):
            let inner = try additive(depth: depth + 1)
            guard next == .op(")") else { throw failure("expected \")\"") }
            position += 1
            return inner
        case .name(var name):
            while next == .op("."), position + 1 < tokens.count, case .name(let attribute) = tokens[position + 1] {
                name += "." + attribute
                position += 2
            }
            guard next == .op("(") else { return .name(name) }
            position += 1
            var arguments: [ProgramExpression] = []
            while next != .op(")") {
                arguments.append(try additive(depth: depth + 1))
                if next == .op(",") { position += 1 } else { break }
            }
            guard next == .op(")") else { throw failure("expected \")\" after the arguments of \(name)") }
            position += 1
            return .call(name, arguments)
        case .op(let op): throw failure("unexpected \"\(op)\"")
        }
    }

    /// `f"Total: {a + b:.2f} dollars"` → literal and value pieces.
    func formattedPieces(_ text: String, depth: Int) throws(ProgramError) -> [FormattedPiece] {
        var pieces: [FormattedPiece] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            pieces.append(.literal(String(rest[..<open])))
            guard let close = rest[open...].firstIndex(of: "}") else { throw failure("an f-string brace is never closed") }
            let inside = rest[rest.index(after: open)..<close]
            let colon = inside.lastIndex(of: ":")
            let source = colon.map { String(inside[..<$0]) } ?? String(inside)
            let spec = colon.map { String(inside[inside.index(after: $0)...]) } ?? ""
            var reader = ExpressionReader(tokens: try ProgramSyntax.tokens(source, line: line), line: line)
            let value = try reader.additive(depth: depth + 1)
            guard reader.position == reader.tokens.count else { throw failure("unexpected text in an f-string value") }
            pieces.append(.value(value, spec: spec))
            rest = rest[rest.index(after: close)...]
        }
        pieces.append(.literal(String(rest)))
        return pieces
    }
}
