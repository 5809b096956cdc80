// A preference pair (a prompt, a chosen and a rejected answer) as DPO-style objectives consume it,
// in its two written forms: a `preference` record's payload, and a line of TRL's preference JSONL.
// Retort writes TRL's conversational form, which keeps system prompts and earlier turns:
//     {"prompt": [{"role", "content"}…], "chosen": [{"role": "assistant", …}], "rejected": [{…}]}
// and reads that or TRL's standard form, where all three are strings.
import Foundation
import RetortJSON
import RetortTeachers

public struct PreferencePairError: Error, LocalizedError, Sendable, Equatable {
    public let message: String
    public var errorDescription: String? { message }
}

public struct PreferencePair: Sendable, Hashable {
    public var prompt: [ChatMessage]
    public var chosen: String
    public var rejected: String

    public init(prompt: [ChatMessage], chosen: String, rejected: String) {
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
    }

    /// Reads a `preference` record: {"prompt": [messages], "chosen": String, "rejected": String}.
    public init(recordPayload payload: JSONValue) throws(PreferencePairError) {
        try self.init(json: payload, answers: { value, field throws(PreferencePairError) in
            guard let text = value?.stringValue else { throw PreferencePairError(message: "\"\(field)\" must be a string") }
            return text
        })
    }

    /// Reads one TRL preference row, conversational or standard.
    public init(trlJSON json: JSONValue) throws(PreferencePairError) {
        try self.init(json: json, answers: { value, field throws(PreferencePairError) in
            switch value {
            case .string(let text)?:
                return text
            case .array(let messages)? where messages.count == 1:
                guard messages[0]["role"] == "assistant", let text = messages[0]["content"]?.stringValue else {
                    throw PreferencePairError(message: "\"\(field)\" must hold one assistant message with string content")
                }
                return text
            default:
                throw PreferencePairError(message: "\"\(field)\" must be a string or a list of one assistant message")
            }
        })
    }

    private init(json: JSONValue, answers: (JSONValue?, String) throws(PreferencePairError) -> String) throws(PreferencePairError) {
        guard case .object = json else { throw PreferencePairError(message: "a preference pair is a JSON object, found \(json.typeName)") }
        switch json["prompt"] {
        case .string(let text)?:
            prompt = [ChatMessage(role: "user", text: text)]
        case .array(let items)? where !items.isEmpty:
            var messages: [ChatMessage] = []
            for item in items {
                do {
                    messages.append(try ChatMessage(json: item))
                } catch {
                    throw PreferencePairError(message: "a \"prompt\" message is malformed: \(Self.detail(error))")
                }
            }
            prompt = messages
        default:
            throw PreferencePairError(message: "\"prompt\" must be a string or a non-empty list of messages")
        }
        chosen = try answers(json["chosen"], "chosen")
        rejected = try answers(json["rejected"], "rejected")
    }

    /// TRL's conversational preference row.
    public var trlJSON: JSONValue {
        ["prompt": .array(prompt.map(\.json)),
         "chosen": [["role": "assistant", "content": .string(chosen)]],
         "rejected": [["role": "assistant", "content": .string(rejected)]]]
    }

    /// Reads a preference JSONL file (blank lines allowed); errors name the file and line.
    public static func readJSONL(path: String) throws -> [PreferencePair] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PreferencePairError(message: "\(path): cannot read it as UTF-8 text (\(error.localizedDescription))")
        }
        var pairs: [PreferencePair] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            do {
                pairs.append(try PreferencePair(trlJSON: try JSONValue(parsing: String(line))))
            } catch {
                throw PreferencePairError(message: "\(path):\(index + 1): \(Self.detail(error))")
            }
        }
        return pairs
    }

    /// The message of a JSON or chat-message error without the "invalid teacher request" framing.
    private static func detail(_ error: any Error) -> String {
        switch error {
        case let e as TeacherError:
            if case .invalidRequest(let m) = e { return m }
            return e.localizedDescription
        case let e as JSONTextError: return e.message
        case let e as PreferencePairError: return e.message
        default: return error.localizedDescription
        }
    }
}
