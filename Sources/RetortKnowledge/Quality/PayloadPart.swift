// Which text of a record payload a check reads, for the payload shapes of RecordKind
// (Records/KnowledgeRecord.swift): instruction, conversation, preference and rating.
import RetortJSON

public enum PayloadPart: Sendable, Hashable, CustomStringConvertible {
    /// "instruction", followed by "\n" and "input" when the payload has a non-empty input.
    case instruction
    /// The last assistant message of "messages"; for a preference payload, "chosen".
    case response
    /// Any top-level string field.
    case field(String)

    public var description: String {
        switch self {
        case .instruction: "instruction"
        case .response: "response (last assistant message)"
        case .field(let name): "string field \"\(name)\""
        }
    }

    /// The text of this part, or nil when the payload does not have it.
    public func text(in payload: JSONValue) -> String? {
        switch self {
        case .instruction:
            guard let instruction = payload["instruction"]?.stringValue else { return nil }
            if let input = payload["input"]?.stringValue, !input.isEmpty { return instruction + "\n" + input }
            return instruction
        case .response:
            if let messages = payload["messages"]?.arrayValue {
                return messages.last { $0["role"]?.stringValue == "assistant" }?["content"]?.stringValue
            }
            return payload["chosen"]?.stringValue
        case .field(let name):
            return payload[name]?.stringValue
        }
    }
}
