// `retort bundle <run-dir> -o <dir|.tar>`, `retort bundle verify <bundle>`, `retort bundle run <bundle>
// --prompt …`: pack a run's student with its plugins, recipe and cards; check a bundle; ask it.
import ArgumentParser
import Foundation
import RetortPipeline

struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Pack a run's student, plugins, recipe, data and eval cards and an Ollama Modelfile; verify or run a bundle.",
        subcommands: [BundleCreate.self, BundleVerify.self, BundleRunCommand.self],
        defaultSubcommand: BundleCreate.self)
}

struct BundleCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Pack a run into a bundle folder or a .tar archive (`retort bundle <run-dir> -o <out>`).")

    @Argument(help: "The run folder (the one holding run.sqlite).") var runDir: String
    @Option(name: .shortAndLong, help: "The bundle to write: a folder, or a path ending in .tar.") var output: String
    @OptionGroup var plugins: PluginOptions

    func run() throws {
        var options = BundleOptions(runDirectory: runDir, output: output)
        options.pluginPath = plugins.pluginPath
        do {
            print(try RunBundle.create(options))
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}

struct BundleVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every file of a bundle against its manifest, that the student parses and the plugins load (exit 2 if not).")

    @Argument(help: "The bundle folder or .tar.") var bundle: String

    func run() throws {
        let result: BundleVerification
        do {
            result = try RunBundle.verify(bundle)
        } catch {
            throw CommandFailure.exit(error)
        }
        guard result.passed else {
            CommandFailure.report(result.problems.map(\.description))
            FileHandle.standardError.write(Data((result.summary + "\n").utf8))
            throw ExitCode(2)
        }
        print(result.summary)
    }
}

struct BundleRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Answer a prompt with the bundled student (its chat template, the bundled plugins loaded).")

    @Argument(help: "The bundle folder or .tar.") var bundle: String
    @Option(help: "The user's message.") var prompt: String
    @Option(help: "A system message.") var system: String?
    @Option(help: "Maximum new tokens.") var maxTokens = 128
    @Option(help: "Sampling temperature; 0 is greedy.") var temperature: Float = 0
    @Option(help: "Random seed.") var seed: UInt64 = 0

    func run() throws {
        var request = BundleRunRequest(bundle: bundle, prompt: prompt)
        request.system = system
        request.maxTokens = maxTokens
        request.sampling.temperature = temperature
        request.sampling.seed = seed
        do {
            _ = try RunBundle.run(request) { FileHandle.standardOutput.write(Data($0.utf8)) }
            FileHandle.standardOutput.write(Data("\n".utf8))
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
