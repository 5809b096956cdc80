// `retort plugins`: list, inspect and validate plugin libraries.
import ArgumentParser

struct Plugins: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, inspect and validate plugins.",
        subcommands: [PluginsList.self, PluginsInspect.self, PluginsValidate.self])
}
