// Python methods templates call on values: str.strip/lstrip/rstrip/startswith/endswith/split/
// upper/lower/title/capitalize/replace/join/find/count, dict.items/keys/values/get.
import Foundation

extension JinjaRenderer {
    func callMethod(_ object: JinjaValue, _ name: String, _ args: [JinjaValue], _ kwargs: [(String, JinjaValue)],
                    at p: JinjaPosition) throws(ChatTemplateError) -> JinjaValue
    {
        switch object {
        case .string(let s): return try stringMethod(s, name, args, at: p)
        case .dict(let d): return try dictMethod(d, name, args, at: p)
        case .undefined(let n): throw .runtime(message: "'\(n)' is undefined (calling '.\(name)()')", at: p)
        default: throw .unsupported(construct: "method '\(object.typeName).\(name)()'", at: p)
        }
    }

    private func string(_ args: [JinjaValue], _ n: Int, _ method: String, at p: JinjaPosition) throws(ChatTemplateError)
        -> String?
    {
        guard n < args.count else { return nil }
        switch args[n] {
        case .string(let s): return s
        case .none: return nil
        default: throw .runtime(message: "\(method)() argument must be str, not \(args[n].typeName)", at: p)
        }
    }

    private func stringMethod(_ s: String, _ name: String, _ args: [JinjaValue], at p: JinjaPosition)
        throws(ChatTemplateError) -> JinjaValue
    {
        switch name {
        case "strip", "lstrip", "rstrip":
            let chars = try string(args, 0, name, at: p)
            return .string(JinjaText.strip(s, chars: chars, leading: name != "rstrip", trailing: name != "lstrip"))
        case "upper": return .string(s.uppercased())
        case "lower": return .string(s.lowercased())
        case "title": return .string(JinjaText.pythonTitle(s))
        case "capitalize": return .string(JinjaText.capitalize(s))
        case "startswith", "endswith":
            var candidates: [JinjaValue] = []
            if case .list(let items)? = args.first { candidates = items } else if let a = args.first { candidates = [a] }
            for c in candidates {
                guard case .string(let affix) = c else {
                    throw .runtime(message: "\(name)() argument must be str", at: p)
                }
                if name == "startswith" ? s.unicodeScalars.starts(with: affix.unicodeScalars)
                    : s.unicodeScalars.reversed().starts(with: affix.unicodeScalars.reversed())
                {
                    return .bool(true)
                }
            }
            return .bool(false)
        case "split":
            var limit = -1
            if args.count > 1, case .integer(let n) = args[1] { limit = n }
            return .list(JinjaText.split(s, separator: try string(args, 0, name, at: p), limit: limit).map { .string($0) })
        case "replace":
            guard let old = try string(args, 0, name, at: p), let new = try string(args, 1, name, at: p) else {
                throw .runtime(message: "replace() takes two string arguments", at: p)
            }
            var count = -1
            if args.count > 2, case .integer(let n) = args[2] { count = n }
            if !old.isEmpty, new.utf8.count > old.utf8.count {
                let worst = JinjaLimits.product(s.utf8.count / old.utf8.count, new.utf8.count - old.utf8.count)
                try JinjaLimits.checkString(JinjaLimits.sum(s.utf8.count, worst), "replace()", at: p)
            }
            return .string(JinjaText.replace(s, old, new, count: count))
        case "join":
            guard let first = args.first else { throw .runtime(message: "join() takes one argument", at: p) }
            let strings = try iterate(first, at: p).map(\.pyString)
            let bytes = strings.reduce(JinjaLimits.product(s.utf8.count, strings.count)) { JinjaLimits.sum($0, $1.utf8.count) }
            try JinjaLimits.checkString(bytes, "join()", at: p)
            return .string(strings.joined(separator: s))
        case "find":
            guard let needle = try string(args, 0, name, at: p) else { throw .runtime(message: "find() needs a string", at: p) }
            guard let r = s.range(of: needle) else { return .integer(-1) }
            return .integer(s.unicodeScalars.distance(from: s.startIndex, to: r.lowerBound))
        case "count":
            guard let needle = try string(args, 0, name, at: p), !needle.isEmpty else {
                throw .runtime(message: "count() needs a non-empty string", at: p)
            }
            return .integer(s.components(separatedBy: needle).count - 1)
        default:
            throw .unsupported(construct: "method 'str.\(name)()'", at: p)
        }
    }

    private func dictMethod(_ d: JinjaDict, _ name: String, _ args: [JinjaValue], at p: JinjaPosition)
        throws(ChatTemplateError) -> JinjaValue
    {
        switch name {
        case "items": return .list(d.pairs.map { .list([.string($0.0), $0.1]) })
        case "keys": return .list(d.keys.map { .string($0) })
        case "values": return .list(d.pairs.map(\.1))
        case "get":
            guard case .string(let key)? = args.first else { return args.count > 1 ? args[1] : .none }
            return d[key] ?? (args.count > 1 ? args[1] : .none)
        default:
            throw .unsupported(construct: "method 'dict.\(name)()'", at: p)
        }
    }
}
