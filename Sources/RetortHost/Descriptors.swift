// What a plugin declares in each extension's `list` (see retort.h): templates, parsers, filters,
// evaluators, objectives, tools and seeds, as validated Swift values.
import RetortJSON

public struct TemplateDescriptor: Sendable, Equatable {
    public let name: String
    public let role: String
    public let strategy: String
    public let slots: [String]
    public let text: String
    public let description: String?
}

public struct ParserDescriptor: Sendable, Equatable {
    public let name: String
    public let description: String
    public let yields: [String]
    public let method: String
}

public struct FilterDescriptor: Sendable, Equatable {
    public let name: String
    public let description: String
    public let method: String
}

public struct EvaluatorDescriptor: Sendable, Equatable {
    public let name: String
    public let description: String
    public let metrics: [String]
    public let higherIsBetter: Bool
}

public struct ObjectiveDescriptor: Sendable, Equatable {
    public enum Level: String, Sendable { case token, sequence }
    public let name: String
    public let level: Level
    public let description: String
    public let parameters: [String: Double]
}

public struct ToolDescriptor: Sendable, Equatable {
    public let name: String
    public let description: String
    public let parameters: JSONValue
    public let signature: ToolSignature
    public let symbol: String
}

public struct SeedDescriptor: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case items([JSONValue])
        /// Relative to the plugin's folder, as the plugin gave it.
        case path(String)
    }
    public let name: String
    public let kind: String
    public let source: Source
    public let description: String?
}

enum Decode {
    static let roles: Set<String> = ["system", "user", "assistant"]
    static let seedKinds: Set<String> = ["tasks", "topics", "documents", "eval", "images"]

    static func templates(_ json: JSONValue) throws(DescriptorError) -> [TemplateDescriptor] {
        try decodeDescriptors(json) { f in
            let d = TemplateDescriptor(
                name: f.string("name"), role: f.string("role"), strategy: f.string("strategy"),
                slots: f.strings("slots"), text: f.string("template"), description: f.optionalString("description"))
            if !d.role.isEmpty, !roles.contains(d.role) {
                f.appendProblem("role \"\(d.role)\" is unknown; expected system, user or assistant")
            }
            if !d.text.isEmpty {
                do throws(DescriptorError) {
                    try PromptTemplate.checkSlots(text: d.text, declared: d.slots)
                } catch {
                    f.appendProblem(error.message)
                }
            }
            return d
        }
    }

    static func parsers(_ json: JSONValue) throws(DescriptorError) -> [ParserDescriptor] {
        try decodeDescriptors(json) { f in
            ParserDescriptor(name: f.string("name"), description: f.string("description"),
                             yields: f.strings("yields"), method: f.string("method"))
        }
    }

    static func filters(_ json: JSONValue) throws(DescriptorError) -> [FilterDescriptor] {
        try decodeDescriptors(json) { f in
            FilterDescriptor(name: f.string("name"), description: f.string("description"), method: f.string("method"))
        }
    }

    static func evaluators(_ json: JSONValue) throws(DescriptorError) -> [EvaluatorDescriptor] {
        try decodeDescriptors(json) { f in
            EvaluatorDescriptor(name: f.string("name"), description: f.string("description"),
                                metrics: f.strings("metrics"),
                                higherIsBetter: f.members["higher_is_better"]?.boolValue ?? true)
        }
    }

    static func objectives(_ json: JSONValue) throws(DescriptorError) -> [ObjectiveDescriptor] {
        try decodeDescriptors(json) { f in
            let levelName = f.string("level")
            let level = ObjectiveDescriptor.Level(rawValue: levelName)
            if !levelName.isEmpty, level == nil {
                f.appendProblem("level \"\(levelName)\" is unknown; expected token or sequence")
            }
            var parameters: [String: Double] = [:]
            if let given = f.members["parameters"] {
                if let members = given.objectValue, members.values.allSatisfy({ $0.doubleValue != nil }) {
                    parameters = members.compactMapValues(\.doubleValue)
                } else {
                    f.appendProblem("field \"parameters\" must be an object of numbers")
                }
            }
            return ObjectiveDescriptor(name: f.string("name"), level: level ?? .token,
                                       description: f.string("description"), parameters: parameters)
        }
    }

    static func tools(_ json: JSONValue) throws(DescriptorError) -> [ToolDescriptor] {
        try decodeDescriptors(json) { f in
            let signatureText = f.string("signature")
            var signature = ToolSignature(returnType: .void, parameters: [])
            if !signatureText.isEmpty {
                do throws(DescriptorError) { signature = try ToolSignature(parsing: signatureText) } catch { f.appendProblem(error.message) }
            }
            let schema = f.members["parameters"] ?? .null
            if schema.objectValue == nil { f.appendProblem("field \"parameters\" must be a JSON Schema object") }
            let properties = schema["properties"]?.objectValue ?? [:]
            for parameter in signature.parameters where properties[parameter.name] == nil {
                f.appendProblem("signature parameter \"\(parameter.name)\" is not a property of the schema")
            }
            return ToolDescriptor(name: f.string("name"), description: f.string("description"),
                                  parameters: schema, signature: signature, symbol: f.string("symbol"))
        }
    }

    static func seeds(_ json: JSONValue) throws(DescriptorError) -> [SeedDescriptor] {
        try decodeDescriptors(json) { f in
            let kind = f.string("kind")
            if !kind.isEmpty, !seedKinds.contains(kind) {
                f.appendProblem("kind \"\(kind)\" is unknown; expected one of \(seedKinds.sorted())")
            }
            var source = SeedDescriptor.Source.items([])
            switch (f.members["items"], f.members["path"]) {
            case (let items?, nil):
                if let array = items.arrayValue { source = .items(array) } else {
                    f.appendProblem("field \"items\" must be an array")
                }
            case (nil, let path?):
                if let p = path.stringValue, !p.isEmpty, !p.hasPrefix("/"), !p.split(separator: "/").contains("..") {
                    source = .path(p)
                } else {
                    f.appendProblem("field \"path\" must be a relative path inside the plugin folder")
                }
            default:
                f.appendProblem("exactly one of \"items\" and \"path\" must be given")
            }
            return SeedDescriptor(name: f.string("name"), kind: kind, source: source,
                                  description: f.optionalString("description"))
        }
    }
}
