// One message of a chat conversation, as every teacher backend receives it. Content is a list of
// parts so vision teachers can take images; text-only backends read `text`.
import RetortJSON

public struct ChatMessage: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case text(String)
        /// An image by URL: `https://…` or a `data:image/png;base64,…` URL for local files.
        case imageURL(String)
    }

    /// "system", "user", "assistant" or "tool".
    public var role: String
    public var parts: [Part]

    public init(role: String, parts: [Part]) {
        self.role = role
        self.parts = parts
    }

    public init(role: String, text: String) {
        self.init(role: role, parts: [.text(text)])
    }

    /// The text parts joined; images are left out.
    public var text: String {
        parts.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined()
    }

    public var hasImages: Bool {
        parts.contains { if case .imageURL = $0 { true } else { false } }
    }

    /// OpenAI chat form: `content` is a plain string when the message is text only.
    public var json: JSONValue {
        if !hasImages { return ["role": .string(role), "content": .string(text)] }
        let content: [JSONValue] = parts.map {
            switch $0 {
            case .text(let t): ["type": "text", "text": .string(t)]
            case .imageURL(let url): ["type": "image_url", "image_url": ["url": .string(url)]]
            }
        }
        return ["role": .string(role), "content": .array(content)]
    }

    /// Reads the OpenAI chat form (string content or a list of text / image_url parts).
    public init(json: JSONValue) throws(TeacherError) {
        guard let role = json["role"]?.stringValue else {
            throw TeacherError.invalidRequest("a message needs a string \"role\"")
        }
        switch json["content"] {
        case .string(let text)?:
            self.init(role: role, text: text)
        case .array(let items)?:
            var parts: [Part] = []
            for item in items {
                switch item["type"]?.stringValue {
                case "text":
                    guard let t = item["text"]?.stringValue else { throw TeacherError.invalidRequest("a text part needs \"text\"") }
                    parts.append(.text(t))
                case "image_url":
                    guard let url = item["image_url"]?["url"]?.stringValue ?? item["image_url"]?.stringValue else {
                        throw TeacherError.invalidRequest("an image_url part needs \"image_url\": {\"url\": …}")
                    }
                    parts.append(.imageURL(url))
                default:
                    throw TeacherError.invalidRequest("unknown content part type \(item["type"]?.jsonText ?? "null"); expected text or image_url")
                }
            }
            self.init(role: role, parts: parts)
        case .null?, nil:
            self.init(role: role, parts: [])
        case let other?:
            throw TeacherError.invalidRequest("message content must be a string or a list of parts, found \(other.typeName)")
        }
    }
}
