// The `retort` command: argument parsing and printing only; the work is done by RetortPipeline.
import ArgumentParser
import RetortPipeline

@main
struct Retort: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retort",
        abstract: "Distill large language models into small ones.",
        version: RetortVersion.full,
        subcommands: [Plugins.self, Tools.self, Models.self, Generate.self, Chat.self, Tokenize.self, Check.self, Bench.self, DataCommand.self, Serve.self, Elicit.self, RunCommand.self, Train.self, Eval.self, ExportCommand.self, Distill.self, Report.self, Convert.self, BundleCommand.self])
}

/// Options every command that loads plugins shares.
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("plugin-path"),
            help: "A plugin library or a folder of them (repeatable, or ':'-separated). Default: $RETORT_PLUGIN_PATH, else the folder beside the retort executable.")
    var pluginPath: [String] = []
}
