import struct RetortDistill.ObjectiveRegistry
// What the CLI shows about plugins: a summary per plugin for `plugins list`, the full contents
// for `plugins inspect` and `plugins validate`, and native tool calls for `tools call`.
import RetortHost
import RetortJSON

public struct PluginSummary: Sendable, Equatable {
    public let id: String
    public let kind: String
    public let name: String
    public let version: String
    public let description: String
    public let path: String
    public let abiVersion: String
    public let extensions: [String]

    public var json: JSONValue {
        ["id": .string(id), "kind": .string(kind), "name": .string(name), "version": .string(version),
         "description": .string(description), "path": .string(path), "abi": .string(abiVersion),
         "extensions": .array(extensions.map { .string($0) })]
    }
}

public struct PluginDetails: Sendable {
    public let summary: PluginSummary
    public let manifest: JSONValue
    public let templates: [TemplateDescriptor]
    public let parsers: [ParserDescriptor]
    public let filters: [FilterDescriptor]
    public let evaluators: [EvaluatorDescriptor]
    public let objectives: [ObjectiveDescriptor]
    public let tools: [ToolDescriptor]
    public let seeds: [SeedDescriptor]

    /// The elicitation strategies the manifest says the plugin serves (`provides.strategies`).
    public var strategies: [String] {
        manifest["provides"]?["strategies"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Where a recommended objective comes from.
    public enum ObjectiveOrigin: String, Sendable {
        case builtIn = "built in"
        case plugin = "this plugin's, through retort.objective.v1"
        case unknown = "unknown to this Retort"
    }

    /// The objective mixture the plugin recommends for its skill (`provides.recommended_objectives`),
    /// built-in objectives or its own; entries without a name are left out.
    public var recommendedObjectives: [(name: String, weight: Double, origin: ObjectiveOrigin)] {
        let own = Set(objectives.map(\.name)), builtIn = Set(ObjectiveRegistry.builtIn.names)
        return (manifest["provides"]?["recommended_objectives"]?.arrayValue ?? []).compactMap { item in
            guard let name = item["name"]?.stringValue, !name.isEmpty else { return nil }
            let origin: ObjectiveOrigin = own.contains(name) ? .plugin : builtIn.contains(name) ? .builtIn : .unknown
            return (name, item["weight"]?.doubleValue ?? 1, origin)
        }
    }

    public var json: JSONValue {
        var object = summary.json.objectValue ?? [:]
        object["manifest"] = manifest
        object["templates"] = .array(templates.map {
            ["name": .string($0.name), "role": .string($0.role), "strategy": .string($0.strategy),
             "slots": .array($0.slots.map { .string($0) }), "template": .string($0.text)]
        })
        object["parsers"] = .array(parsers.map {
            ["name": .string($0.name), "description": .string($0.description), "method": .string($0.method),
             "yields": .array($0.yields.map { .string($0) })]
        })
        object["filters"] = .array(filters.map {
            ["name": .string($0.name), "description": .string($0.description), "method": .string($0.method)]
        })
        object["evaluators"] = .array(evaluators.map {
            ["name": .string($0.name), "description": .string($0.description),
             "metrics": .array($0.metrics.map { .string($0) }), "higher_is_better": .bool($0.higherIsBetter)]
        })
        object["objectives"] = .array(objectives.map {
            ["name": .string($0.name), "level": .string($0.level.rawValue), "description": .string($0.description),
             "parameters": .object($0.parameters.mapValues { .number($0) })]
        })
        object["tools"] = .array(tools.map {
            ["name": .string($0.name), "description": .string($0.description), "signature": .string($0.signature.description),
             "symbol": .string($0.symbol), "parameters": $0.parameters]
        })
        object["seeds"] = .array(seeds.map { seed in
            var members: [String: JSONValue] = ["name": .string(seed.name), "kind": .string(seed.kind)]
            switch seed.source {
            case .items(let items): members["items"] = .number(Double(items.count))
            case .path(let path): members["path"] = .string(path)
            }
            return .object(members)
        })
        return .object(object)
    }
}

/// The plugins found on a search path, with the libraries that failed to load.
public struct PluginCatalog: Sendable {
    public let registry: PluginRegistry
    public var failures: [PluginLoadError] { registry.failures }

    /// Loads every plugin on the search path (see PluginDiscovery for the order).
    public init(pluginPath: [String]) {
        registry = PluginRegistry()
        registry.load(searchPath: PluginDiscovery.searchPath(explicit: pluginPath))
    }

    public var summaries: [PluginSummary] { registry.plugins.map(Self.summary) }

    public func details(id: String) throws -> PluginDetails {
        Self.details(try registry.plugin(id: id))
    }

    /// Loads one library on its own and returns what it offers, or the reason it is invalid.
    public static func validate(path: String) throws(PluginLoadError) -> PluginDetails {
        details(try PluginRegistry().load(file: path))
    }

    /// Calls "<plugin-id>.<tool>" with JSON arguments text.
    public func callTool(_ qualifiedName: String, argumentsJSON: String) throws -> JSONValue {
        let arguments: JSONValue
        do { arguments = try JSONValue(parsing: argumentsJSON) } catch {
            throw RegistryError("--args is \(error.message)")
        }
        return try registry.callTool(qualifiedName, arguments: arguments)
    }

    static func summary(_ plugin: LoadedPlugin) -> PluginSummary {
        PluginSummary(id: plugin.id, kind: plugin.manifest.kind.rawValue, name: plugin.manifest.name,
                      version: plugin.manifest.version, description: plugin.manifest.description, path: plugin.path,
                      abiVersion: plugin.abiVersion, extensions: plugin.extensionIDs)
    }

    static func details(_ plugin: LoadedPlugin) -> PluginDetails {
        PluginDetails(summary: summary(plugin), manifest: plugin.manifest.raw, templates: plugin.templates.map(\.descriptor),
                      parsers: plugin.parsers, filters: plugin.filters, evaluators: plugin.evaluators,
                      objectives: plugin.objectives, tools: plugin.tools, seeds: plugin.seeds)
    }
}
