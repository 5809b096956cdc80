// Binary operators with Python semantics: int/float promotion, floor division and modulo with
// the divisor's sign, string and list concatenation and repetition, membership, ordering.
import Foundation

enum JinjaOperators {
    static func apply(_ op: String, _ l: JinjaValue, _ r: JinjaValue, at p: JinjaPosition) throws(ChatTemplateError)
        -> JinjaValue
    {
        switch op {
        case "==": return .bool(l.pyEquals(r))
        case "!=": return .bool(!l.pyEquals(r))
        case "~":
            let (a, b) = (l.pyString, r.pyString)
            try JinjaLimits.checkString(a.utf8.count + b.utf8.count, "'~'", at: p)
            return .string(a + b)
        case "in", "not in":
            let found: Bool
            switch r {
            case .string(let s):
                guard case .string(let needle) = l else {
                    throw .runtime(message: "'in <string>' requires string as left operand, not \(l.typeName)", at: p)
                }
                found = needle.isEmpty || s.contains(needle)
            case .list(let items): found = items.contains { $0.pyEquals(l) }
            case .dict(let d):
                if case .string(let k) = l { found = d[k] != nil } else { found = false }
            case .undefined: found = false
            default: throw .runtime(message: "argument of type '\(r.typeName)' is not iterable", at: p)
            }
            return .bool(op == "in" ? found : !found)
        case "<", "<=", ">", ">=":
            let order: Int
            if case .string(let a) = l, case .string(let b) = r {
                order = a == b ? 0 : (Array(a.unicodeScalars.map(\.value)).lexicographicallyPrecedes(
                    Array(b.unicodeScalars.map(\.value))) ? -1 : 1)
            } else if let a = l.number, let b = r.number {
                order = a == b ? 0 : (a < b ? -1 : 1)
            } else {
                throw .runtime(
                    message: "'\(op)' not supported between instances of '\(l.typeName)' and '\(r.typeName)'", at: p)
            }
            switch op {
            case "<": return .bool(order < 0)
            case "<=": return .bool(order <= 0)
            case ">": return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        default:
            return try arithmetic(op, l, r, at: p)
        }
    }

    private static func arithmetic(_ op: String, _ l: JinjaValue, _ r: JinjaValue, at p: JinjaPosition)
        throws(ChatTemplateError) -> JinjaValue
    {
        switch (op, l, r) {
        case ("+", .string(let a), .string(let b)):
            try JinjaLimits.checkString(a.utf8.count + b.utf8.count, "'+'", at: p)
            return .string(a + b)
        case ("+", .list(let a), .list(let b)):
            try JinjaLimits.checkList(a.count + b.count, "'+'", at: p)
            return .list(a + b)
        case ("*", .string(let s), .integer(let n)), ("*", .integer(let n), .string(let s)):
            try JinjaLimits.checkString(JinjaLimits.product(s.utf8.count, max(0, n)), "string repetition", at: p)
            return .string(String(repeating: s, count: max(0, n)))
        case ("*", .list(let a), .integer(let n)), ("*", .integer(let n), .list(let a)):
            try JinjaLimits.checkList(JinjaLimits.product(a.count, max(0, n)), "list repetition", at: p)
            return .list(Array([[JinjaValue]](repeating: a, count: max(0, n)).joined()))
        default: break
        }
        func failure() -> ChatTemplateError {
            if case .undefined(let n) = l { return .runtime(message: "'\(n)' is undefined", at: p) }
            if case .undefined(let n) = r { return .runtime(message: "'\(n)' is undefined", at: p) }
            return .runtime(
                message: "unsupported operand type(s) for \(op): '\(l.typeName)' and '\(r.typeName)'", at: p)
        }
        if case .string = l { throw failure() }
        if case .string = r { throw failure() }
        guard let a = l.number, let b = r.number else { throw failure() }
        if let x = integer(l), let y = integer(r) {
            switch op {
            case "+": let (v, o) = x.addingReportingOverflow(y); if !o { return .integer(v) }
            case "-": let (v, o) = x.subtractingReportingOverflow(y); if !o { return .integer(v) }
            case "*": let (v, o) = x.multipliedReportingOverflow(by: y); if !o { return .integer(v) }
            case "//", "%":
                guard y != 0 else { throw .runtime(message: "integer division or modulo by zero", at: p) }
                // Int.min / -1 overflows (Python's ints would not): the float fallback below answers.
                if y == -1 {
                    if op == "%" { return .integer(0) }
                    if x == Int.min { break }
                }
                var q = x / y
                var m = x % y
                if m != 0, (m < 0) != (y < 0) {
                    q -= 1
                    m += y
                }
                return .integer(op == "//" ? q : m)
            case "**":
                if y >= 0 {
                    var result = 1
                    for _ in 0..<min(y, 64) {
                        let (v, o) = result.multipliedReportingOverflow(by: x)
                        if o { return .float(pow(a, b)) }
                        result = v
                    }
                    if y <= 64 || x == 0 || x == 1 { return .integer(result) }
                }
            default: break
            }
        }
        switch op {
        case "+": return .float(a + b)
        case "-": return .float(a - b)
        case "*": return .float(a * b)
        case "/":
            guard b != 0 else { throw .runtime(message: "division by zero", at: p) }
            return .float(a / b)
        case "//":
            guard b != 0 else { throw .runtime(message: "float floor division by zero", at: p) }
            return .float((a / b).rounded(.down))
        case "%":
            guard b != 0 else { throw .runtime(message: "float modulo by zero", at: p) }
            let m = a - b * (a / b).rounded(.down)
            return .float(m)
        case "**": return .float(pow(a, b))
        default: throw .unsupported(construct: "operator '\(op)'", at: p)
        }
    }

    private static func integer(_ v: JinjaValue) -> Int? {
        switch v {
        case .integer(let i): i
        case .bool(let b): b ? 1 : 0
        default: nil
        }
    }
}
