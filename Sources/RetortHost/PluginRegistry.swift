// The registry of loaded plugins and of everything they offer, addressed by qualified names
// "plugin-id.item-name". Loading collects one error per bad library and goes on with the rest.
import Foundation
import RetortJSON

public final class PluginRegistry: @unchecked Sendable {
    public private(set) var plugins: [LoadedPlugin] = []
    /// One entry per library that failed to load, in discovery order.
    public private(set) var failures: [PluginLoadError] = []

    public init() {}

    /// Loads every library on the search path; failures are recorded, not thrown.
    public func load(searchPath: [String]) {
        let (files, missing) = PluginDiscovery.libraries(in: searchPath)
        failures += missing
        for file in files {
            do { try add(PluginLoader.load(path: file)) } catch { failures.append(error) }
        }
    }

    /// Loads one library and registers it, or throws why not.
    @discardableResult
    public func load(file: String) throws(PluginLoadError) -> LoadedPlugin {
        let plugin = try PluginLoader.load(path: file)
        try add(plugin)
        return plugin
    }

    private func add(_ plugin: LoadedPlugin) throws(PluginLoadError) {
        if plugins.contains(where: { $0 === plugin }) { return }  // the same library reached twice
        if let first = plugins.first(where: { $0.id == plugin.id }) {
            throw PluginLoadError(path: plugin.path, reason: .duplicateID(plugin.id, firstPath: first.path))
        }
        plugins.append(plugin)
    }

    public func plugin(id: String) throws(RegistryError) -> LoadedPlugin {
        guard let plugin = plugins.first(where: { $0.id == id }) else {
            throw RegistryError("no plugin with id '\(id)'; loaded: \(plugins.isEmpty ? "none" : plugins.map(\.id).joined(separator: ", "))")
        }
        return plugin
    }

    /// Splits "plugin-id.item" at the first dot (plugin ids contain no dots).
    public func resolve(_ qualifiedName: String, kind: String) throws(RegistryError) -> (LoadedPlugin, String) {
        guard let dot = qualifiedName.firstIndex(of: "."), dot != qualifiedName.startIndex,
              qualifiedName.index(after: dot) != qualifiedName.endIndex
        else {
            throw RegistryError("'\(qualifiedName)' is not a qualified \(kind) name; write <plugin-id>.<\(kind)>")
        }
        let plugin = try plugin(id: String(qualifiedName[..<dot]))
        return (plugin, String(qualifiedName[qualifiedName.index(after: dot)...]))
    }

    public func template(_ qualifiedName: String) throws(RegistryError) -> PromptTemplate {
        let (plugin, name) = try resolve(qualifiedName, kind: "template")
        guard let template = plugin.templates.first(where: { $0.descriptor.name == name }) else {
            throw RegistryError("plugin \(plugin.id) has no template '\(name)'; it has \(plugin.templates.map(\.descriptor.name))")
        }
        return template
    }

    public func callTool(_ qualifiedName: String, arguments: JSONValue) throws -> JSONValue {
        let (plugin, name) = try resolve(qualifiedName, kind: "tool")
        return try plugin.callTool(name, arguments: arguments)
    }

    // Everything on offer, across plugins, by qualified name.
    public var allTemplates: [PromptTemplate] { plugins.flatMap(\.templates) }
    public var allParsers: [String] { plugins.flatMap { p in p.parsers.map { "\(p.id).\($0.name)" } } }
    public var allFilters: [String] { plugins.flatMap { p in p.filters.map { "\(p.id).\($0.name)" } } }
    public var allEvaluators: [String] { plugins.flatMap { p in p.evaluators.map { "\(p.id).\($0.name)" } } }
    public var allObjectives: [String] { plugins.flatMap { p in p.objectives.map { "\(p.id).\($0.name)" } } }
    public var allTools: [String] { plugins.flatMap { p in p.tools.map { "\(p.id).\($0.name)" } } }
    public var allSeeds: [String] { plugins.flatMap { p in p.seeds.map { "\(p.id).\($0.name)" } } }

    /// Calls every plugin's `deinit` (host shutdown). Libraries stay loaded.
    public func shutdown() { plugins.forEach { $0.shutdown() } }
}

public struct RegistryError: Error, LocalizedError, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var errorDescription: String? { message }
}
