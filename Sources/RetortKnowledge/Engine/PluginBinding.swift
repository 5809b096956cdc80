// A stage's view of its plugin: templates by short or qualified name, parsers that turn a teacher
// output into records or a rejection reason, and plugin filters.
import RetortHost
import RetortJSON

public struct PluginBinding: Sendable {
    public let plugin: LoadedPlugin

    public init(_ plugin: LoadedPlugin) { self.plugin = plugin }

    public init(registry: PluginRegistry, id: String) throws {
        plugin = try registry.plugin(id: id)
    }

    /// `name` or `plugin.name`; the error lists the templates the plugin has.
    public func template(_ name: String) throws -> PromptTemplate {
        let short = name.hasPrefix(plugin.id + ".") ? String(name.dropFirst(plugin.id.count + 1)) : name
        guard let template = plugin.templates.first(where: { $0.descriptor.name == short }) else {
            throw InputError(message: "plugin \(plugin.id) has no template '\(short)'; it has \(plugin.templates.map(\.descriptor.name).joined(separator: ", "))")
        }
        return template
    }

    /// Checks up front that every named template, parser and filter exists.
    public func check(templates: [String], parsers: [String], filters: [String]) throws {
        for name in templates { _ = try template(name) }
        for name in parsers where !plugin.parsers.contains(where: { $0.name == shortName(name) }) {
            throw InputError(message: "plugin \(plugin.id) has no parser '\(name)'; it has \(plugin.parsers.map(\.name).joined(separator: ", "))")
        }
        for name in filters where !plugin.filters.contains(where: { $0.name == shortName(name) }) {
            throw InputError(message: "plugin \(plugin.id) has no filter '\(name)'; it has \(plugin.filters.map(\.name).joined(separator: ", "))")
        }
    }

    func shortName(_ name: String) -> String {
        name.hasPrefix(plugin.id + ".") ? String(name.dropFirst(plugin.id.count + 1)) : name
    }

    public func qualified(_ name: String) -> String { "\(plugin.id).\(shortName(name))" }

    public func render(_ name: String, _ values: [String: JSONValue]) throws -> String {
        try template(name).render(values)
    }

    /// The parser's records, or the reason it rejected the output.
    public func parse(_ parser: String, output: String) -> Result<[JSONValue], ParseRejection> {
        do {
            let records = try plugin.parse(parser: shortName(parser), output: output)
            if records.isEmpty { return .failure(ParseRejection(reason: "parser \(qualified(parser)) found nothing in the output")) }
            return .success(records)
        } catch {
            return .failure(ParseRejection(reason: error.message))
        }
    }

    /// nil when every filter keeps the record, else (filter, reason) of the first that rejects.
    public func firstRejection(filters: [String], record: JSONValue) throws -> (filter: String, reason: String)? {
        for name in filters {
            let verdict = try plugin.filter(shortName(name), record: record)
            if !verdict.keep { return (qualified(name), verdict.reason ?? "rejected") }
        }
        return nil
    }
}

public struct ParseRejection: Error, Sendable {
    public let reason: String
}
