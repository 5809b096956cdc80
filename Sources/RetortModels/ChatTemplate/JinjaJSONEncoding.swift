// The `tojson` filter as transformers defines it: Python's json.dumps with ensure_ascii=False,
// insertion-ordered keys, separators ", " and ": " (or "," and ": " when indenting). A namespace
// that contains itself is a circular reference, as json.dumps reports it.
import Foundation
import RetortJSON

enum JinjaJSONEncoding {
    static func encode(_ value: JinjaValue, indent: Int?, sortKeys: Bool = false, at position: JinjaPosition)
        throws(ChatTemplateError) -> String
    {
        var out = ""
        var open: [ObjectIdentifier] = []
        // Python indents by ' ' * indent, which is empty for a negative indent.
        try write(value, indent: indent.map { max(0, $0) }, sortKeys: sortKeys, level: 0, open: &open, to: &out,
                  at: position)
        return out
    }

    /// `open` holds the namespaces being written, to catch one that contains itself.
    private static func write(_ value: JinjaValue, indent: Int?, sortKeys: Bool, level: Int,
                              open: inout [ObjectIdentifier], to out: inout String, at position: JinjaPosition)
        throws(ChatTemplateError)
    {
        let itemSeparator = indent == nil ? ", " : ","
        func newline(_ depth: Int) throws(ChatTemplateError) {
            guard let indent else { return }
            let width = JinjaLimits.product(indent, depth)
            try JinjaLimits.checkString(JinjaLimits.sum(out.utf8.count, width), "tojson", at: position)
            out += "\n" + String(repeating: " ", count: width)
        }
        switch value {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .float(let d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else {
                out += JinjaValue.pyFloat(d)
            }
        case .string(let s): out += quote(s)
        case .list(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += itemSeparator }
                try newline(level + 1)
                try write(item, indent: indent, sortKeys: sortKeys, level: level + 1, open: &open, to: &out, at: position)
            }
            try newline(level)
            out += "]"
        case .dict(let d):
            if d.count == 0 {
                out += "{}"
                return
            }
            out += "{"
            let pairs = sortKeys ? d.pairs.sorted { $0.0 < $1.0 } : d.pairs
            for (n, (key, item)) in pairs.enumerated() {
                if n > 0 { out += itemSeparator }
                try newline(level + 1)
                out += quote(key) + ": "
                try write(item, indent: indent, sortKeys: sortKeys, level: level + 1, open: &open, to: &out, at: position)
            }
            try newline(level)
            out += "}"
        case .namespace(let ns):
            guard !open.contains(ObjectIdentifier(ns)) else {
                throw .runtime(message: "Circular reference detected", at: position)
            }
            open.append(ObjectIdentifier(ns))
            defer { open.removeLast() }
            try write(.dict(ns.attributes), indent: indent, sortKeys: sortKeys, level: level, open: &open, to: &out,
                      at: position)
        case .undefined, .macro, .function:
            throw .runtime(message: "Object of type \(value.typeName) is not JSON serializable", at: position)
        }
    }

    static func quote(_ s: String) -> String { JSONValue.quoted(s) }
}
