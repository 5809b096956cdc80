// The filters chat templates use, with jinja2's semantics (and transformers' `tojson`).

enum JinjaFilters {
    static let names: Set<String> = [
        "trim", "length", "count", "tojson", "upper", "lower", "title", "capitalize", "default", "d", "first", "last",
        "join", "replace", "string", "int", "float", "list", "items", "selectattr", "rejectattr", "select", "reject",
        "map", "safe", "escape", "e", "abs", "reverse", "unique", "indent", "wordcount", "dictsort", "sort",
    ]
}

extension JinjaRenderer {
    func applyFilter(_ name: String, _ value: JinjaValue, _ args: [JinjaValue], _ kwargs: [(String, JinjaValue)],
                     at p: JinjaPosition) throws(ChatTemplateError) -> JinjaValue
    {
        func argument(_ n: Int, _ key: String) -> JinjaValue? {
            kwargs.first { $0.0 == key }?.1 ?? (n < args.count ? args[n] : nil)
        }
        func text() throws(ChatTemplateError) -> String {
            if case .undefined(let n) = value, name != "string", name != "trim" {
                throw .runtime(message: "'\(n)' is undefined (filter '\(name)')", at: p)
            }
            return value.pyString
        }
        switch name {
        case "trim":
            var chars: String?
            if case .string(let c)? = argument(0, "chars") { chars = c }
            return .string(JinjaText.strip(value.pyString, chars: chars, leading: true, trailing: true))
        case "length", "count":
            switch value {
            case .string(let s): return .integer(s.unicodeScalars.count)
            case .list(let l): return .integer(l.count)
            case .dict(let d): return .integer(d.count)
            case .undefined: return .integer(0)
            default: throw .runtime(message: "object of type '\(value.typeName)' has no len()", at: p)
            }
        case "tojson":
            var indent: Int?
            if case .integer(let i)? = argument(0, "indent") { indent = i }
            let sortKeys = argument(99, "sort_keys")?.truthy ?? false
            return .string(try JinjaJSONEncoding.encode(value, indent: indent, sortKeys: sortKeys, at: p))
        case "upper": return .string(try text().uppercased())
        case "lower": return .string(try text().lowercased())
        case "title": return .string(JinjaText.jinjaTitle(try text()))
        case "capitalize": return .string(JinjaText.capitalize(try text()))
        case "default", "d":
            let fallback = argument(0, "default_value") ?? .string("")
            let boolean = argument(1, "boolean")?.truthy ?? false
            return value.isUndefined || (boolean && !value.truthy) ? fallback : value
        case "first", "last":
            let items = try iterate(value, at: p)
            guard let item = name == "first" ? items.first : items.last else { return .undefined(name) }
            return item
        case "join":
            var items = try iterate(value, at: p)
            if let attr = argument(1, "attribute") {
                items = try items.map { (i) throws(ChatTemplateError) in try attributeOrItem(i, attr, at: p) }
            }
            let separator = argument(0, "d")?.pyString ?? ""
            let strings = items.map(\.pyString)
            let bytes = strings.reduce(JinjaLimits.product(separator.utf8.count, strings.count)) { JinjaLimits.sum($0, $1.utf8.count) }
            try JinjaLimits.checkString(bytes, "join", at: p)
            return .string(strings.joined(separator: separator))
        case "replace":
            guard let old = argument(0, "old"), let new = argument(1, "new") else {
                throw .runtime(message: "replace filter needs two arguments", at: p)
            }
            var count = -1
            if case .integer(let c)? = argument(2, "count") { count = c }
            let (subject, target, replacement) = (try text(), old.pyString, new.pyString)
            if !target.isEmpty, replacement.utf8.count > target.utf8.count {
                let growth = replacement.utf8.count - target.utf8.count
                let worst = JinjaLimits.product(subject.utf8.count / target.utf8.count, growth)
                try JinjaLimits.checkString(JinjaLimits.sum(subject.utf8.count, worst), "replace", at: p)
            }
            return .string(JinjaText.replace(subject, target, replacement, count: count))
        case "string": return .string(value.pyString)
        case "int":
            let fallback = argument(0, "default") ?? .integer(0)
            switch value {
            case .integer: return value
            case .bool(let b): return .integer(b ? 1 : 0)
            case .float(let d): return d.isFinite && abs(d) < 9e18 ? .integer(Int(d)) : fallback
            case .string(let s):
                let t = JinjaText.strip(s, chars: nil, leading: true, trailing: true)
                if let i = Int(t) { return .integer(i) }
                if let d = Double(t), d.isFinite, abs(d) < 9e18 { return .integer(Int(d)) }
                return fallback
            default: return fallback
            }
        case "float":
            if let n = value.number { return .float(n) }
            if case .string(let s) = value, let d = Double(JinjaText.strip(s, chars: nil, leading: true, trailing: true)) {
                return .float(d)
            }
            return argument(0, "default") ?? .float(0)
        case "list": return .list(try iterate(value, at: p))
        case "items":
            switch value {
            case .dict(let d): return .list(d.pairs.map { .list([.string($0.0), $0.1]) })
            case .undefined: return .list([])
            default: throw .runtime(message: "items filter needs a mapping, got '\(value.typeName)'", at: p)
            }
        case "dictsort":
            guard case .dict(let d) = value else { throw .runtime(message: "dictsort needs a mapping", at: p) }
            return .list(d.pairs.sorted { $0.0 < $1.0 }.map { .list([.string($0.0), $0.1]) })
        case "selectattr", "rejectattr", "select", "reject":
            return .list(try select(name, try iterate(value, at: p), args, at: p))
        case "map":
            let items = try iterate(value, at: p)
            if let attr = kwargs.first(where: { $0.0 == "attribute" })?.1 {
                let fallback = kwargs.first { $0.0 == "default" }?.1
                return .list(try items.map { (i) throws(ChatTemplateError) in
                    let v = try attributeOrItem(i, attr, at: p)
                    return v.isUndefined ? (fallback ?? v) : v
                })
            }
            guard case .string(let filterName)? = args.first else {
                throw .runtime(message: "map needs a filter name or attribute=", at: p)
            }
            guard JinjaFilters.names.contains(filterName) else {
                throw .unsupported(construct: "filter '\(filterName)'", at: p)
            }
            let rest = Array(args.dropFirst())
            return .list(try items.map { (i) throws(ChatTemplateError) in
                try applyFilter(filterName, i, rest, [], at: p)
            })
        case "safe": return value
        case "escape", "e":
            var out = ""
            for c in value.pyString {
                switch c {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&#34;"
                case "'": out += "&#39;"
                default: out.append(c)
                }
            }
            return .string(out)
        case "abs":
            if case .integer(let i) = value { return i == Int.min ? .float(-Double(i)) : .integer(abs(i)) }
            if case .float(let d) = value { return .float(abs(d)) }
            throw .runtime(message: "bad operand type for abs(): '\(value.typeName)'", at: p)
        case "reverse":
            if case .string(let s) = value { return .string(String(s.unicodeScalars.reversed().map(Character.init))) }
            return .list(try iterate(value, at: p).reversed())
        case "unique":
            var seen: [JinjaValue] = []
            for i in try iterate(value, at: p) where !seen.contains(where: { $0.pyEquals(i) }) { seen.append(i) }
            return .list(seen)
        case "sort":
            let items = try iterate(value, at: p)
            let reverse = argument(0, "reverse")?.truthy ?? false
            var failure: ChatTemplateError?
            let sorted = items.sorted { a, b in
                do throws(ChatTemplateError) {
                    return try JinjaOperators.apply(reverse ? ">" : "<", a, b, at: p).truthy
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
            return .list(sorted)
        case "indent":
            var width = 4
            if case .integer(let w)? = argument(0, "width") { width = w }
            let first = argument(1, "first")?.truthy ?? false
            let blank = argument(2, "blank")?.truthy ?? false
            let lines = JinjaText.split(try text(), separator: "\n", limit: -1)
            let paddedLines = lines.count - (first ? 0 : 1)
            try JinjaLimits.checkString(JinjaLimits.product(max(0, width), paddedLines), "indent", at: p)
            let pad = paddedLines > 0 ? String(repeating: " ", count: max(0, width)) : ""
            return .string(lines.enumerated().map { n, line in
                (n == 0 && !first) || (line.isEmpty && !blank) ? line : pad + line
            }.joined(separator: "\n"))
        case "wordcount":
            return .integer(JinjaText.split(try text(), separator: nil, limit: -1).count)
        default:
            throw .unsupported(construct: "filter '\(name)'", at: p)
        }
    }

    /// Jinja's environment.getattr for filters: a dotted path of keys.
    func attributeOrItem(_ value: JinjaValue, _ path: JinjaValue, at p: JinjaPosition) throws(ChatTemplateError)
        -> JinjaValue
    {
        if case .integer = path { return try item(value, path, at: p) }
        var v = value
        for part in JinjaText.split(path.pyString, separator: ".", limit: -1) {
            if v.isUndefined { return v }
            v = try item(v, Int(part).map { .integer($0) } ?? .string(part), at: p)
        }
        return v
    }

    private func select(_ name: String, _ items: [JinjaValue], _ args: [JinjaValue], at p: JinjaPosition)
        throws(ChatTemplateError) -> [JinjaValue]
    {
        let byAttribute = name.hasSuffix("attr")
        let keep = name.hasPrefix("select")
        var rest = args
        var attribute: JinjaValue?
        if byAttribute {
            guard !rest.isEmpty else { throw .runtime(message: "\(name) needs an attribute name", at: p) }
            attribute = rest.removeFirst()
        }
        var testName: String?
        if !rest.isEmpty {
            guard case .string(let t) = rest.removeFirst() else { throw .runtime(message: "test name must be a string", at: p) }
            guard JinjaTests.names.contains(t) else { throw .unsupported(construct: "test '\(t)'", at: p) }
            testName = t
        }
        var out: [JinjaValue] = []
        for item in items {
            let subject = try attribute.map { (a) throws(ChatTemplateError) in try attributeOrItem(item, a, at: p) } ?? item
            let passed = try testName.map { (t) throws(ChatTemplateError) in try applyTest(t, subject, rest, at: p) }
                ?? subject.truthy
            if passed == keep { out.append(item) }
        }
        return out
    }
}
