// Executes parsed template nodes against a variable scope stack and collects the output.
// Scoping follows Jinja: a for loop opens a scope (so `set` inside it does not leak), `if` does
// not, a macro call sees the template's top-level scope plus its parameters, and a namespace
// object is the one thing a loop body can write through. Loop iterations, macro nesting and output
// size are bounded (JinjaLimits), so a hostile template ends with an error instead of hanging.

enum JinjaFlow {
    case normal, breakLoop, continueLoop
}

final class JinjaRenderer {
    private var scopes: [[String: JinjaValue]]
    private var loopIterations = 0
    private var macroDepth = 0

    init(globals: [String: JinjaValue]) {
        scopes = [globals]
    }

    func render(_ nodes: [JinjaNode]) throws(ChatTemplateError) -> String {
        var out = ""
        _ = try execute(nodes, into: &out)
        return out
    }

    // MARK: Variables

    func lookup(_ name: String) -> JinjaValue {
        for scope in scopes.reversed() {
            if let v = scope[name] { return v }
        }
        return .undefined(name)
    }

    private func assign(_ name: String, _ value: JinjaValue) {
        scopes[scopes.count - 1][name] = value
    }

    private func bind(_ target: JinjaTarget, _ value: JinjaValue, at position: JinjaPosition) throws(ChatTemplateError) {
        switch target {
        case .name(let n):
            assign(n, value)
        case .attribute(let object, let attribute):
            guard case .namespace(let ns) = lookup(object) else {
                throw .runtime(message: "cannot assign attribute '\(attribute)' on '\(object)', which is not a namespace",
                               at: position)
            }
            ns.attributes[attribute] = value
        case .tuple(let names):
            let items = try iterate(value, at: position)
            guard items.count == names.count else {
                throw .runtime(message: "cannot unpack \(items.count) values into \(names.count) names", at: position)
            }
            for (n, v) in zip(names, items) { assign(n, v) }
        }
    }

    // MARK: Statements

    private func execute(_ nodes: [JinjaNode], into out: inout String) throws(ChatTemplateError) -> JinjaFlow {
        for node in nodes {
            switch node {
            case .text(let t):
                out += t
            case .output(let e):
                out += try evaluate(e).pyString
                try JinjaLimits.checkString(out.utf8.count, "the rendered text", at: e.position)
            case .conditional(let branches, let elseBody):
                var taken = false
                for branch in branches where try evaluate(branch.condition).truthy {
                    taken = true
                    let flow = try execute(branch.body, into: &out)
                    if case .normal = flow { break }
                    return flow
                }
                if !taken {
                    let flow = try execute(elseBody, into: &out)
                    if case .normal = flow {} else { return flow }
                }
            case .forLoop(let loop):
                try executeFor(loop, into: &out)
            case .set(let target, let e, let p):
                try bind(target, try evaluate(e), at: p)
            case .setBlock(let name, let body):
                var captured = ""
                _ = try execute(body, into: &captured)
                assign(name, .string(captured))
            case .macro(let m):
                assign(m.name, .macro(m))
            case .loopBreak:
                return .breakLoop
            case .loopContinue:
                return .continueLoop
            case .generation(let body):
                let flow = try execute(body, into: &out)
                if case .normal = flow {} else { return flow }
            }
        }
        return .normal
    }

    private func executeFor(_ loop: JinjaForLoop, into out: inout String) throws(ChatTemplateError) {
        let all = try iterate(try evaluate(loop.iterable), at: loop.iterable.position)
        scopes.append([:])
        defer { scopes.removeLast() }
        var items = all
        if let filter = loop.filter {
            items = []
            for item in all {
                try countIteration(at: loop.position)
                try bind(loop.target, item, at: loop.position)
                if try evaluate(filter).truthy { items.append(item) }
            }
        }
        if items.isEmpty {
            _ = try execute(loop.elseBody, into: &out)
            return
        }
        let n = items.count
        for (index, item) in items.enumerated() {
            try countIteration(at: loop.position)
            try JinjaLimits.checkString(out.utf8.count, "the rendered text", at: loop.position)
            var info = JinjaDict([
                ("index", .integer(index + 1)), ("index0", .integer(index)),
                ("revindex", .integer(n - index)), ("revindex0", .integer(n - index - 1)),
                ("first", .bool(index == 0)), ("last", .bool(index == n - 1)), ("length", .integer(n)),
            ])
            if index > 0 { info["previtem"] = items[index - 1] }
            if index < n - 1 { info["nextitem"] = items[index + 1] }
            assign("loop", .dict(info))
            try bind(loop.target, item, at: loop.position)
            if case .breakLoop = try execute(loop.body, into: &out) { break }
        }
    }

    private func countIteration(at position: JinjaPosition) throws(ChatTemplateError) {
        loopIterations += 1
        guard loopIterations <= JinjaLimits.loopIterations else {
            throw .runtime(message: "the template ran more than \(JinjaLimits.loopIterations) loop iterations", at: position)
        }
    }

    /// The items a `for` loop visits: list elements, dict keys, string characters.
    func iterate(_ value: JinjaValue, at position: JinjaPosition) throws(ChatTemplateError) -> [JinjaValue] {
        switch value {
        case .list(let items): return items
        case .dict(let d): return d.keys.map { .string($0) }
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        case .undefined: return []
        default: throw .runtime(message: "'\(value.typeName)' object is not iterable", at: position)
        }
    }

    func callMacro(_ m: JinjaMacroDefinition, _ args: [JinjaValue], _ kwargs: [(String, JinjaValue)],
                   at position: JinjaPosition) throws(ChatTemplateError) -> JinjaValue
    {
        guard args.count <= m.parameters.count else {
            throw .runtime(message: "macro '\(m.name)' takes \(m.parameters.count) arguments, got \(args.count)",
                           at: position)
        }
        guard macroDepth < JinjaLimits.macroCalls else {
            throw .runtime(message: "macro '\(m.name)' called with \(JinjaLimits.macroCalls) macro calls already active "
                           + "(endless recursion?)", at: position)
        }
        macroDepth += 1
        defer { macroDepth -= 1 }
        var frame: [String: JinjaValue] = [:]
        for (n, p) in m.parameters.enumerated() {
            if n < args.count {
                frame[p.name] = args[n]
            } else if let kw = kwargs.first(where: { $0.0 == p.name }) {
                frame[p.name] = kw.1
            } else if let d = p.defaultValue {
                frame[p.name] = try evaluate(d)
            } else {
                frame[p.name] = .undefined(p.name)
            }
        }
        let saved = scopes
        scopes = [scopes[0], frame]
        defer { scopes = saved }
        var out = ""
        _ = try execute(m.body, into: &out)
        return .string(out)
    }
}
