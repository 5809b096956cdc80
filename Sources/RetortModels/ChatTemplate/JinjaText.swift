// Python string operations the interpreter needs, over Unicode scalars as Python's str does:
// strip with optional character set, split with and without separator, replace with a count,
// str.title, str.capitalize and Jinja's own `title` filter.

enum JinjaText {
    static func strip(_ s: String, chars: String?, leading: Bool, trailing: Bool) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        func strippable(_ c: Unicode.Scalar) -> Bool { set?.contains(c) ?? c.properties.isWhitespace }
        let scalars = Array(s.unicodeScalars)
        var lo = 0
        var hi = scalars.count
        if leading { while lo < hi, strippable(scalars[lo]) { lo += 1 } }
        if trailing { while hi > lo, strippable(scalars[hi - 1]) { hi -= 1 } }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[lo..<hi])
        return String(out)
    }

    static func split(_ s: String, separator: String?, limit: Int) -> [String] {
        let scalars = Array(s.unicodeScalars)
        var parts: [String] = []
        func piece(_ r: Range<Int>) -> String {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: scalars[r])
            return String(v)
        }
        guard let separator, !separator.isEmpty else {
            var k = 0
            while k < scalars.count {
                while k < scalars.count, scalars[k].properties.isWhitespace { k += 1 }
                guard k < scalars.count else { break }
                if limit >= 0, parts.count == limit {
                    var end = scalars.count
                    while end > k, scalars[end - 1].properties.isWhitespace { end -= 1 }
                    parts.append(piece(k..<end))
                    break
                }
                let start = k
                while k < scalars.count, !scalars[k].properties.isWhitespace { k += 1 }
                parts.append(piece(start..<k))
            }
            return parts
        }
        let sep = Array(separator.unicodeScalars)
        var start = 0
        var k = 0
        while k + sep.count <= scalars.count {
            if limit >= 0, parts.count == limit { break }
            if Array(scalars[k..<(k + sep.count)]) == sep {
                parts.append(piece(start..<k))
                k += sep.count
                start = k
            } else {
                k += 1
            }
        }
        parts.append(piece(start..<scalars.count))
        return parts
    }

    static func replace(_ s: String, _ old: String, _ new: String, count: Int) -> String {
        if old.isEmpty { return s }
        let parts = split(s, separator: old, limit: count)
        return parts.joined(separator: new)
    }

    /// Python str.title(): uppercase the first letter of each run of letters, lowercase the rest.
    static func pythonTitle(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for c in s {
            let isLetter = c.isLetter
            out += isLetter ? (previousCased ? c.lowercased() : c.uppercased()) : String(c)
            previousCased = isLetter
        }
        return out
    }

    /// Jinja's `title` filter: words start after whitespace or one of -({[<.
    static func jinjaTitle(_ s: String) -> String {
        var out = ""
        var atWordStart = true
        for c in s {
            out += atWordStart ? c.uppercased() : c.lowercased()
            atWordStart = c.isWhitespace || "-({[<".contains(c)
        }
        return out
    }

    static func capitalize(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst().lowercased()
    }
}
