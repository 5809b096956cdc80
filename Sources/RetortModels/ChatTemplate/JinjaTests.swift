// The `is` tests chat templates use, with jinja2's semantics.

enum JinjaTests {
    static let names: Set<String> = [
        "defined", "undefined", "none", "string", "number", "integer", "float", "boolean", "true", "false", "mapping",
        "iterable", "sequence", "callable", "even", "odd", "divisibleby", "equalto", "eq", "==", "ne", "!=", "lt", "<",
        "le", "<=", "gt", ">", "ge", ">=", "in", "sameas", "lower", "upper",
    ]
}

extension JinjaRenderer {
    func applyTest(_ name: String, _ value: JinjaValue, _ args: [JinjaValue], at p: JinjaPosition)
        throws(ChatTemplateError) -> Bool
    {
        func other() throws(ChatTemplateError) -> JinjaValue {
            guard let a = args.first else { throw .runtime(message: "test '\(name)' needs an argument", at: p) }
            return a
        }
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": if case .none = value { return true } else { return false }
        case "string": if case .string = value { return true } else { return false }
        case "number":
            switch value {
            case .integer, .float, .bool: return true
            default: return false
            }
        case "integer": if case .integer = value { return true } else { return false }
        case "float": if case .float = value { return true } else { return false }
        case "boolean": if case .bool = value { return true } else { return false }
        case "true": if case .bool(true) = value { return true } else { return false }
        case "false": if case .bool(false) = value { return true } else { return false }
        case "mapping": if case .dict = value { return true } else { return false }
        case "iterable", "sequence":
            switch value {
            case .string, .list, .dict: return true
            case .undefined: return name == "iterable"
            default: return false
            }
        case "callable":
            switch value {
            case .macro, .function: return true
            default: return false
            }
        case "even", "odd", "divisibleby":
            guard case .integer(let i) = value else {
                throw .runtime(message: "test '\(name)' needs an integer, got '\(value.typeName)'", at: p)
            }
            if name == "even" { return i % 2 == 0 }
            if name == "odd" { return i % 2 != 0 }
            guard case .integer(let d) = try other(), d != 0 else {
                throw .runtime(message: "divisibleby needs a non-zero integer", at: p)
            }
            return d == -1 || i % d == 0  // Int.min % -1 would trap
        case "equalto", "eq", "==": return value.pyEquals(try other())
        case "ne", "!=": return !value.pyEquals(try other())
        case "lt", "<": return try JinjaOperators.apply("<", value, try other(), at: p).truthy
        case "le", "<=": return try JinjaOperators.apply("<=", value, try other(), at: p).truthy
        case "gt", ">": return try JinjaOperators.apply(">", value, try other(), at: p).truthy
        case "ge", ">=": return try JinjaOperators.apply(">=", value, try other(), at: p).truthy
        case "in": return try JinjaOperators.apply("in", value, try other(), at: p).truthy
        case "sameas":
            switch (value, try other()) {
            case (.none, .none): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.namespace(let a), .namespace(let b)): return a === b
            default: return false
            }
        case "lower", "upper":
            guard case .string(let s) = value else { return false }
            return name == "lower" ? s == s.lowercased() : s == s.uppercased()
        default:
            throw .unsupported(construct: "test '\(name)'", at: p)
        }
    }
}
