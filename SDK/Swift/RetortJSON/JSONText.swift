// Reading JSON text into a JSONValue (see JSONReader), and writing it back deterministically
// (sorted keys, integers without a fraction) so output is diffable.
import Foundation

public struct JSONTextError: Error, LocalizedError, Sendable {
    public let message: String
    public var errorDescription: String? { message }
}

extension JSONValue {
    /// Parses JSON text. The error gives the line and column and what was expected.
    public init(parsing text: String) throws(JSONTextError) {
        self = try JSONReader.parse(text)
    }

    /// Compact JSON text with object keys sorted.
    public var jsonText: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += Self.format(n)
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, key) in members.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                Self.writeString(key, to: &out)
                out += ":"
                members[key]!.write(to: &out)
            }
            out += "}"
        }
    }

    /// Integral values print without a fraction; JSON has no NaN or infinity, so they print null.
    static func format(_ n: Double) -> String {
        guard n.isFinite else { return "null" }
        if n == n.rounded(), abs(n) < 9.2e18 { return String(Int64(n)) }
        return "\(n)"
    }

    static func writeString(_ s: String, to out: inout String) { out += quoted(s) }

    /// `s` as a JSON string literal, escaped as Python's json.dumps(ensure_ascii=False) does:
    /// short escapes where JSON has them, \u00XX for other control characters, the rest verbatim.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(format: "%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
