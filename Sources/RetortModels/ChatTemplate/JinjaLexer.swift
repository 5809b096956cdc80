// Splits template source into tokens, applying Jinja's whitespace control the way Hugging Face
// renders chat templates: `{%-`/`-%}` (and the `{{`, `{#` forms) strip all adjacent whitespace,
// trim_blocks drops the first newline after a block or comment tag, and lstrip_blocks drops spaces
// and tabs between a line start and a block or comment tag. `+` after `{%` / before `%}` disables both.

struct JinjaLexer {
    private let s: [Unicode.Scalar]
    private var i = 0
    private var tokens: [JinjaToken] = []
    /// Line-start offsets, for turning an offset into line:column.
    private let lineStarts: [Int]

    init(source: String) {
        s = Array(source.unicodeScalars)
        var starts = [0]
        for (k, c) in s.enumerated() where c == "\n" { starts.append(k + 1) }
        lineStarts = starts
    }

    static func tokenize(_ source: String) throws(ChatTemplateError) -> [JinjaToken] {
        var lexer = JinjaLexer(source: source)
        try lexer.run()
        return lexer.tokens
    }

    func position(_ offset: Int) -> JinjaPosition {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return JinjaPosition(line: lo + 1, column: offset - lineStarts[lo] + 1)
    }

    private func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace }

    private func at(_ k: Int, _ text: String) -> Bool {
        var k = k
        for c in text.unicodeScalars {
            guard k < s.count, s[k] == c else { return false }
            k += 1
        }
        return true
    }

    private mutating func run() throws(ChatTemplateError) {
        var stripLeading = false  // the previous tag ended with '-'
        var trimNewline = false  // the previous tag was a block/comment under trim_blocks
        while i < s.count {
            // Apply the previous tag's right-hand whitespace control to the text start.
            if stripLeading {
                while i < s.count, isSpace(s[i]) { i += 1 }
            } else if trimNewline {
                if at(i, "\r\n") { i += 2 } else if at(i, "\n") { i += 1 }
            }
            stripLeading = false
            trimNewline = false
            let textStart = i
            // Find the next tag opener.
            var open = i
            while open < s.count, !(s[open] == "{" && open + 1 < s.count && "{%#".unicodeScalars.contains(s[open + 1])) {
                open += 1
            }
            var textEnd = open
            if open < s.count {
                let kind = s[open + 1]
                let modifier: Unicode.Scalar? = open + 2 < s.count ? s[open + 2] : nil
                if modifier == "-" {
                    while textEnd > textStart, isSpace(s[textEnd - 1]) { textEnd -= 1 }
                } else if modifier != "+", kind != "{" {
                    // lstrip_blocks: only whitespace between the line start and the tag.
                    var k = textEnd
                    while k > textStart, s[k - 1] == " " || s[k - 1] == "\t" { k -= 1 }
                    let atLineStart = k == 0 || s[k - 1] == "\n"
                    if atLineStart { textEnd = k }
                }
            }
            if textEnd > textStart {
                var text = String.UnicodeScalarView()
                text.append(contentsOf: s[textStart..<textEnd])
                tokens.append(JinjaToken(kind: .text(String(text)), position: position(textStart)))
            }
            guard open < s.count else { break }
            i = open
            let (strip, trim) = try lexTag()
            stripLeading = strip
            trimNewline = trim
        }
        tokens.append(JinjaToken(kind: .end, position: position(s.count)))
    }

    /// Lexes one tag starting at `i` ("{{", "{%" or "{#"). Returns the right-hand whitespace control.
    private mutating func lexTag() throws(ChatTemplateError) -> (strip: Bool, trim: Bool) {
        let openAt = i
        let kind = s[i + 1]
        i += 2
        if i < s.count, s[i] == "-" || s[i] == "+" { i += 1 }
        if kind == "#" {
            while i < s.count, !at(i, "#}") { i += 1 }
            guard i < s.count else {
                throw .syntax(message: "unclosed comment '{#'", at: position(openAt))
            }
            let modifier = s[i - 1]
            i += 2
            return (modifier == "-", modifier != "+" && modifier != "-")
        }
        let isBlock = kind == "%"
        tokens.append(JinjaToken(kind: isBlock ? .blockOpen : .expressionOpen, position: position(openAt)))
        let closer = isBlock ? "%}" : "}}"
        var depth = 0
        while true {
            while i < s.count, isSpace(s[i]) { i += 1 }
            guard i < s.count else {
                throw .syntax(message: "unclosed tag '\(isBlock ? "{%" : "{{")'", at: position(openAt))
            }
            if depth == 0 {
                for modifier in ["-", "+", ""] where at(i, modifier + closer) {
                    if modifier == "+" && !isBlock { continue }
                    tokens.append(JinjaToken(kind: isBlock ? .blockClose : .expressionClose, position: position(i)))
                    i += modifier.unicodeScalars.count + 2
                    return (modifier == "-", isBlock && modifier == "")
                }
            }
            let start = i
            let c = s[i]
            if c == "'" || c == "\"" {
                let value = try lexString(quote: c)
                tokens.append(JinjaToken(kind: .string(value), position: position(start)))
            } else if c.properties.isAlphabetic || c == "_" {
                while i < s.count, s[i].properties.isAlphabetic || s[i] == "_" || ("0"..."9").contains(s[i]) { i += 1 }
                var name = String.UnicodeScalarView()
                name.append(contentsOf: s[start..<i])
                tokens.append(JinjaToken(kind: .name(String(name)), position: position(start)))
            } else if ("0"..."9").contains(c) {
                tokens.append(JinjaToken(kind: try lexNumber(), position: position(start)))
            } else {
                let symbols = ["//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "=",
                               "(", ")", "[", "]", "{", "}", ",", ".", ":", "|"]
                guard let sym = symbols.first(where: { at(i, $0) }) else {
                    throw .syntax(message: "unexpected character '\(c)'", at: position(start))
                }
                if sym == "(" || sym == "[" || sym == "{" { depth += 1 }
                if sym == ")" || sym == "]" || sym == "}" { depth = max(0, depth - 1) }
                i += sym.unicodeScalars.count
                tokens.append(JinjaToken(kind: .symbol(sym), position: position(start)))
            }
        }
    }

    private mutating func lexString(quote: Unicode.Scalar) throws(ChatTemplateError) -> String {
        let start = i
        i += 1
        var out = String.UnicodeScalarView()
        while i < s.count, s[i] != quote {
            if s[i] == "\\", i + 1 < s.count {
                i += 1
                switch s[i] {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "0": out.append("\u{00}")
                case "\\", "'", "\"": out.append(s[i])
                case "u", "x", "U":
                    let width = s[i] == "x" ? 2 : (s[i] == "u" ? 4 : 8)
                    var hex = ""
                    for k in 0..<width where i + 1 + k < s.count { hex.unicodeScalars.append(s[i + 1 + k]) }
                    guard hex.count == width, let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                        throw .syntax(message: "bad escape in string", at: position(i))
                    }
                    out.append(scalar)
                    i += width
                case "\n": break
                default:
                    out.append("\\")
                    out.append(s[i])
                }
            } else {
                out.append(s[i])
            }
            i += 1
        }
        guard i < s.count else { throw .syntax(message: "unterminated string", at: position(start)) }
        i += 1
        return String(out)
    }

    private mutating func lexNumber() throws(ChatTemplateError) -> JinjaTokenKind {
        let start = i
        func digits() { while i < s.count, ("0"..."9").contains(s[i]) || s[i] == "_" { i += 1 } }
        digits()
        var isFloat = false
        if i + 1 < s.count, s[i] == ".", ("0"..."9").contains(s[i + 1]) {
            isFloat = true
            i += 1
            digits()
        }
        if i < s.count, s[i] == "e" || s[i] == "E" {
            var k = i + 1
            if k < s.count, s[k] == "+" || s[k] == "-" { k += 1 }
            if k < s.count, ("0"..."9").contains(s[k]) {
                isFloat = true
                i = k
                digits()
            }
        }
        var text = ""
        for c in s[start..<i] where c != "_" { text.unicodeScalars.append(c) }
        if !isFloat, let v = Int(text) { return .integer(v) }
        guard let d = Double(text) else { throw .syntax(message: "bad number '\(text)'", at: position(start)) }
        return .float(d)
    }
}
