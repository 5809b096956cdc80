// Runtime values of the interpreter, modelled on the Python objects jinja2 sees when transformers
// renders a chat template: dicts keep insertion order, integers and floats are distinct, and an
// undefined name is a value of its own (falsy, prints as empty) rather than an error.
import Foundation
import RetortJSON

/// An insertion-ordered string-keyed dictionary.
struct JinjaDict {
    private(set) var keys: [String] = []
    private var storage: [String: JinjaValue] = [:]

    init() {}

    init(_ pairs: [(String, JinjaValue)]) {
        for (k, v) in pairs { self[k] = v }
    }

    subscript(key: String) -> JinjaValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    var count: Int { keys.count }
    var pairs: [(String, JinjaValue)] { keys.map { ($0, storage[$0] ?? .none) } }
}

/// The mutable object `namespace()` returns; `set ns.attr = …` writes through it from any scope.
final class JinjaNamespace {
    var attributes: JinjaDict
    init(_ attributes: JinjaDict) { self.attributes = attributes }
}

enum JinjaValue {
    case undefined(String)  // the name or attribute that was missing
    case none
    case bool(Bool)
    case integer(Int)
    case float(Double)
    case string(String)
    case list([JinjaValue])
    case dict(JinjaDict)
    case namespace(JinjaNamespace)
    case macro(JinjaMacroDefinition)
    case function(String)  // a global function: raise_exception, namespace, range, strftime_now, dict

    init(_ json: JSONValue) {
        switch json {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .number(let n):
            if n.rounded() == n, abs(n) < 9_007_199_254_740_992 { self = .integer(Int(n)) } else { self = .float(n) }
        case .string(let s): self = .string(s)
        case .array(let items): self = .list(items.map(JinjaValue.init))
        case .object(let members):
            // JSONValue objects are unordered; sorted keys make rendering deterministic.
            self = .dict(JinjaDict(members.keys.sorted().map { ($0, JinjaValue(members[$0]!)) }))
        }
    }

    var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// Python truthiness.
    var truthy: Bool {
        switch self {
        case .undefined, .none: false
        case .bool(let b): b
        case .integer(let i): i != 0
        case .float(let d): d != 0
        case .string(let s): !s.isEmpty
        case .list(let l): !l.isEmpty
        case .dict(let d): d.count > 0
        case .namespace, .macro, .function: true
        }
    }

    /// The Python type name, for error messages.
    var typeName: String {
        switch self {
        case .undefined(let n): "undefined ('\(n)')"
        case .none: "NoneType"
        case .bool: "bool"
        case .integer: "int"
        case .float: "float"
        case .string: "str"
        case .list: "list"
        case .dict: "dict"
        case .namespace: "Namespace"
        case .macro: "Macro"
        case .function: "function"
        }
    }

    var number: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .float(let d): d
        case .bool(let b): b ? 1 : 0
        default: nil
        }
    }

    /// Python `==`.
    func pyEquals(_ other: JinjaValue) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.pyEquals($1) }
        case (.dict(let a), .dict(let b)):
            return a.count == b.count && a.pairs.allSatisfy { k, v in b[k].map { v.pyEquals($0) } ?? false }
        case (.namespace(let a), .namespace(let b)): return a === b
        default:
            if let x = number, let y = other.number { return x == y }
            return false
        }
    }

    /// Python `str()`: what `{{ value }}` prints.
    var pyString: String {
        switch self {
        case .undefined: ""
        case .string(let s): s
        default: pyRepr
        }
    }

    /// Python `repr()`, used for values nested in printed lists and dicts.
    var pyRepr: String {
        var open: [ObjectIdentifier] = []
        return repr(open: &open)
    }

    /// `open` holds the namespaces being printed: one that contains itself prints its attributes as
    /// `{...}` the second time, as Python's reprlib guard does.
    private func repr(open: inout [ObjectIdentifier]) -> String {
        switch self {
        case .undefined: return ""
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .integer(let i): return String(i)
        case .float(let d): return JinjaValue.pyFloat(d)
        case .string(let s): return JinjaValue.pyQuote(s)
        case .list(let items):
            var parts: [String] = []
            for item in items { parts.append(item.repr(open: &open)) }
            return "[" + parts.joined(separator: ", ") + "]"
        case .dict(let d):
            var parts: [String] = []
            for (key, item) in d.pairs { parts.append(JinjaValue.pyQuote(key) + ": " + item.repr(open: &open)) }
            return "{" + parts.joined(separator: ", ") + "}"
        case .namespace(let n):
            guard !open.contains(ObjectIdentifier(n)) else { return "<Namespace {...}>" }
            open.append(ObjectIdentifier(n))
            defer { open.removeLast() }
            return "<Namespace " + JinjaValue.dict(n.attributes).repr(open: &open) + ">"
        case .macro(let m): return "<Macro '\(m.name)'>"
        case .function(let f): return "<function \(f)>"
        }
    }

    static func pyFloat(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d.rounded() == d, abs(d) < 1e16 { return String(format: "%.1f", d) }
        return "\(d)"
    }

    static func pyQuote(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(c) == quote {
                    out += "\\" + String(quote)
                } else if c.value < 0x20 || c.value == 0x7F {
                    out += String(format: "\\x%02x", c.value)
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        out.append(quote)
        return out
    }
}
