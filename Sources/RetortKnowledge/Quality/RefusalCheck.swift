// Rejects teacher output that refuses or talks about itself instead of answering. Phrases match
// case-insensitively, with curly apostrophes read as straight ones and runs of whitespace as one
// space. A rule matches at the start (after leading whitespace, quotes and Markdown markers) or
// anywhere: "I cannot" opens a refusal, but "so I cannot say which is better" inside an answer
// is fine, while "As an AI language model" is a sign of a canned reply wherever it appears.

public struct RefusalCheck: QualityCheck {
    public static let checkName = "refusal"

    public struct Rule: Sendable, Hashable {
        public enum Position: String, Sendable, Hashable {
            case start
            case anywhere
        }

        public var phrase: String
        public var position: Position

        public init(_ phrase: String, _ position: Position) {
            self.phrase = phrase
            self.position = position
        }
    }

    /// The default phrase list: refusal openings (start) and self-referential boilerplate (anywhere).
    public static let defaultRules: [Rule] =
        [
            "I cannot", "I can't", "I can not", "I'm sorry", "I am sorry", "Sorry, but", "Sorry, I", "I apologize",
            "My apologies", "Unfortunately, I", "I'm unable to", "I am unable to", "I'm not able to",
            "I am not able to", "I won't be able to", "I will not", "I must decline", "I'm afraid I",
        ].map { Rule($0, .start)
        }
        + [
            "As an AI language model", "As a language model", "As an AI model", "As an AI assistant",
            "As an artificial intelligence", "I'm just an AI", "I am just an AI", "I'm only an AI",
            "I'm sorry, but", "I am sorry, but", "I cannot fulfill", "I can't fulfill", "I cannot assist with",
            "I can't assist with", "I cannot help with", "I can't help with", "I cannot provide", "I can't provide",
            "I'm not able to provide", "goes against my programming", "against my guidelines",
            "OpenAI's use case policy", "violates my content policy",
        ].map { Rule($0, .anywhere) }

    public let rules: [Rule]
    private let normalizedPhrases: [String]

    public init(rules: [Rule] = RefusalCheck.defaultRules) {
        self.rules = rules
        normalizedPhrases = rules.map { Self.normalize($0.phrase) }
    }

    public var name: String { Self.checkName }

    public func check(_ text: String) -> QualityVerdict {
        let normalized = Self.normalize(text)
        let opening = normalized.drop { $0 == " " || $0 == "\"" || $0 == "'" || $0 == "*" || $0 == ">" || $0 == "#" || $0 == "-" || $0 == "`" }
        for (rule, phrase) in zip(rules, normalizedPhrases) where !phrase.isEmpty {
            switch rule.position {
            case .start:
                if opening.hasPrefix(phrase) { return .reject(check: name, reason: "starts with the refusal \"\(rule.phrase)\"") }
            case .anywhere:
                if normalized.contains(phrase) { return .reject(check: name, reason: "contains the refusal \"\(rule.phrase)\"") }
            }
        }
        return .keep
    }

    /// Lowercase, straight apostrophes and quotes, single spaces.
    static func normalize(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = true
                continue
            }
            if pendingSpace && !result.isEmpty { result.append(" ") }
            pendingSpace = false
            switch scalar.value {
            case 0x2018, 0x2019, 0x02BC, 0x2032: result.append("'")
            case 0x201C, 0x201D: result.append("\"")
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}
