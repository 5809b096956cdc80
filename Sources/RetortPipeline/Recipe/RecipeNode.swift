// A YAML node with its place in the recipe (file, line, field path), and typed readers whose
// errors say where and what was expected. Unknown keys are errors: a typo must not be ignored.
import Foundation
import RetortJSON
import Yams

// Yams' Node is an immutable value tree that does not declare Sendable.
public struct RecipeNode: @unchecked Sendable {
    let node: Node
    let file: String
    /// Dotted field path from the document root.
    public let path: String

    init(node: Node, file: String, path: String) {
        self.node = node
        self.file = file
        self.path = path
    }

    /// Parses YAML text; syntax errors carry the line and column libyaml reported.
    public static func parse(_ text: String, file: String) throws(RecipeError) -> RecipeNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file)
        } catch {
            throw RecipeError(file: file, line: nil, column: nil, field: "", message: "not valid YAML: \(error)")
        }
        guard let root else { throw RecipeError(file: file, line: nil, column: nil, field: "", message: "the recipe is empty") }
        return RecipeNode(node: root, file: file, path: "")
    }

    private static func syntaxError(_ error: YamlError, file: String) -> RecipeError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return RecipeError(file: file, line: mark.line, column: mark.column, field: "", message: "YAML syntax: \(problem)")
        case .composer(_, let problem, let mark, _):
            return RecipeError(file: file, line: mark.line, column: mark.column, field: "", message: "YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return RecipeError(file: file, line: context.mark.line, column: context.mark.column, field: "",
                               message: "duplicated field \(duplicates.joined(separator: ", ")) in one mapping")
        default:
            return RecipeError(file: file, line: nil, column: nil, field: "", message: "not valid YAML: \(error)")
        }
    }

    public var line: Int? { node.mark?.line }

    public func error(_ message: String) -> RecipeError {
        RecipeError(file: file, line: node.mark?.line, column: node.mark?.column, field: path, message: message)
    }

    private func child(_ node: Node, key: String) -> RecipeNode {
        RecipeNode(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    private var kindName: String {
        switch node {
        case .scalar(let s): s.string.isEmpty ? "an empty value" : "\"\(s.string)\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    // MARK: mappings

    /// The node's key → value pairs, after checking every key is one of `allowed`.
    public func mapping(allowed: Set<String>) throws(RecipeError) -> RecipeMapping {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of fields, found \(kindName)") }
        var values: [String: RecipeNode] = [:]
        var order: [String] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { throw error("field names must be strings") }
            let value = child(valueNode, key: key)
            guard allowed.contains(key) else {
                let hint = allowed.sorted().joined(separator: ", ")
                throw RecipeError(file: file, line: keyNode.mark?.line, column: keyNode.mark?.column, field: value.path,
                                  message: "unknown field; expected one of: \(hint)")
            }
            values[key] = value
            order.append(key)
        }
        return RecipeMapping(owner: self, values: values, order: order)
    }

    // MARK: scalars and lists

    public func string() throws(RecipeError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a string, found \(kindName)") }
        return scalar.string
    }

    public func int() throws(RecipeError) -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string.replacingOccurrences(of: "_", with: "")) else {
            throw error("expected an integer, found \(kindName)")
        }
        return value
    }

    public func double() throws(RecipeError) -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string.replacingOccurrences(of: "_", with: "")),
              value.isFinite
        else { throw error("expected a number, found \(kindName)") }
        return value
    }

    public func bool() throws(RecipeError) -> Bool {
        guard case .scalar(let scalar) = node else { throw error("expected true or false, found \(kindName)") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, found \(kindName)")
        }
    }

    public func list() throws(RecipeError) -> [RecipeNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(kindName)") }
        return sequence.enumerated().map { index, item in
            RecipeNode(node: item, file: file, path: "\(path)[\(index)]")
        }
    }

    /// A string or a list of strings.
    public func strings() throws(RecipeError) -> [String] {
        if case .scalar = node { return [try string()] }
        var values: [String] = []
        for item in try list() { values.append(try item.string()) }
        return values
    }

    /// The node as JSON (scalars typed by YAML's core schema), for free-form blocks.
    public func json() throws(RecipeError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if let b = node.bool { return .bool(b) }
                if let i = node.int { return .number(Double(i)) }
                if let d = node.float { return .number(d) }
                if node.null != nil { return .null }
            }
            return .string(scalar.string)
        case .sequence:
            var items: [JSONValue] = []
            for item in try list() { items.append(try item.json()) }
            return .array(items)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (keyNode, valueNode) in mapping {
                guard let key = keyNode.string else { throw error("field names must be strings") }
                members[key] = try child(valueNode, key: key).json()
            }
            return .object(members)
        case .alias:
            throw error("YAML aliases are not supported in recipes")
        }
    }
}

/// The checked fields of one mapping.
public struct RecipeMapping: Sendable {
    public let owner: RecipeNode
    let values: [String: RecipeNode]
    /// Keys in document order.
    public let order: [String]

    public subscript(key: String) -> RecipeNode? { values[key] }

    public func required(_ key: String) throws(RecipeError) -> RecipeNode {
        guard let value = values[key] else { throw owner.error("missing required field `\(key)`") }
        return value
    }

    public func string(_ key: String) throws(RecipeError) -> String { try required(key).string() }
    public func optionalString(_ key: String) throws(RecipeError) -> String? { try values[key]?.string() }
    public func optionalInt(_ key: String) throws(RecipeError) -> Int? { try values[key]?.int() }
    public func optionalDouble(_ key: String) throws(RecipeError) -> Double? { try values[key]?.double() }
    public func optionalBool(_ key: String) throws(RecipeError) -> Bool? { try values[key]?.bool() }
    public func strings(_ key: String) throws(RecipeError) -> [String] { try values[key]?.strings() ?? [] }

    /// An integer that must lie in `range`.
    public func int(_ key: String, default value: Int, in range: ClosedRange<Int>) throws(RecipeError) -> Int {
        guard let node = values[key] else { return value }
        let v = try node.int()
        guard range.contains(v) else { throw node.error("must be in \(range.lowerBound)…\(range.upperBound), got \(v)") }
        return v
    }

    public func double(_ key: String, default value: Double, in range: ClosedRange<Double>) throws(RecipeError) -> Double {
        guard let node = values[key] else { return value }
        let v = try node.double()
        guard range.contains(v) else { throw node.error("must be in \(range.lowerBound)…\(range.upperBound), got \(v)") }
        return v
    }

    /// A string that must be one of `choices`.
    public func choice(_ key: String, _ choices: [String], default value: String? = nil) throws(RecipeError) -> String {
        guard let node = values[key] else {
            if let value { return value }
            throw owner.error("missing required field `\(key)` (one of: \(choices.joined(separator: ", ")))")
        }
        let v = try node.string()
        guard choices.contains(v) else { throw node.error("unknown value \"\(v)\"; expected one of: \(choices.joined(separator: ", "))") }
        return v
    }
}
