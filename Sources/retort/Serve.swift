// `retort serve`: an OpenAI-compatible server for a local model. Prints one line once listening
// (scripts read the port from it) and runs until SIGINT or SIGTERM.
import ArgumentParser
import Foundation
import RetortPipeline

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a local model over an OpenAI-compatible HTTP API (/v1/models, /v1/chat/completions, /v1/completions).")

    @Option(help: "The model: an alias from `retort models list`, or a .gguf file.") var model: String
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on; 0 picks a free one.") var port = 8000
    @Option(help: "The models folder. Default: $RETORT_MODELS, else ~/.cache/retort/models.") var modelsDir: String?

    func run() throws {
        var options = ServeOptions(model: model)
        options.host = host
        options.port = port
        options.modelsDirectory = modelsDir
        do {
            try LocalServer.runBlocking(options) { url, name in
                FileHandle.standardOutput.write(Data("retort serve: listening on \(url) (model \(name))\n".utf8))
            }
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
