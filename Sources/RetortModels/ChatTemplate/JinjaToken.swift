// Tokens produced by JinjaLexer: template text runs, tag delimiters, and the expression tokens
// found inside `{{ … }}` and `{% … %}`.

enum JinjaTokenKind: Sendable, Equatable {
    case text(String)
    case expressionOpen  // {{
    case expressionClose  // }}
    case blockOpen  // {%
    case blockClose  // %}
    case name(String)
    case string(String)
    case integer(Int)
    case float(Double)
    case symbol(String)  // operators and punctuation: + - * / // % ** ~ == != < <= > >= = ( ) [ ] { } , . : |
    case end
}

struct JinjaToken: Sendable {
    let kind: JinjaTokenKind
    let position: JinjaPosition
}

extension JinjaTokenKind {
    /// How the token reads in an error message.
    var display: String {
        switch self {
        case .text: "template text"
        case .expressionOpen: "'{{'"
        case .expressionClose: "'}}'"
        case .blockOpen: "'{%'"
        case .blockClose: "'%}'"
        case .name(let n): "'\(n)'"
        case .string(let s): "string '\(s)'"
        case .integer(let i): "number \(i)"
        case .float(let d): "number \(d)"
        case .symbol(let s): "'\(s)'"
        case .end: "end of template"
        }
    }
}
