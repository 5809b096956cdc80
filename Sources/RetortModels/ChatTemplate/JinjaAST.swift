// The parsed form of a chat template: statement nodes and expressions, each expression carrying
// its source position so runtime errors can point at it.

enum JinjaLiteral: Sendable {
    case none, bool(Bool), integer(Int), float(Double), string(String)
}

struct JinjaKeywordArgument: Sendable {
    let name: String
    let value: JinjaExpr
}

struct JinjaArguments: Sendable {
    var positional: [JinjaExpr] = []
    var keyword: [JinjaKeywordArgument] = []
}

struct JinjaDictEntry: Sendable {
    let key: JinjaExpr
    let value: JinjaExpr
}

indirect enum JinjaExpr: Sendable {
    case literal(JinjaLiteral, JinjaPosition)
    case name(String, JinjaPosition)
    case list([JinjaExpr], JinjaPosition)
    case dict([JinjaDictEntry], JinjaPosition)
    case attribute(JinjaExpr, String, JinjaPosition)
    case index(JinjaExpr, JinjaExpr, JinjaPosition)
    case slice(JinjaExpr, start: JinjaExpr?, stop: JinjaExpr?, step: JinjaExpr?, JinjaPosition)
    case call(JinjaExpr, JinjaArguments, JinjaPosition)
    case filter(JinjaExpr, String, JinjaArguments, JinjaPosition)
    case test(JinjaExpr, String, JinjaArguments, negated: Bool, JinjaPosition)
    case unary(String, JinjaExpr, JinjaPosition)
    case binary(String, JinjaExpr, JinjaExpr, JinjaPosition)
    case conditional(then: JinjaExpr, condition: JinjaExpr, otherwise: JinjaExpr?, JinjaPosition)

    var position: JinjaPosition {
        switch self {
        case .literal(_, let p), .name(_, let p), .list(_, let p), .dict(_, let p), .attribute(_, _, let p),
            .index(_, _, let p), .slice(_, _, _, _, let p), .call(_, _, let p), .filter(_, _, _, let p),
            .test(_, _, _, _, let p), .unary(_, _, let p), .binary(_, _, _, let p), .conditional(_, _, _, let p):
            p
        }
    }

    /// Whether the tree is at most `levels` deep; walks no deeper than that, so it is safe on any tree.
    func fitsDepth(_ levels: Int) -> Bool {
        guard levels > 0 else { return false }
        let below = levels - 1
        func fits(_ e: JinjaExpr?) -> Bool { e?.fitsDepth(below) ?? true }
        func fits(_ a: JinjaArguments) -> Bool {
            a.positional.allSatisfy { $0.fitsDepth(below) } && a.keyword.allSatisfy { $0.value.fitsDepth(below) }
        }
        switch self {
        case .literal, .name: return true
        case .list(let items, _): return items.allSatisfy { $0.fitsDepth(below) }
        case .dict(let entries, _): return entries.allSatisfy { fits($0.key) && fits($0.value) }
        case .attribute(let e, _, _), .unary(_, let e, _): return fits(e)
        case .index(let a, let b, _), .binary(_, let a, let b, _): return fits(a) && fits(b)
        case .slice(let e, let start, let stop, let step, _): return fits(e) && fits(start) && fits(stop) && fits(step)
        case .call(let f, let args, _), .filter(let f, _, let args, _), .test(let f, _, let args, _, _):
            return fits(f) && fits(args)
        case .conditional(let then, let condition, let otherwise, _):
            return fits(then) && fits(condition) && fits(otherwise)
        }
    }
}

/// The left-hand side of `set` or the variables of `for`.
enum JinjaTarget: Sendable {
    case name(String)
    case attribute(object: String, attribute: String)  // `set ns.attr = …`
    case tuple([String])
}

struct JinjaConditionalBranch: Sendable {
    let condition: JinjaExpr
    let body: [JinjaNode]
}

struct JinjaForLoop: Sendable {
    let target: JinjaTarget
    let iterable: JinjaExpr
    let filter: JinjaExpr?
    let body: [JinjaNode]
    let elseBody: [JinjaNode]
    let position: JinjaPosition
}

struct JinjaMacroParameter: Sendable {
    let name: String
    let defaultValue: JinjaExpr?
}

struct JinjaMacroDefinition: Sendable {
    let name: String
    let parameters: [JinjaMacroParameter]
    let body: [JinjaNode]
}

indirect enum JinjaNode: Sendable {
    case text(String)
    case output(JinjaExpr)
    case conditional([JinjaConditionalBranch], elseBody: [JinjaNode])
    case forLoop(JinjaForLoop)
    case set(JinjaTarget, JinjaExpr, JinjaPosition)
    case setBlock(String, [JinjaNode])
    case macro(JinjaMacroDefinition)
    case loopBreak(JinjaPosition)
    case loopContinue(JinjaPosition)
    /// transformers' `{% generation %}` marker: rendered as its body.
    case generation([JinjaNode])
}
