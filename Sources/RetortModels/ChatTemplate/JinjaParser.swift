// Recursive-descent parser from tokens to JinjaNode trees. Statements: if/elif/else, for (with
// `if` filter and else), set (plain, namespace attribute, tuple, block), macro, break, continue,
// generation. Expressions follow Jinja's precedence: conditional < or < and < not < comparison
// < + - < ~ < * / // % < ** < unary, with filters and `is` tests binding to the unary operand.
// Nesting is bounded (JinjaLimits.nesting) so no template can exhaust the stack here or in the renderer.

struct JinjaParser {
    private let tokens: [JinjaToken]
    private var k = 0
    /// Blocks and expression levels open at the current token; see `deepen`.
    private var depth = 0

    static func parse(_ source: String) throws(ChatTemplateError) -> [JinjaNode] {
        var parser = JinjaParser(tokens: try JinjaLexer.tokenize(source))
        let (nodes, end) = try parser.parseBody(until: [])
        if let end { throw .syntax(message: "unexpected '\(end.name)'", at: end.position) }
        return nodes
    }

    private init(tokens: [JinjaToken]) { self.tokens = tokens }

    private var current: JinjaToken { tokens[k] }

    private mutating func advance() -> JinjaToken {
        let t = tokens[k]
        if k < tokens.count - 1 { k += 1 }
        return t
    }

    private func unexpected(_ expected: String) -> ChatTemplateError {
        .syntax(message: "expected \(expected), found \(current.kind.display)", at: current.position)
    }

    private mutating func expect(_ kind: JinjaTokenKind, _ what: String) throws(ChatTemplateError) {
        guard current.kind == kind else { throw unexpected(what) }
        _ = advance()
    }

    private mutating func expectSymbol(_ s: String) throws(ChatTemplateError) {
        try expect(.symbol(s), "'\(s)'")
    }

    private mutating func expectName() throws(ChatTemplateError) -> String {
        guard case .name(let n) = current.kind else { throw unexpected("a name") }
        _ = advance()
        return n
    }

    /// Counts one more level of nesting. Callers save `depth` first and restore it when their
    /// construct ends; a chain like `a + b + c` counts a level per operator, as it nests in the tree.
    private mutating func deepen() throws(ChatTemplateError) {
        depth += 1
        guard depth <= JinjaLimits.nesting else {
            throw .syntax(message: "blocks and expressions nest deeper than \(JinjaLimits.nesting) levels",
                          at: current.position)
        }
    }

    /// An expression that stands alone in a tag, checked to be at most `JinjaLimits.nesting` deep
    /// (the renderer evaluates it recursively).
    /// `for` takes an `or`-level expression (its `if` is the loop filter, not a conditional).
    private mutating func parseTagExpression(orLevel: Bool = false) throws(ChatTemplateError) -> JinjaExpr {
        let position = current.position
        let e = orLevel ? try parseOr() : try parseExpression()
        guard e.fitsDepth(JinjaLimits.nesting) else {
            throw .syntax(message: "expression nests deeper than \(JinjaLimits.nesting) levels", at: position)
        }
        return e
    }

    private func isSymbol(_ s: String) -> Bool { current.kind == .symbol(s) }
    private func isName(_ n: String) -> Bool { current.kind == .name(n) }

    private mutating func skipSymbol(_ s: String) -> Bool {
        guard isSymbol(s) else { return false }
        _ = advance()
        return true
    }

    private mutating func skipName(_ n: String) -> Bool {
        guard isName(n) else { return false }
        _ = advance()
        return true
    }

    // MARK: Statements

    /// Parses nodes until a block whose keyword is in `terminators` (returned, its `%}` not consumed)
    /// or the end of input (nil).
    private mutating func parseBody(until terminators: Set<String>) throws(ChatTemplateError)
        -> ([JinjaNode], (name: String, position: JinjaPosition)?)
    {
        var nodes: [JinjaNode] = []
        while true {
            let token = advance()
            switch token.kind {
            case .end:
                return (nodes, nil)
            case .text(let t):
                nodes.append(.text(t))
            case .expressionOpen:
                let e = try parseTagExpression()
                try expect(.expressionClose, "'}}'")
                nodes.append(.output(e))
            case .blockOpen:
                guard case .name(let keyword) = current.kind else { throw unexpected("a statement keyword") }
                let position = current.position
                if terminators.contains(keyword) {
                    _ = advance()
                    return (nodes, (keyword, position))
                }
                _ = advance()
                nodes.append(try parseStatement(keyword, at: position))
            default:
                throw .syntax(message: "unexpected \(token.kind.display)", at: token.position)
            }
        }
    }

    private mutating func parseStatement(_ keyword: String, at position: JinjaPosition) throws(ChatTemplateError)
        -> JinjaNode
    {
        let base = depth
        defer { depth = base }
        try deepen()
        switch keyword {
        case "if": return try parseIf(at: position)
        case "for": return try parseFor(at: position)
        case "set": return try parseSet(at: position)
        case "macro": return try parseMacro(at: position)
        case "break":
            try expect(.blockClose, "'%}'")
            return .loopBreak(position)
        case "continue":
            try expect(.blockClose, "'%}'")
            return .loopContinue(position)
        case "generation":
            try expect(.blockClose, "'%}'")
            let body = try parseBlockBody(closing: "endgeneration", opener: "generation", at: position)
            return .generation(body)
        case "endif", "endfor", "endset", "endmacro", "elif", "else", "endgeneration":
            throw .syntax(message: "unexpected '\(keyword)'", at: position)
        default:
            throw .unsupported(construct: "statement '\(keyword)'", at: position)
        }
    }

    /// Parses a body that must end with `{% closing %}`.
    private mutating func parseBlockBody(closing: String, opener: String, at position: JinjaPosition)
        throws(ChatTemplateError) -> [JinjaNode]
    {
        let (body, end) = try parseBody(until: [closing])
        guard end != nil else {
            throw .syntax(message: "unclosed '\(opener)' block: missing '\(closing)'", at: position)
        }
        try expect(.blockClose, "'%}'")
        return body
    }

    private mutating func parseIf(at position: JinjaPosition) throws(ChatTemplateError) -> JinjaNode {
        var branches: [JinjaConditionalBranch] = []
        var condition = try parseTagExpression()
        while true {
            try expect(.blockClose, "'%}'")
            let (body, end) = try parseBody(until: ["elif", "else", "endif"])
            branches.append(JinjaConditionalBranch(condition: condition, body: body))
            guard let end else {
                throw .syntax(message: "unclosed 'if' block: missing 'endif'", at: position)
            }
            switch end.name {
            case "elif":
                condition = try parseTagExpression()
            case "else":
                try expect(.blockClose, "'%}'")
                let elseBody = try parseBlockBody(closing: "endif", opener: "if", at: position)
                return .conditional(branches, elseBody: elseBody)
            default:
                try expect(.blockClose, "'%}'")
                return .conditional(branches, elseBody: [])
            }
        }
    }

    private mutating func parseFor(at position: JinjaPosition) throws(ChatTemplateError) -> JinjaNode {
        var names = [try expectName()]
        while skipSymbol(",") { names.append(try expectName()) }
        let target: JinjaTarget = names.count == 1 ? .name(names[0]) : .tuple(names)
        guard skipName("in") else { throw unexpected("'in'") }
        let iterable = try parseTagExpression(orLevel: true)
        var filter: JinjaExpr?
        if skipName("if") { filter = try parseTagExpression(orLevel: true) }
        if isName("recursive") { throw .unsupported(construct: "recursive for loop", at: current.position) }
        try expect(.blockClose, "'%}'")
        let (body, end) = try parseBody(until: ["else", "endfor"])
        guard let end else { throw .syntax(message: "unclosed 'for' block: missing 'endfor'", at: position) }
        try expect(.blockClose, "'%}'")
        var elseBody: [JinjaNode] = []
        if end.name == "else" { elseBody = try parseBlockBody(closing: "endfor", opener: "for", at: position) }
        return .forLoop(
            JinjaForLoop(target: target, iterable: iterable, filter: filter, body: body, elseBody: elseBody,
                         position: position))
    }

    private mutating func parseSet(at position: JinjaPosition) throws(ChatTemplateError) -> JinjaNode {
        let first = try expectName()
        var target: JinjaTarget = .name(first)
        if skipSymbol(".") {
            target = .attribute(object: first, attribute: try expectName())
        } else if isSymbol(",") {
            var names = [first]
            while skipSymbol(",") { names.append(try expectName()) }
            target = .tuple(names)
        }
        if current.kind == .blockClose, case .name(let name) = target {
            _ = advance()
            let body = try parseBlockBody(closing: "endset", opener: "set", at: position)
            return .setBlock(name, body)
        }
        try expectSymbol("=")
        var value = try parseTagExpression()
        if isSymbol(",") {
            var items = [value]
            while skipSymbol(",") { items.append(try parseTagExpression()) }
            value = .list(items, value.position)
        }
        try expect(.blockClose, "'%}'")
        return .set(target, value, position)
    }

    private mutating func parseMacro(at position: JinjaPosition) throws(ChatTemplateError) -> JinjaNode {
        let name = try expectName()
        try expectSymbol("(")
        var parameters: [JinjaMacroParameter] = []
        while !isSymbol(")") {
            let p = try expectName()
            var d: JinjaExpr?
            if skipSymbol("=") { d = try parseTagExpression() }
            parameters.append(JinjaMacroParameter(name: p, defaultValue: d))
            if !skipSymbol(",") { break }
        }
        try expectSymbol(")")
        try expect(.blockClose, "'%}'")
        let body = try parseBlockBody(closing: "endmacro", opener: "macro", at: position)
        return .macro(JinjaMacroDefinition(name: name, parameters: parameters, body: body))
    }

    // MARK: Expressions

    mutating func parseExpression() throws(ChatTemplateError) -> JinjaExpr {
        let position = current.position
        let value = try parseOr()
        guard skipName("if") else { return value }
        let base = depth
        defer { depth = base }
        try deepen()
        let condition = try parseOr()
        var otherwise: JinjaExpr?
        if skipName("else") { otherwise = try parseExpression() }
        return .conditional(then: value, condition: condition, otherwise: otherwise, position)
    }

    private mutating func parseOr() throws(ChatTemplateError) -> JinjaExpr {
        let base = depth
        defer { depth = base }
        var left = try parseAnd()
        while isName("or") {
            try deepen()
            let p = advance().position
            left = .binary("or", left, try parseAnd(), p)
        }
        return left
    }

    private mutating func parseAnd() throws(ChatTemplateError) -> JinjaExpr {
        let base = depth
        defer { depth = base }
        var left = try parseNot()
        while isName("and") {
            try deepen()
            let p = advance().position
            left = .binary("and", left, try parseNot(), p)
        }
        return left
    }

    private mutating func parseNot() throws(ChatTemplateError) -> JinjaExpr {
        if isName("not") {
            let p = advance().position
            let base = depth
            defer { depth = base }
            try deepen()
            return .unary("not", try parseNot(), p)
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(ChatTemplateError) -> JinjaExpr {
        let base = depth
        defer { depth = base }
        var left = try parseAdditive()
        while true {
            let p = current.position
            if case .symbol(let s) = current.kind, ["==", "!=", "<", "<=", ">", ">="].contains(s) {
                try deepen()
                _ = advance()
                left = .binary(s, left, try parseAdditive(), p)
            } else if isName("in") {
                try deepen()
                _ = advance()
                left = .binary("in", left, try parseAdditive(), p)
            } else if isName("not"), k + 1 < tokens.count, tokens[k + 1].kind == .name("in") {
                try deepen()
                _ = advance()
                _ = advance()
                left = .binary("not in", left, try parseAdditive(), p)
            } else {
                return left
            }
        }
    }

    private mutating func parseAdditive() throws(ChatTemplateError) -> JinjaExpr {
        let base = depth
        defer { depth = base }
        var left = try parseConcat()
        while isSymbol("+") || isSymbol("-") {
            try deepen()
            let t = advance()
            guard case .symbol(let s) = t.kind else { break }
            left = .binary(s, left, try parseConcat(), t.position)
        }
        return left
    }

    private mutating func parseConcat() throws(ChatTemplateError) -> JinjaExpr {
        let base = depth
        defer { depth = base }
        var left = try parseMultiplicative()
        while isSymbol("~") {
            try deepen()
            let p = advance().position
            left = .binary("~", left, try parseMultiplicative(), p)
        }
        return left
    }

    private mutating func parseMultiplicative() throws(ChatTemplateError) -> JinjaExpr {
        let base = depth
        defer { depth = base }
        var left = try parsePower()
        while isSymbol("*") || isSymbol("/") || isSymbol("//") || isSymbol("%") {
            try deepen()
            let t = advance()
            guard case .symbol(let s) = t.kind else { break }
            left = .binary(s, left, try parsePower(), t.position)
        }
        return left
    }

    private mutating func parsePower() throws(ChatTemplateError) -> JinjaExpr {
        let base = depth
        defer { depth = base }
        var left = try parseUnary(withFilters: true)
        while isSymbol("**") {
            try deepen()
            let p = advance().position
            left = .binary("**", left, try parseUnary(withFilters: true), p)
        }
        return left
    }

    private mutating func parseUnary(withFilters: Bool) throws(ChatTemplateError) -> JinjaExpr {
        var node: JinjaExpr
        let base = depth
        defer { depth = base }
        if isSymbol("-") || isSymbol("+") {
            try deepen()
            let t = advance()
            guard case .symbol(let s) = t.kind else { throw unexpected("an expression") }
            node = .unary(s, try parseUnary(withFilters: false), t.position)
        } else {
            node = try parsePostfix(try parsePrimary())
        }
        return withFilters ? try parseFiltersAndTests(node) : node
    }

    private mutating func parsePrimary() throws(ChatTemplateError) -> JinjaExpr {
        let t = current
        let base = depth
        defer { depth = base }
        if isSymbol("(") || isSymbol("[") || isSymbol("{") { try deepen() }
        switch t.kind {
        case .string(var s):
            _ = advance()
            while case .string(let more) = current.kind {  // adjacent literals concatenate
                s += more
                _ = advance()
            }
            return .literal(.string(s), t.position)
        case .integer(let v):
            _ = advance()
            return .literal(.integer(v), t.position)
        case .float(let v):
            _ = advance()
            return .literal(.float(v), t.position)
        case .name(let n):
            _ = advance()
            switch n {
            case "true", "True": return .literal(.bool(true), t.position)
            case "false", "False": return .literal(.bool(false), t.position)
            case "none", "None": return .literal(.none, t.position)
            default: return .name(n, t.position)
            }
        case .symbol("("):
            _ = advance()
            if skipSymbol(")") { return .list([], t.position) }
            let first = try parseExpression()
            if isSymbol(",") {
                var items = [first]
                while skipSymbol(",") {
                    if isSymbol(")") { break }
                    items.append(try parseExpression())
                }
                try expectSymbol(")")
                return .list(items, t.position)
            }
            try expectSymbol(")")
            return first
        case .symbol("["):
            _ = advance()
            var items: [JinjaExpr] = []
            while !isSymbol("]") {
                items.append(try parseExpression())
                if !skipSymbol(",") { break }
            }
            try expectSymbol("]")
            return .list(items, t.position)
        case .symbol("{"):
            _ = advance()
            var entries: [JinjaDictEntry] = []
            while !isSymbol("}") {
                let key = try parseExpression()
                try expectSymbol(":")
                entries.append(JinjaDictEntry(key: key, value: try parseExpression()))
                if !skipSymbol(",") { break }
            }
            try expectSymbol("}")
            return .dict(entries, t.position)
        default:
            throw unexpected("an expression")
        }
    }

    private mutating func parsePostfix(_ base: JinjaExpr) throws(ChatTemplateError) -> JinjaExpr {
        var node = base
        let start = base.position
        let outer = depth
        defer { depth = outer }
        while true {
            let p = current.position
            if isSymbol(".") || isSymbol("[") || isSymbol("(") { try deepen() }
            if skipSymbol(".") {
                switch current.kind {
                case .name(let n):
                    _ = advance()
                    node = .attribute(node, n, p)
                case .integer(let i):
                    _ = advance()
                    node = .index(node, .literal(.integer(i), p), p)
                default:
                    throw unexpected("an attribute name")
                }
            } else if skipSymbol("[") {
                node = try parseSubscript(node, at: p)
            } else if skipSymbol("(") {
                node = .call(node, try parseCallArguments(), start)
            } else {
                return node
            }
        }
    }

    private mutating func parseSubscript(_ base: JinjaExpr, at p: JinjaPosition) throws(ChatTemplateError) -> JinjaExpr {
        var parts: [JinjaExpr?] = [nil]
        var isSlice = false
        while !isSymbol("]") {
            if skipSymbol(":") {
                isSlice = true
                parts.append(nil)
                guard parts.count <= 3 else { throw unexpected("']'") }
            } else {
                guard parts[parts.count - 1] == nil else { throw unexpected("':' or ']'") }
                parts[parts.count - 1] = try parseExpression()
            }
        }
        try expectSymbol("]")
        if !isSlice {
            guard let index = parts[0] else { throw .syntax(message: "empty subscript", at: p) }
            return .index(base, index, p)
        }
        while parts.count < 3 { parts.append(nil) }
        return .slice(base, start: parts[0], stop: parts[1], step: parts[2], p)
    }

    /// Arguments after '(' up to and including ')'.
    private mutating func parseCallArguments() throws(ChatTemplateError) -> JinjaArguments {
        var args = JinjaArguments()
        while !isSymbol(")") {
            if case .name(let n) = current.kind, k + 1 < tokens.count, tokens[k + 1].kind == .symbol("=") {
                _ = advance()
                _ = advance()
                args.keyword.append(JinjaKeywordArgument(name: n, value: try parseExpression()))
            } else {
                if isSymbol("*") || isSymbol("**") {
                    throw .unsupported(construct: "argument unpacking", at: current.position)
                }
                args.positional.append(try parseExpression())
            }
            if !skipSymbol(",") { break }
        }
        try expectSymbol(")")
        return args
    }

    private mutating func parseFiltersAndTests(_ base: JinjaExpr) throws(ChatTemplateError) -> JinjaExpr {
        var node = base
        let outer = depth
        defer { depth = outer }
        while true {
            if isSymbol("|") || isName("is") { try deepen() }
            if isSymbol("|") {
                _ = advance()
                let p = current.position
                var name = try expectName()
                while isSymbol("."), k + 1 < tokens.count, case .name(let more) = tokens[k + 1].kind {
                    _ = advance()
                    _ = advance()
                    name += "." + more
                }
                guard JinjaFilters.names.contains(name) else {
                    throw .unsupported(construct: "filter '\(name)'", at: p)
                }
                var args = JinjaArguments()
                if skipSymbol("(") { args = try parseCallArguments() }
                node = .filter(node, name, args, p)
            } else if isName("is") {
                _ = advance()
                let negated = skipName("not")
                let p = current.position
                let name: String
                switch current.kind {
                case .name(let n): name = n
                case .symbol(let s) where ["==", "!=", "<", "<=", ">", ">="].contains(s): name = s
                default: throw unexpected("a test name")
                }
                _ = advance()
                guard JinjaTests.names.contains(name) else { throw .unsupported(construct: "test '\(name)'", at: p) }
                var args = JinjaArguments()
                if skipSymbol("(") {
                    args = try parseCallArguments()
                } else if startsBareTestArgument() {
                    args.positional.append(try parsePostfix(try parsePrimary()))
                }
                node = .test(node, name, args, negated: negated, p)
            } else {
                return node
            }
        }
    }

    /// Jinja allows one argument without parentheses: `x is divisibleby 3`, `x is sameas none`.
    private func startsBareTestArgument() -> Bool {
        switch current.kind {
        case .string, .integer, .float: return true
        case .name(let n): return !["and", "or", "if", "else", "in", "not", "is"].contains(n)
        case .symbol(let s): return s == "[" || s == "{"
        default: return false
        }
    }
}
