// Where a stage's inputs come from: a plugin's seed set, the kept records of an earlier stage, or
// a JSONL dataset file. Every item gets a stable id, which names the stage's units of work.
import Foundation
import RetortHost
import RetortJSON

public enum InputSource: Sendable, Hashable {
    /// A seed set of the stage's plugin, e.g. `tasks`.
    case seeds(String)
    /// Kept records of an earlier stage of the same run.
    case stage(String)
    /// A JSONL file: one object per line with at least `instruction` (or `messages`).
    case file(String)

    public var description: String {
        switch self {
        case .seeds(let name): "seeds \(name)"
        case .stage(let name): "stage \(name)"
        case .file(let path): "file \(path)"
        }
    }
}

/// One input: a stable id and its fields (`instruction`, `input`, `output`, `answer`, `messages`,
/// `response`, `topic`, `knowledge`…).
public struct InputItem: Sendable, Hashable {
    public var id: String
    public var fields: [String: JSONValue]

    public init(id: String, fields: [String: JSONValue]) {
        self.id = id
        self.fields = fields
    }

    public func string(_ key: String) -> String? { fields[key]?.stringValue }

    /// The task text: `instruction`, else the first user message.
    public var instruction: String? {
        if let text = string("instruction") { return text }
        return messages?.first { $0["role"]?.stringValue == "user" }?["content"]?.stringValue
    }

    public var messages: [JSONValue]? { fields["messages"]?.arrayValue }
}

public struct InputError: Error, LocalizedError, Sendable {
    public let message: String
    public var errorDescription: String? { message }
}

extension InputSource {
    /// Loads the items. Seeds and files must carry what the strategy needs; missing fields are
    /// reported with the item's id (and line for files).
    public func load(plugin: LoadedPlugin, sink: any KnowledgeSink) throws -> [InputItem] {
        switch self {
        case .seeds(let name):
            let values = try plugin.seedItems(name)
            return try values.enumerated().map { index, value in
                guard let object = value.objectValue else {
                    throw InputError(message: "\(plugin.id).\(name) item \(index + 1) is \(value.typeName), expected an object")
                }
                let id = object["id"]?.stringValue ?? "\(name)-\(index + 1)"
                return InputItem(id: id, fields: object)
            }
        case .stage(let stage):
            return try sink.records(stage: stage, kind: nil).map(Self.item)
        case .file(let path):
            return try Self.readJSONL(path)
        }
    }

    static func item(from record: KnowledgeRecord) -> InputItem {
        var fields = record.payload.objectValue ?? [:]
        if let messages = fields["messages"]?.arrayValue {
            if fields["instruction"] == nil,
               let user = messages.first(where: { $0["role"]?.stringValue == "user" })?["content"] {
                fields["instruction"] = user
            }
            if let last = messages.last, last["role"]?.stringValue == "assistant" { fields["response"] = last["content"] }
        }
        return InputItem(id: record.key, fields: fields)
    }

    static func readJSONL(_ path: String) throws -> [InputItem] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(message: "\(path): cannot read the dataset file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(message: "\(path): not valid UTF-8 text; datasets are UTF-8 JSONL")
        }
        var items: [InputItem] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let value: JSONValue
            do { value = try JSONValue(parsing: trimmed) } catch {
                throw InputError(message: "\(path):\(index + 1): \(error.message)")
            }
            guard let object = value.objectValue else {
                throw InputError(message: "\(path):\(index + 1): expected a JSON object per line, found \(value.typeName)")
            }
            let item = InputItem(id: object["id"]?.stringValue ?? "line-\(index + 1)", fields: object)
            guard item.instruction != nil else {
                throw InputError(message: "\(path):\(index + 1): the object needs \"instruction\" or \"messages\" with a user turn")
            }
            items.append(item)
        }
        return items
    }
}
