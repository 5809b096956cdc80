// `retort plugins inspect <id> [--json]`: what one plugin offers.
import ArgumentParser
import RetortPipeline

struct PluginsInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a plugin's manifest, templates, parsers, filters, objectives, evaluators, tools and seeds.")

    @OptionGroup var plugins: PluginOptions
    @Argument(help: "The plugin id (see `retort plugins list`).") var id: String
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() throws {
        let catalog = PluginCatalog(pluginPath: plugins.pluginPath)
        do {
            let details = try catalog.details(id: id)
            print(json ? details.json.jsonText : PluginDetailsText.render(details))
        } catch {
            CommandFailure.report(catalog.failures.map { $0.errorDescription ?? $0.problem })
            throw CommandFailure.exit(error)
        }
    }
}
