// Reading the fields of one item of an extension's `list` JSON, collecting every problem so a
// plugin author sees all of them at once ("item 2 (\"qa\"): missing field \"slots\"").
import RetortJSON

struct DescriptorFields {
    let members: [String: JSONValue]
    private(set) var problems: [String] = []

    init(_ value: JSONValue, problems: inout [String], index: Int) {
        members = value.objectValue ?? [:]
        if value.objectValue == nil { problems.append("item \(index) must be an object, found \(value.typeName)") }
    }

    mutating func string(_ key: String) -> String {
        guard let value = members[key] else {
            problems.append("missing field \"\(key)\"")
            return ""
        }
        guard let s = value.stringValue, !s.isEmpty else {
            problems.append("field \"\(key)\" must be a non-empty string, found \(value.typeName)")
            return ""
        }
        return s
    }

    mutating func appendProblem(_ problem: String) { problems.append(problem) }

    func optionalString(_ key: String) -> String? { members[key]?.stringValue }

    mutating func strings(_ key: String) -> [String] {
        guard let value = members[key] else {
            problems.append("missing field \"\(key)\"")
            return []
        }
        guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
            problems.append("field \"\(key)\" must be an array of strings")
            return []
        }
        return items.compactMap(\.stringValue)
    }
}

/// Decodes every item of a `list` result, failing with all problems named by item.
func decodeDescriptors<T>(_ json: JSONValue, _ decode: (inout DescriptorFields) -> T) throws(DescriptorError) -> [T] {
    guard let items = json.arrayValue else {
        throw DescriptorError("expected a JSON array, found \(json.typeName)")
    }
    var results: [T] = []
    var problems: [String] = []
    var seen: Set<String> = []
    for (index, item) in items.enumerated() {
        var itemProblems: [String] = []
        var fields = DescriptorFields(item, problems: &itemProblems, index: index)
        let result = decode(&fields)
        itemProblems += fields.problems
        let name = fields.members["name"]?.stringValue ?? ""
        if !name.isEmpty, !seen.insert(name).inserted { itemProblems.append("name \"\(name)\" is used twice") }
        if itemProblems.isEmpty {
            results.append(result)
        } else {
            let label = name.isEmpty ? "item \(index)" : "item \(index) (\"\(name)\")"
            problems.append("\(label): " + itemProblems.joined(separator: ", "))
        }
    }
    if !problems.isEmpty { throw DescriptorError(problems.joined(separator: "; ")) }
    return results
}

public struct DescriptorError: Error, Sendable {
    public let message: String
    init(_ message: String) { self.message = message }
}
