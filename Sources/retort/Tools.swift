// `retort tools call <plugin-id>.<tool> --args '<json>'`: call a plugin's native tool.
import ArgumentParser
import RetortJSON
import RetortPipeline

struct Tools: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Call plugins' native tools.",
        subcommands: [ToolsCall.self])
}

struct ToolsCall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call a plugin's native tool with JSON arguments and print the JSON result.")

    @OptionGroup var plugins: PluginOptions
    @Argument(help: "The tool as <plugin-id>.<tool> (see `retort plugins inspect`).") var tool: String
    @Option(help: "The arguments as a JSON object, e.g. '{\"a\": 2, \"b\": 3}'.") var args: String = "{}"
    @Flag(help: "Print {\"tool\": …, \"result\": …} instead of the bare result.") var json = false

    func run() throws {
        let catalog = PluginCatalog(pluginPath: plugins.pluginPath)
        do {
            let result = try catalog.callTool(tool, argumentsJSON: args)
            print(json ? JSONValue.object(["tool": .string(tool), "result": result]).jsonText : result.jsonText)
        } catch {
            CommandFailure.report(catalog.failures.map { $0.errorDescription ?? $0.problem })
            throw CommandFailure.exit(error)
        }
    }
}
