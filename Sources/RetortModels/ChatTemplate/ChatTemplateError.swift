// The one error type of the chat-template interpreter: every failure (bad syntax, a construct the
// interpreter does not implement, a runtime type error, or the template's own raise_exception) is a
// case here carrying a 1-based line and column into the template source.

/// A position in template source, 1-based.
public struct JinjaPosition: Sendable, Hashable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

public enum ChatTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The template text is malformed (unclosed tag, unexpected token, missing `endfor`, …).
    case syntax(message: String, at: JinjaPosition)
    /// Valid Jinja that this interpreter does not implement (a filter, test, statement or method).
    case unsupported(construct: String, at: JinjaPosition)
    /// Evaluation failed: wrong operand types, undefined attribute access, division by zero, ….
    case runtime(message: String, at: JinjaPosition)
    /// The template called `raise_exception(message)`.
    case raised(message: String, at: JinjaPosition)

    public var position: JinjaPosition {
        switch self {
        case .syntax(_, let p), .unsupported(_, let p), .runtime(_, let p), .raised(_, let p): p
        }
    }

    public var description: String {
        switch self {
        case .syntax(let m, let p): "chat template syntax error at \(p): \(m)"
        case .unsupported(let c, let p): "chat template uses unsupported \(c) at \(p)"
        case .runtime(let m, let p): "chat template error at \(p): \(m)"
        case .raised(let m, let p): "chat template raised at \(p): \(m)"
        }
    }
}
