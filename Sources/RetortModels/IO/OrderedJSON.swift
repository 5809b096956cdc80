// JSON written with object keys in the order given, indented, as Hugging Face's own files are
// (config.json, tokenizer.json with its vocabulary in id order), so exported files read and diff
// like the ones transformers writes. Strings are escaped as RetortJSON escapes them.
import RetortJSON

public indirect enum OrderedJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    public static func == (a: OrderedJSON, b: OrderedJSON) -> Bool { a.text(indent: nil) == b.text(indent: nil) }

    /// A float32 hyper-parameter as its shortest decimal (1e-05, not 9.99999974737875e-06).
    public static func float(_ value: Float) -> OrderedJSON {
        if value == value.rounded(), abs(value) < 1e15 { return .int(Int(value)) }
        return .double(Double("\(value)") ?? Double(value))
    }

    /// The text; `indent` spaces per level, or one line when nil. Arrays of scalars stay on one line.
    public func text(indent: Int? = 2) -> String {
        var out = ""
        write(to: &out, indent: indent, level: 0)
        if indent != nil { out += "\n" }
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    private func write(to out: inout String, indent: Int?, level: Int) {
        func newline(_ level: Int) {
            guard let indent else { return }
            out += "\n" + String(repeating: " ", count: indent * level)
        }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? "\(d)" : "null"
        case .string(let s): out += JSONValue.quoted(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            let flat = indent == nil || items.allSatisfy(\.isScalar)
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += flat && indent != nil ? ", " : "," }
                if !flat { newline(level + 1) }
                item.write(to: &out, indent: indent, level: level + 1)
            }
            if !flat { newline(level) }
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                newline(level + 1)
                out += JSONValue.quoted(key) + (indent == nil ? ":" : ": ")
                value.write(to: &out, indent: indent, level: level + 1)
            }
            newline(level)
            out += "}"
        }
    }
}
