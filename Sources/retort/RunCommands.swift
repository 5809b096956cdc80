// `retort run` (every stage of a recipe) and `retort train` / `eval` / `export` (one part of it), all
// resumable on the same run folder: what the folder holds is not redone.
import ArgumentParser
import Foundation
import RetortPipeline

/// What the run commands share: the recipe, the run folder, models and plugins, output.
struct RunArguments: ParsableArguments {
    @Argument(help: "The recipe (YAML).") var recipe: String
    @Option(help: "The run folder. Default: runs/<recipe name>.") var runDir: String?
    @Option(help: "The models folder. Default: $RETORT_MODELS, else ~/.cache/retort/models.") var modelsDir: String?
    @OptionGroup var plugins: PluginOptions
    @Flag(help: "No progress output.") var quiet = false

    func options(phases: [RunOptions.Phase]) -> RunOptions {
        var options = RunOptions(recipePath: recipe)
        options.runDirectory = runDir
        options.modelsDirectory = modelsDir
        options.pluginPath = plugins.pluginPath
        options.progress = quiet ? .quiet : .bar
        options.phases = phases
        return options
    }
}

enum RunPrinter {
    static func execute(_ options: RunOptions, quiet: Bool) async throws {
        let summary: RunSummary
        do {
            summary = try await DistillRun.run(options) { line in
                // Unbuffered, so progress shows up at once when the output is a file or a pipe.
                if !quiet { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
            }
        } catch {
            throw CommandFailure.exit(error)
        }
        print(summaryText(summary))
    }

    static func summaryText(_ s: RunSummary) -> String {
        var lines = ["Run folder: \(s.runDirectory)"]
        let byCheckpoint = Dictionary(grouping: s.evaluations, by: \.checkpoint)
        let order = s.evaluations.map(\.checkpoint).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for checkpoint in order {
            let metrics = byCheckpoint[checkpoint]!.map { "\($0.metric) \(String(format: "%.4g", $0.value))" }
            lines.append("  \(checkpoint): " + metrics.joined(separator: ", "))
        }
        for artifact in s.artifacts { lines.append("  \(artifact.kind): \(artifact.path)") }
        return lines.joined(separator: "\n")
    }
}

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run every stage of a recipe: elicit, train, evaluate, export (resumable).")
    @OptionGroup var arguments: RunArguments

    func run() async throws {
        try await RunPrinter.execute(arguments.options(phases: RunOptions.Phase.allCases), quiet: arguments.quiet)
    }
}

struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the recipe's student on the run's data (its distill stages) and evaluate each stage.")
    @OptionGroup var arguments: RunArguments

    func run() async throws {
        try await RunPrinter.execute(arguments.options(phases: [.train, .eval]), quiet: arguments.quiet)
    }
}

struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate the un-distilled student and every finished distill stage not evaluated yet.")
    @OptionGroup var arguments: RunArguments

    func run() async throws {
        try await RunPrinter.execute(arguments.options(phases: [.eval]), quiet: arguments.quiet)
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the trained student as the recipe's `export` block says (GGUF, Hugging Face folder) and bundle it.")
    @OptionGroup var arguments: RunArguments

    func run() async throws {
        try await RunPrinter.execute(arguments.options(phases: [.export]), quiet: arguments.quiet)
    }
}
