// `retort plugins list [--json]`: every plugin found, and one error line per library that failed.
import ArgumentParser
import RetortJSON
import RetortPipeline

struct PluginsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the plugins found on the plugin path.",
        discussion: "Libraries that fail to load are reported on standard error, one line each, and the exit code is 2.")

    @OptionGroup var plugins: PluginOptions
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() throws {
        let catalog = PluginCatalog(pluginPath: plugins.pluginPath)
        let summaries = catalog.summaries
        if json {
            let failures = JSONValue.array(catalog.failures.map {
                ["path": .string($0.path), "error": .string($0.problem)]
            })
            print(JSONValue.object(["plugins": .array(summaries.map(\.json)), "failures": failures]).jsonText)
        } else if summaries.isEmpty {
            print("No plugins found.")
        } else {
            print(TextTable.render(
                header: ["ID", "KIND", "VERSION", "NAME"],
                rows: summaries.map { [$0.id, $0.kind, $0.version, $0.name] }))
        }
        CommandFailure.report(catalog.failures.map { $0.errorDescription ?? $0.problem })
        if !catalog.failures.isEmpty { throw ExitCode(2) }
    }
}
