// `retort distill`: the embedded default recipe end to end (elicit, train, evaluate, export),
// with the common variations — another teacher (a local model or an OpenAI-compatible URL), another
// plugin — as options. Running it again on the same folder resumes.
import ArgumentParser
import Foundation
import RetortPipeline

struct Distill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Distill the embedded default (SmolLM2-135M-Instruct into a layer subset of itself), fully offline.")

    @Option(help: "The teacher: a model alias or .gguf path, or the http(s) URL of an OpenAI-compatible server (…/v1).")
    var teacher = DefaultRecipe.embeddedModel
    @Option(help: "The model name a URL teacher serves.") var teacherModel = DefaultRecipe.embeddedModel
    @Option(help: "A plugin to distill instead of the instruct plugin; its seed set `--seeds` is labeled by the teacher.")
    var plugin: String?
    @Option(help: "The plugin's seed set the teacher answers (with --plugin).") var seeds = "tasks"
    @Option(help: "The run folder. Default: runs/distill-default (runs/distill-<plugin> with --plugin).") var runDir: String?
    @Option(help: "The models folder. Default: $RETORT_MODELS, else ~/.cache/retort/models.") var modelsDir: String?
    @OptionGroup var plugins: PluginOptions
    @Flag(help: "Print the recipe this would run, and stop.") var printRecipe = false
    @Flag(help: "No progress output.") var quiet = false

    func run() async throws {
        var choices = DefaultRecipe.Choices()
        choices.teacher = teacher
        choices.teacherModel = teacherModel
        choices.plugin = plugin
        choices.seeds = seeds
        let text = DefaultRecipe.text(choices)
        if printRecipe {
            print(text, terminator: "")
            return
        }
        let folder = runDir ?? "runs/" + (plugin.map { "distill-\($0)" } ?? DefaultRecipe.name)
        let recipePath = (folder as NSString).appendingPathComponent("recipe.yaml")
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try text.write(toFile: recipePath, atomically: true, encoding: .utf8)
        } catch {
            throw CommandFailure.exit(error)
        }
        var options = RunOptions(recipePath: recipePath)
        options.runDirectory = folder
        options.modelsDirectory = modelsDir
        options.pluginPath = plugins.pluginPath
        options.progress = quiet ? .quiet : .bar
        try await RunPrinter.execute(options, quiet: quiet)
    }
}
