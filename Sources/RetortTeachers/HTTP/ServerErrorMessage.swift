// Finds the human-readable message in an error body. Servers disagree on the shape: OpenAI and
// Anthropic nest it (`{"error": {"message", "type"}}`), Ollama and llama.cpp may send
// `{"error": "…"}`, FastAPI-based servers `{"detail": …}`, vLLM `{"object": "error", "message"}`.
// Anything else is quoted, shortened.
import Foundation
import RetortJSON

enum ServerErrorMessage {
    static func extract(from body: String) -> String {
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return "(empty body)" }
        guard let json = try? JSONValue(parsing: trimmed) else { return excerpt(trimmed) }
        if let error = json["error"] {
            if let text = error.stringValue { return text }
            if let message = error["message"]?.stringValue {
                let kind = error["type"]?.stringValue ?? error["code"]?.stringValue
                return kind.map { "\(message) [\($0)]" } ?? message
            }
        }
        if let message = json["message"]?.stringValue { return message }
        if let detail = json["detail"] { return detail.stringValue ?? excerpt(detail.jsonText) }
        return excerpt(trimmed)
    }

    /// The start of a long text, for messages that quote what a server sent.
    static func excerpt(_ text: String, limit: Int = 200) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "… (\(text.utf8.count) bytes)"
    }
}
