// `retort chat`: talk to a local model; each line you type is a user message, replies stream.
import ArgumentParser
import Foundation
import RetortPipeline

struct Chat: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Chat with a local model (type a message, Enter to send; an empty line or end of input quits).")

    @Option(help: "The model: an alias from `retort models list`, or a .gguf file.") var model: String
    @Option(help: "A system message.") var system: String?
    @Option(help: "Sampling temperature; 0 is greedy.") var temperature: Float = 0.7
    @Option(help: "Nucleus sampling threshold.") var topP: Float = 0.95
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Maximum tokens per reply.") var maxTokens = 256
    @Option(help: "The models folder. Default: $RETORT_MODELS, else ~/.cache/retort/models.") var modelsDir: String?

    func run() throws {
        let session: ChatSession
        do {
            session = try ChatSession(model: model, modelsDirectory: modelsDir, system: system, maxTokens: maxTokens)
            session.sampling.temperature = temperature
            session.sampling.topP = topP
            session.sampling.seed = seed
            try session.sampling.validate()
        } catch {
            throw CommandFailure.exit(error)
        }
        let interactive = isatty(STDIN_FILENO) != 0
        while true {
            if interactive { FileHandle.standardOutput.write(Data("you> ".utf8)) }
            guard let line = readLine(), !line.trimmingCharacters(in: .whitespaces).isEmpty else { break }
            if interactive { FileHandle.standardOutput.write(Data("model> ".utf8)) }
            do {
                _ = try session.send(line) { FileHandle.standardOutput.write(Data($0.utf8)) }
            } catch {
                throw CommandFailure.exit(error)
            }
            // Same unbuffered handle as the streamed text, so the newline lands after it.
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }
}
