// Markup that is safe by construction: the literal parts of an `HTML` value are the report's own
// trusted markup, and every String interpolated into it is escaped. Everything a teacher, a
// student, a plugin or a user wrote (prompts, outputs, reasons, names, paths) reaches the page only
// through interpolation, so it can never open a tag, close a <script>, or break an attribute.
// The escaping is also valid XML, so the inline SVG charts stay well-formed.

struct HTML: ExpressibleByStringInterpolation, CustomStringConvertible, Sendable {
    private(set) var markup: String

    init(stringLiteral literal: String) { markup = literal }
    init(stringInterpolation: StringInterpolation) { markup = stringInterpolation.markup }
    /// Escaped text, for places where a whole value is untrusted text.
    init(text: String) { markup = Self.escape(text) }

    static let empty: HTML = ""

    var description: String { markup }
    var isEmpty: Bool { markup.isEmpty }

    static func + (lhs: HTML, rhs: HTML) -> HTML {
        var joined = lhs
        joined.markup += rhs.markup
        return joined
    }

    static func += (lhs: inout HTML, rhs: HTML) { lhs.markup += rhs.markup }

    struct StringInterpolation: StringInterpolationProtocol {
        var markup = ""
        init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity + 16 * interpolationCount) }
        mutating func appendLiteral(_ literal: String) { markup += literal }
        /// Text: always escaped.
        mutating func appendInterpolation(_ text: String) { markup += HTML.escape(text) }
        mutating func appendInterpolation(_ html: HTML) { markup += html.markup }
        mutating func appendInterpolation(_ parts: [HTML]) { for part in parts { markup += part.markup } }
        mutating func appendInterpolation(_ number: Int) { markup += String(number) }
        /// A coordinate or length in SVG user units: one decimal is a tenth of a pixel.
        mutating func appendInterpolation(_ coordinate: Double) { markup += HTML.coordinate(coordinate) }
    }

    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int(tenths / 10)) : String(tenths / 10)
    }

    /// Escapes the five characters that matter in text and quoted attributes, and replaces what XML
    /// forbids (control characters other than tab and newlines, U+FFFE, U+FFFF) with U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\r": break
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

extension Array where Element == HTML {
    func joined(separator: HTML = .empty) -> HTML {
        var out = HTML.empty
        for (i, part) in enumerated() {
            if i > 0 { out += separator }
            out += part
        }
        return out
    }
}
