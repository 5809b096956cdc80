// `retort generate`: one completion from a local model, streamed to standard output.
import ArgumentParser
import Foundation
import RetortJSON
import RetortPipeline

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate text with a local model (an alias such as smollm2-135m-instruct, or a .gguf path).")

    @Option(help: "The model: an alias from `retort models list`, or a .gguf file.") var model: String
    @Option(help: "The prompt text.") var prompt: String
    @Flag(help: "Wrap the prompt as a user message in the model's chat template.") var chat = false
    @Option(help: "A system message (with --chat).") var system: String?
    @Option(help: "Sampling temperature; 0 is greedy.") var temperature: Float = 0.7
    @Option(help: "Keep the k most probable tokens (0 = all).") var topK = 0
    @Option(help: "Nucleus sampling threshold.") var topP: Float = 1
    @Option(help: "Drop tokens below min-p × the top probability.") var minP: Float = 0
    @Option(help: "Penalty for tokens already in the context (1 = off).") var repetitionPenalty: Float = 1
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Maximum new tokens.") var maxTokens = 128
    @Option(help: "Stop when this text appears (repeatable).") var stop: [String] = []
    @Option(help: "The models folder. Default: $RETORT_MODELS, else ~/.cache/retort/models.") var modelsDir: String?
    @Flag(help: "Print one JSON object instead of streaming text.") var json = false

    func run() throws {
        var request = GenerationRequest(model: model, prompt: prompt)
        request.chat = chat
        request.system = system
        request.maxTokens = maxTokens
        request.stop = stop
        request.modelsDirectory = modelsDir
        request.sampling.temperature = temperature
        request.sampling.topK = topK
        request.sampling.topP = topP
        request.sampling.minP = minP
        request.sampling.repetitionPenalty = repetitionPenalty
        request.sampling.seed = seed
        do {
            let result = try LocalGeneration.run(request) { piece in
                if !json {
                    FileHandle.standardOutput.write(Data(piece.utf8))
                }
            }
            if json {
                print(JSONValue.object([
                    "text": .string(result.text), "finish_reason": .string(result.finishReason.rawValue),
                    "prompt_tokens": .number(Double(result.promptTokens)),
                    "completion_tokens": .number(Double(result.tokens.count)),
                ]).jsonText)
            } else {
                FileHandle.standardOutput.write(Data("\n".utf8))
            }
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
