// `retort bench decode`: the local teacher's speed on a GGUF model (load, prompt, decode at batch
// 1 and batch N, batched generation). The llama.cpp peer reads the JSON on stdin:
//   retort bench decode --json | python3 benchmarks/decode_peer.py
import ArgumentParser
import Foundation
import RetortModels
import RetortPipeline

struct BenchDecode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Inference speed of a local model: load, prompt tokens/s, decode tokens/s at batch 1 and batch N.",
        discussion: "Defaults: SmolLM2-135M-Instruct, a 256-token prompt, 128 decoded tokens, batch 16. "
            + "Pipe --json into benchmarks/decode_peer.py for llama.cpp on the same file and shapes.")

    @Option(help: "The model: an alias from `retort models list`, or a .gguf file.") var model = "smollm2-135m-instruct"
    @Option(help: "The models folder. Default: $RETORT_MODELS, else ~/.cache/retort/models.") var modelsDir: String?
    @Option(help: "Prompt tokens.") var prompt = 256
    @Option(help: "Decoded tokens per sequence.") var tokens = 128
    @Option(help: "Sequences decoded together.") var batch = 16
    @Option(help: "Timed runs of each measurement (the fastest counts).") var repeats = 2
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() throws {
        var shape = DecodeBenchmarkShape()
        (shape.promptTokens, shape.decodeTokens, shape.batch, shape.repeats) = (prompt, tokens, batch, repeats)
        do {
            let path = try ModelStore.resolve(model, directory: ModelStore.directory(explicit: modelsDir))
            let r = try DecodeBenchmark.run(ggufPath: path, shape: shape)
            if json {
                print(r.json.jsonText)
                return
            }
            let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            print("decode: \(name), \(r.gemmBackend), \(r.threads) threads")
            print("  load:                   \(String(format: "%.2f", r.loadSeconds)) s")
            print("  prompt (\(prompt) tokens):     \(String(format: "%.0f", r.promptTokensPerSecond)) tokens/s")
            print("  decode, batch 1:        \(String(format: "%.1f", r.decodeTokensPerSecond)) tokens/s")
            print("  decode, batch \(batch):       \(String(format: "%.1f", r.batchedDecodeTokensPerSecond)) tokens/s "
                + "(\(String(format: "%.2f", r.batchedDecodeTokensPerSecond / r.decodeTokensPerSecond)) × batch 1)")
            print("  generation, \(batch) calls:  \(String(format: "%.1f", r.generationTokensPerSecond)) tokens/s "
                + "(greedy, sampling and stops included)")
            print("  (for llama.cpp on the same shapes: retort bench decode --json | python3 benchmarks/decode_peer.py)")
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
