// Reads a Messages API answer: the text blocks joined (thinking and tool-use blocks are not
// text), stop_reason in the teachers' words (end_turn and stop_sequence → "stop", max_tokens →
// "length", anything else as sent), and usage in input/output tokens.
import RetortJSON

enum AnthropicMessagesResponse {
    static func parse(_ body: String, fallbackModel: String) throws(TeacherError) -> TeacherResponse {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: body)
        } catch {
            throw .malformedResponse("\(error.message); the answer begins: \(ServerErrorMessage.excerpt(body))")
        }
        if json["type"]?.stringValue == "error" {
            throw .malformedResponse("the server answered 200 with an error: \(ServerErrorMessage.extract(from: body))")
        }
        guard let blocks = json["content"]?.arrayValue else {
            throw .malformedResponse("the answer has no \"content\" list; it begins: \(ServerErrorMessage.excerpt(body))")
        }
        var text = ""
        for (i, block) in blocks.enumerated() where block["type"]?.stringValue == "text" {
            guard let piece = block["text"]?.stringValue else { throw .malformedResponse("content block \(i) has no string \"text\"") }
            text += piece
        }
        let usage = TokenUsage(promptTokens: count(json["usage"]?["input_tokens"]),
                               completionTokens: count(json["usage"]?["output_tokens"]))
        let choice = TeacherChoice(text: text, finishReason: finishReason(json["stop_reason"]?.stringValue))
        return TeacherResponse(choices: [choice], usage: usage, model: json["model"]?.stringValue ?? fallbackModel)
    }

    static func finishReason(_ stopReason: String?) -> String {
        switch stopReason {
        case "end_turn", "stop_sequence": "stop"
        case "max_tokens": "length"
        case let other?: other
        case nil: "unknown"
        }
    }

    private static func count(_ value: JSONValue?) -> Int {
        guard let n = value?.doubleValue, n.isFinite, n >= 0, n < 1e15 else { return 0 }
        return Int(n)
    }
}
