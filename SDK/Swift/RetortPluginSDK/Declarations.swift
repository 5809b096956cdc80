// The items a Swift plugin declares, one struct per extension kind of retort.h. Each carries the
// descriptive fields of that extension's `list` JSON and, where the extension computes, a closure.

public enum TemplateRole: String, Sendable {
    case system, user, assistant
}

/// A Mustache prompt template (retort.templates.v1).
public struct Template: Sendable {
    public var name: String
    public var role: TemplateRole
    public var strategy: String
    public var slots: [String]
    public var text: String
    public var description: String?

    public init(name: String, role: TemplateRole, strategy: String, slots: [String], text: String,
                description: String? = nil) {
        self.name = name
        self.role = role
        self.strategy = strategy
        self.slots = slots
        self.text = text
        self.description = description
    }
}

/// Teacher output → records (retort.parser.v1). Throw `PluginFailure.parse(reason)` to reject.
public struct Parser: Sendable {
    public typealias Parse = @Sendable (_ teacherOutput: String, _ context: JSONValue) throws -> [JSONValue]
    public var name: String
    public var description: String
    public var yields: [String]
    public var method: String
    public var parse: Parse

    public init(name: String, description: String, yields: [String], method: String, parse: @escaping Parse) {
        self.name = name
        self.description = description
        self.yields = yields
        self.method = method
        self.parse = parse
    }
}

/// The verdict of a filter on one record.
public struct Verdict: Sendable {
    public var keep: Bool
    public var score: Double
    public var reason: String?

    public static func keep(score: Double = .nan) -> Verdict { Verdict(keep: true, score: score, reason: nil) }
    public static func reject(_ reason: String, score: Double = .nan) -> Verdict {
        Verdict(keep: false, score: score, reason: reason)
    }
}

/// Keep or reject one record (retort.filter.v1).
public struct Filter: Sendable {
    public typealias Apply = @Sendable (_ record: JSONValue, _ context: JSONValue) throws -> Verdict
    public var name: String
    public var description: String
    public var method: String
    public var apply: Apply

    public init(name: String, description: String, method: String, apply: @escaping Apply) {
        self.name = name
        self.description = description
        self.method = method
        self.apply = apply
    }
}

/// Scores a prediction (retort.evaluator.v1); returns metric name → value.
public struct Evaluator: Sendable {
    public typealias Evaluate = @Sendable (_ prompt: String, _ reference: String, _ prediction: String) throws
        -> [String: Double]
    public var name: String
    public var description: String
    public var metrics: [String]
    public var higherIsBetter: Bool
    public var evaluate: Evaluate

    public init(name: String, description: String, metrics: [String], higherIsBetter: Bool = true,
                evaluate: @escaping Evaluate) {
        self.name = name
        self.description = description
        self.metrics = metrics
        self.higherIsBetter = higherIsBetter
        self.evaluate = evaluate
    }
}

/// Metadata of a native tool (retort.tools.v1). The function itself is exported by the plugin
/// with `@_cdecl(symbol)` and called by the host through libffi.
public struct Tool: Sendable {
    public var name: String
    public var description: String
    public var parameters: JSONValue
    public var signature: String
    public var symbol: String

    public init(name: String, description: String, parameters: JSONValue, signature: String, symbol: String) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.signature = signature
        self.symbol = symbol
    }
}

/// Seed knowledge (retort.seeds.v1): inline items or a JSON Lines file in the plugin folder.
public struct SeedSet: Sendable {
    public enum Source: Sendable {
        case items([JSONValue])
        case path(String)
    }
    public var name: String
    public var kind: String
    public var source: Source
    public var description: String?

    public init(name: String, kind: String, source: Source, description: String? = nil) {
        self.name = name
        self.kind = kind
        self.source = source
        self.description = description
    }
}
