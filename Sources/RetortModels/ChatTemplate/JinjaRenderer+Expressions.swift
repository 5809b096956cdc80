// Expression evaluation: names, literals, attribute/subscript/slice access, calls (macros,
// globals, methods), filters, tests, and Python-semantics operators.
import Foundation

extension JinjaRenderer {
    func evaluate(_ expr: JinjaExpr) throws(ChatTemplateError) -> JinjaValue {
        switch expr {
        case .literal(let l, _):
            switch l {
            case .none: return .none
            case .bool(let b): return .bool(b)
            case .integer(let i): return .integer(i)
            case .float(let d): return .float(d)
            case .string(let s): return .string(s)
            }
        case .name(let n, _):
            return lookup(n)
        case .list(let items, _):
            var values: [JinjaValue] = []
            for item in items { values.append(try evaluate(item)) }
            return .list(values)
        case .dict(let entries, let p):
            var d = JinjaDict()
            for entry in entries {
                guard case .string(let key) = try evaluate(entry.key) else {
                    throw .unsupported(construct: "non-string dictionary key", at: p)
                }
                d[key] = try evaluate(entry.value)
            }
            return .dict(d)
        case .attribute(let object, let name, let p):
            return try attribute(try evaluate(object), name, at: p)
        case .index(let object, let index, let p):
            return try item(try evaluate(object), try evaluate(index), at: p)
        case .slice(let object, let start, let stop, let step, let p):
            return try slice(try evaluate(object), start: start.map(evaluate), stop: stop.map(evaluate),
                             step: step.map(evaluate), at: p)
        case .call(let callee, let arguments, let p):
            return try call(callee, arguments, at: p)
        case .filter(let value, let name, let arguments, let p):
            let (args, kwargs) = try evaluateArguments(arguments)
            return try applyFilter(name, try evaluate(value), args, kwargs, at: p)
        case .test(let value, let name, let arguments, let negated, let p):
            let (args, _) = try evaluateArguments(arguments)
            let result = try applyTest(name, try evaluate(value), args, at: p)
            return .bool(result != negated)
        case .unary(let op, let operand, let p):
            let v = try evaluate(operand)
            switch op {
            case "not": return .bool(!v.truthy)
            case "-":
                if case .integer(let i) = v {
                    let (negated, overflow) = Int(0).subtractingReportingOverflow(i)
                    return overflow ? .float(-Double(i)) : .integer(negated)
                }
                if case .float(let d) = v { return .float(-d) }
            default:
                if case .integer = v { return v }
                if case .float = v { return v }
            }
            throw .runtime(message: "bad operand type for unary \(op): '\(v.typeName)'", at: p)
        case .binary(let op, let lhs, let rhs, let p):
            if op == "and" {
                let l = try evaluate(lhs)
                return l.truthy ? try evaluate(rhs) : l
            }
            if op == "or" {
                let l = try evaluate(lhs)
                return l.truthy ? l : try evaluate(rhs)
            }
            return try JinjaOperators.apply(op, try evaluate(lhs), try evaluate(rhs), at: p)
        case .conditional(let then, let condition, let otherwise, _):
            if try evaluate(condition).truthy { return try evaluate(then) }
            return try otherwise.map(evaluate) ?? .undefined("else")
        }
    }

    func evaluateArguments(_ arguments: JinjaArguments) throws(ChatTemplateError)
        -> ([JinjaValue], [(String, JinjaValue)])
    {
        var args: [JinjaValue] = []
        for a in arguments.positional { args.append(try evaluate(a)) }
        var kwargs: [(String, JinjaValue)] = []
        for kw in arguments.keyword { kwargs.append((kw.name, try evaluate(kw.value))) }
        return (args, kwargs)
    }

    func attribute(_ object: JinjaValue, _ name: String, at p: JinjaPosition) throws(ChatTemplateError) -> JinjaValue {
        switch object {
        case .dict(let d): return d[name] ?? .undefined(name)
        case .namespace(let ns): return ns.attributes[name] ?? .undefined(name)
        case .undefined(let n): throw .runtime(message: "'\(n)' is undefined (reading '.\(name)')", at: p)
        default: return .undefined(name)
        }
    }

    func item(_ object: JinjaValue, _ index: JinjaValue, at p: JinjaPosition) throws(ChatTemplateError) -> JinjaValue {
        switch (object, index) {
        case (.list(let items), .integer(let i)):
            let k = i < 0 ? items.count + i : i
            return items.indices.contains(k) ? items[k] : .undefined("[\(i)]")
        case (.string(let s), .integer(let i)):
            let scalars = Array(s.unicodeScalars)
            let k = i < 0 ? scalars.count + i : i
            return scalars.indices.contains(k) ? .string(String(scalars[k])) : .undefined("[\(i)]")
        case (.dict, .string(let key)), (.namespace, .string(let key)):
            return try attribute(object, key, at: p)
        case (.dict, _):
            return .undefined("[\(index.pyRepr)]")
        case (.undefined(let n), _):
            throw .runtime(message: "'\(n)' is undefined (reading [\(index.pyRepr)])", at: p)
        default:
            return .undefined("[\(index.pyRepr)]")
        }
    }

    func slice(_ object: JinjaValue, start: JinjaValue?, stop: JinjaValue?, step: JinjaValue?, at p: JinjaPosition)
        throws(ChatTemplateError) -> JinjaValue
    {
        func int(_ v: JinjaValue?) throws(ChatTemplateError) -> Int? {
            switch v {
            case nil, .none?: return nil
            case .integer(let i)?: return i
            default: throw .runtime(message: "slice indices must be integers or None", at: p)
            }
        }
        let stepValue = try int(step) ?? 1
        guard stepValue != 0 else { throw .runtime(message: "slice step cannot be zero", at: p) }
        func indices(_ count: Int) throws(ChatTemplateError) -> [Int] {
            func clamp(_ v: Int?, _ defaultValue: Int) -> Int {
                guard var v else { return defaultValue }
                if v < 0 { v += count }
                return stepValue > 0 ? min(max(v, 0), count) : min(max(v, -1), count - 1)
            }
            let lo = clamp(try int(start), stepValue > 0 ? 0 : count - 1)
            let hi = clamp(try int(stop), stepValue > 0 ? count : -1)
            return Array(stride(from: lo, to: hi, by: stepValue))
        }
        switch object {
        case .list(let items):
            return .list(try indices(items.count).map { items[$0] })
        case .string(let s):
            let scalars = Array(s.unicodeScalars)
            var out = String.UnicodeScalarView()
            for k in try indices(scalars.count) { out.append(scalars[k]) }
            return .string(String(out))
        default:
            throw .runtime(message: "'\(object.typeName)' object is not sliceable", at: p)
        }
    }

    private func call(_ callee: JinjaExpr, _ arguments: JinjaArguments, at p: JinjaPosition) throws(ChatTemplateError)
        -> JinjaValue
    {
        if case .attribute(let objectExpr, let name, _) = callee {
            let object = try evaluate(objectExpr)
            let isMacroMember: Bool
            if case .dict(let d) = object, case .macro? = d[name] { isMacroMember = true } else { isMacroMember = false }
            if !isMacroMember {
                let (args, kwargs) = try evaluateArguments(arguments)
                return try callMethod(object, name, args, kwargs, at: p)
            }
        }
        let function = try evaluate(callee)
        let (args, kwargs) = try evaluateArguments(arguments)
        switch function {
        case .macro(let m): return try callMacro(m, args, kwargs, at: p)
        case .function(let name): return try callGlobal(name, args, kwargs, at: p)
        case .undefined(let n): throw .runtime(message: "'\(n)' is undefined", at: p)
        default: throw .runtime(message: "'\(function.typeName)' object is not callable", at: p)
        }
    }

    private func callGlobal(_ name: String, _ args: [JinjaValue], _ kwargs: [(String, JinjaValue)],
                            at p: JinjaPosition) throws(ChatTemplateError) -> JinjaValue
    {
        switch name {
        case "raise_exception":
            throw .raised(message: args.first?.pyString ?? "", at: p)
        case "namespace", "dict":
            var d = JinjaDict()
            if case .dict(let initial)? = args.first { d = initial }
            for (k, v) in kwargs { d[k] = v }
            return name == "dict" ? .dict(d) : .namespace(JinjaNamespace(d))
        case "range":
            var ints: [Int] = []
            for a in args {
                guard case .integer(let i) = a else { throw .runtime(message: "range() needs integers", at: p) }
                ints.append(i)
            }
            let (lo, hi, step): (Int, Int, Int)
            switch ints.count {
            case 1: (lo, hi, step) = (0, ints[0], 1)
            case 2: (lo, hi, step) = (ints[0], ints[1], 1)
            case 3: (lo, hi, step) = (ints[0], ints[1], ints[2])
            default: throw .runtime(message: "range() takes 1 to 3 arguments", at: p)
            }
            guard step != 0 else { throw .runtime(message: "range() step must not be zero", at: p) }
            // Count before building: range(10**18) must fail fast, not allocate.
            let (span, overflow) = step > 0 ? hi.subtractingReportingOverflow(lo) : lo.subtractingReportingOverflow(hi)
            let count = overflow ? Int.max : (span <= 0 ? 0 : (span - 1) / abs(step) + 1)
            try JinjaLimits.checkList(count, "range()", at: p)
            return .list(stride(from: lo, to: hi, by: step).map { .integer($0) })
        case "strftime_now":
            guard case .string(let format)? = args.first else {
                throw .runtime(message: "strftime_now() needs a format string", at: p)
            }
            return .string(JinjaStrftime.format(Date(), format))
        default:
            throw .unsupported(construct: "function '\(name)'", at: p)
        }
    }
}
