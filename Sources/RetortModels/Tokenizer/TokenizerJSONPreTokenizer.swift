// Reading the `normalizer` and `pre_tokenizer` sections of a Hugging Face tokenizer.json into a
// PreTokenizer. Only what the byte-level families use is accepted (ByteLevel, Digits, Split by
// one of the known patterns, Sequence, NFC); anything else is an `unsupported` error rather
// than a tokenizer that silently splits differently from the reference.
import RetortJSON

extension PreTokenizer.Pattern {
    /// The regular expression as tokenizer.json spells it.
    public var regex: String {
        switch self {
        case .gpt2: #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
        case .llama3: #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        case .qwen2: #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        }
    }
}

enum TokenizerJSONPreTokenizer {
    /// The steps of a `pre_tokenizer` value (null means no splitting beyond added tokens,
    /// which byte-level BPE does not use, so it is refused).
    static func steps(_ value: JSONValue, path: String = "pre_tokenizer") throws(TokenizerError) -> [PreTokenizer.Step] {
        guard let type = value["type"]?.stringValue else { throw .missingField("\(path).type") }
        switch type {
        case "Sequence":
            guard let items = value["pretokenizers"]?.arrayValue else { throw .missingField("\(path).pretokenizers") }
            var steps: [PreTokenizer.Step] = []
            for (i, item) in items.enumerated() { steps += try Self.steps(item, path: "\(path).pretokenizers[\(i)]") }
            return steps
        case "ByteLevel":
            if value["add_prefix_space"]?.boolValue == true {
                throw .unsupported(component: "\(path).add_prefix_space", value: "true")
            }
            return value["use_regex"]?.boolValue == false ? [] : [.pattern(.gpt2)]
        case "Digits":
            return [.digits(individual: value["individual_digits"]?.boolValue ?? false)]
        case "Split":
            guard let regex = value["pattern"]?["Regex"]?.stringValue else {
                throw .unsupported(component: "\(path).pattern", value: value["pattern"]?.jsonText ?? "missing")
            }
            let behavior = value["behavior"]?.stringValue ?? "missing"
            guard behavior == "Isolated", value["invert"]?.boolValue != true else {
                throw .unsupported(component: "\(path).behavior", value: behavior)
            }
            guard let pattern = PreTokenizer.Pattern.allCases.first(where: { $0.regex == regex }) else {
                throw .unsupported(component: "\(path).pattern", value: regex)
            }
            return [.pattern(pattern)]
        default:
            throw .unsupported(component: "\(path).type", value: type)
        }
    }

    /// Whether the `normalizer` asks for NFC (the only normalizer byte-level families use).
    static func normalizesNFC(_ value: JSONValue?) throws(TokenizerError) -> Bool {
        guard let value, value != .null else { return false }
        switch value["type"]?.stringValue {
        case "NFC": return true
        case "Sequence" where value["normalizers"]?.arrayValue?.isEmpty == true: return false
        case let other: throw .unsupported(component: "normalizer", value: other ?? value.jsonText)
        }
    }
}
