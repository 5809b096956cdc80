// What a Swift plugin declares: its manifest and the templates, parsers, filters, evaluators,
// objectives, tools and seeds it offers. `export()` hands it to the C entry point; no Swift type
// ever crosses the C ABI.
@_exported import RetortJSON

public enum PluginKind: String, Sendable {
    case skill
    case vertical
}

public struct Plugin: Sendable {
    public var id: String
    public var kind: PluginKind
    public var name: String
    public var version: String
    public var description: String
    /// Extra manifest fields ("provides", "license", …), merged into the manifest JSON.
    public var extraManifest: [String: JSONValue]
    public var templates: [Template]
    public var parsers: [Parser]
    public var filters: [Filter]
    public var evaluators: [Evaluator]
    public var objectives: [Objective]
    public var tools: [Tool]
    public var seeds: [SeedSet]
    /// Extensions are thread-safe unless a plugin says otherwise (the host then serializes).
    public var threadSafe: Bool

    public init(
        id: String, kind: PluginKind, name: String, version: String, description: String,
        extraManifest: [String: JSONValue] = [:], templates: [Template] = [], parsers: [Parser] = [],
        filters: [Filter] = [], evaluators: [Evaluator] = [], objectives: [Objective] = [],
        tools: [Tool] = [], seeds: [SeedSet] = [], threadSafe: Bool = true
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.version = version
        self.description = description
        self.extraManifest = extraManifest
        self.templates = templates
        self.parsers = parsers
        self.filters = filters
        self.evaluators = evaluators
        self.objectives = objectives
        self.tools = tools
        self.seeds = seeds
        self.threadSafe = threadSafe
    }

    /// The manifest JSON of `retort.describe.v1`.
    var manifest: JSONValue {
        var members = extraManifest
        members["id"] = .string(id)
        members["kind"] = .string(kind.rawValue)
        members["name"] = .string(name)
        members["version"] = .string(version)
        members["description"] = .string(description)
        return .object(members)
    }

    /// Returns the opaque pointer your `retort_swift_plugin` function hands to the SDK:
    ///
    ///     @_cdecl("retort_swift_plugin")
    ///     public func retortSwiftPlugin() -> UnsafeRawPointer { plugin.export() }
    public func export() -> UnsafeRawPointer {
        UnsafeRawPointer(Unmanaged.passRetained(PluginBox(self)).toOpaque())
    }
}

/// Carries the definition from `export()` to the SDK's `init`, inside the same library.
final class PluginBox: Sendable {
    let plugin: Plugin
    init(_ plugin: Plugin) { self.plugin = plugin }
}
