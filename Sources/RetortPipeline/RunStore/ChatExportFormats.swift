// One JSONL line per record in the layouts other trainers read. A record these layouts cannot
// express is skipped with a reason (counted in the export summary), never written half right:
//   messages   OpenAI chat fine-tuning: {"messages": […]} (+ "tools" when the record has them)
//   sharegpt   {"conversations": [{"from": "system|human|gpt|observation", "value": …}]}, text only
//   alpaca     {"instruction", "input", "output"} (+ "system") from single-turn conversations
//   preference TRL's conversational preference form (PreferencePair.swift)
import RetortJSON

/// Why a record was left out of an export.
struct ExportSkip: Error {
    let reason: String
}

enum ChatExportFormats {
    static func messagesLine(_ payload: JSONValue) throws(ExportSkip) -> JSONValue {
        let messages = try conversation(payload)
        var line: [String: JSONValue] = ["messages": .array(messages)]
        if let tools = payload["tools"], case .array = tools { line["tools"] = tools }
        return .object(line)
    }

    static func shareGPTLine(_ payload: JSONValue) throws(ExportSkip) -> JSONValue {
        let turns = try conversation(payload).map { message throws(ExportSkip) -> JSONValue in
            let role = message["role"]!.stringValue!
            guard let from = shareGPTNames[role] else {
                throw ExportSkip(reason: "role '\(role)' has no ShareGPT name")
            }
            return ["from": .string(from), "value": .string(try text(of: message))]
        }
        return ["conversations": .array(turns)]
    }

    /// LLaMA-Factory's names for the ShareGPT "from" field.
    static let shareGPTNames = ["system": "system", "user": "human", "assistant": "gpt", "tool": "observation"]

    /// Only an exchange of one instruction and one answer fits Alpaca's columns. Instruction
    /// records (expansion output without an answer yet) are not exported: a row with an empty
    /// output would teach the student to answer nothing.
    static func alpacaLine(_ payload: JSONValue) throws(ExportSkip) -> JSONValue {
        var messages = try conversation(payload)
        var system: String?
        if messages.first?["role"] == "system" { system = try text(of: messages.removeFirst()) }
        guard messages.count == 2, messages[0]["role"] == "user", messages[1]["role"] == "assistant" else {
            throw ExportSkip(reason: "not a single-turn conversation (Alpaca holds one instruction and one answer)")
        }
        var line: [String: JSONValue] = [
            "instruction": .string(try text(of: messages[0])), "input": "", "output": .string(try text(of: messages[1])),
        ]
        if let system { line["system"] = .string(system) }
        return .object(line)
    }

    static func preferenceLine(_ payload: JSONValue) throws(ExportSkip) -> JSONValue {
        do {
            return try PreferencePair(recordPayload: payload).trlJSON
        } catch {
            throw ExportSkip(reason: error.message)
        }
    }

    // MARK: - Reading payloads

    /// The payload's messages, each an object with a string role.
    static func conversation(_ payload: JSONValue) throws(ExportSkip) -> [JSONValue] {
        guard let messages = payload["messages"]?.arrayValue, !messages.isEmpty else {
            throw ExportSkip(reason: "the payload has no \"messages\" list")
        }
        for message in messages where message["role"]?.stringValue == nil {
            throw ExportSkip(reason: "a message has no string \"role\"")
        }
        return messages
    }

    /// A message's content as plain text: a string, or a list of text parts.
    static func text(of message: JSONValue) throws(ExportSkip) -> String {
        if message["tool_calls"] != nil && message["tool_calls"] != .null {
            throw ExportSkip(reason: "has tool calls, which this layout cannot hold (export as messages)")
        }
        switch message["content"] {
        case .string(let text)?:
            return text
        case .array(let parts)?:
            var text = ""
            for part in parts {
                guard part["type"] == "text", let piece = part["text"]?.stringValue else {
                    throw ExportSkip(reason: "has non-text content (images), which this layout cannot hold (export as messages)")
                }
                text += piece
            }
            return text
        default:
            throw ExportSkip(reason: "a message has no text content")
        }
    }
}
