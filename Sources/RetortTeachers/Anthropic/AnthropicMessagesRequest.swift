// The body of POST /v1/messages for a TeacherRequest. System messages move to the top-level
// `system` text, images become `image` blocks (base64 from data: URLs, by URL otherwise), stop
// strings become `stop_sequences`. What the API cannot express is refused here, before sending:
// log-probabilities, min_p, repetition_penalty, temperatures above 1, roles other than
// user/assistant. The seed is not sent: the API has none.
import Foundation
import RetortJSON

enum AnthropicMessagesRequest {
    static func body(for request: TeacherRequest, model: String) throws(TeacherError) -> String {
        let sampling = request.sampling
        if request.topLogprobs != nil {
            throw .unsupported("the Anthropic Messages API gives no log-probabilities; drop top_logprobs or use an OpenAI-compatible or local teacher")
        }
        if sampling.minP != nil { throw .unsupported("the Anthropic Messages API has no min_p") }
        if sampling.repetitionPenalty != nil { throw .unsupported("the Anthropic Messages API has no repetition_penalty") }
        if sampling.temperature > 1 {
            throw .invalidRequest("Anthropic accepts temperature in 0…1, got \(sampling.temperature)")
        }
        var system: [String] = []
        var messages: [JSONValue] = []
        for (i, message) in request.messages.enumerated() {
            switch message.role {
            case "system":
                if message.hasImages { throw .invalidRequest("message \(i): a system message cannot hold images for Anthropic") }
                system.append(message.text)
            case "user", "assistant":
                messages.append(["role": .string(message.role), "content": try content(of: message, index: i)])
            default:
                throw .invalidRequest("message \(i): Anthropic takes roles user and assistant (and system, sent apart), not \"\(message.role)\"")
            }
        }
        if messages.isEmpty { throw .invalidRequest("Anthropic needs at least one user message besides the system text") }
        var object: [String: JSONValue] = [
            "model": .string(model), "max_tokens": .number(Double(request.maxTokens)),
            "messages": .array(messages), "temperature": .number(sampling.temperature),
        ]
        if !system.isEmpty { object["system"] = .string(system.joined(separator: "\n\n")) }
        // Some models refuse temperature and top_p together: top_p goes only when it restricts.
        if sampling.topP < 1 { object["top_p"] = .number(sampling.topP) }
        if let k = sampling.topK { object["top_k"] = .number(Double(k)) }
        if !request.stop.isEmpty { object["stop_sequences"] = .array(request.stop.map { .string($0) }) }
        return JSONValue.object(object).jsonText
    }

    private static func content(of message: ChatMessage, index: Int) throws(TeacherError) -> JSONValue {
        if !message.hasImages { return .string(message.text) }
        var blocks: [JSONValue] = []
        for part in message.parts {
            switch part {
            case .text(let text): blocks.append(["type": "text", "text": .string(text)])
            case .imageURL(let url): blocks.append(["type": "image", "source": try imageSource(url, index: index)])
            }
        }
        return .array(blocks)
    }

    static let mediaTypes: Set<String> = ["image/jpeg", "image/png", "image/gif", "image/webp"]

    /// `data:image/png;base64,…` → a base64 source; http(s) URLs → a URL source.
    static func imageSource(_ url: String, index: Int) throws(TeacherError) -> JSONValue {
        let lower = url.lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") { return ["type": "url", "url": .string(url)] }
        guard lower.hasPrefix("data:"), let comma = url.firstIndex(of: ",") else {
            throw .invalidRequest("message \(index): an image must be a data: URL or an http(s) URL, got \"\(url.prefix(40))…\"")
        }
        let header = url[url.index(url.startIndex, offsetBy: 5)..<comma].lowercased()
        let fields = header.split(separator: ";").map(String.init)
        guard fields.last == "base64", let mediaType = fields.first, mediaTypes.contains(mediaType) else {
            throw .invalidRequest(
                "message \(index): Anthropic takes base64 data: URLs of \(mediaTypes.sorted().joined(separator: ", ")), got \"data:\(header)\"")
        }
        let data = String(url[url.index(after: comma)...])
        if Data(base64Encoded: data) == nil {
            throw .invalidRequest("message \(index): the image's data: URL does not hold valid base64")
        }
        return ["type": "base64", "media_type": .string(mediaType), "data": .string(data)]
    }
}
