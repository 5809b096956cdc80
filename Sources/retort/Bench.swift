// `retort bench …`: benchmarks that print a ratio against a peer measured in the same run.
import ArgumentParser
import Foundation
import RetortPipeline
import RetortTensor

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run benchmarks (use a release build).",
        subcommands: [BenchTrain.self, BenchTools.self, BenchElicit.self, BenchDedup.self, BenchDecode.self])
}

struct BenchTools: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools",
        abstract: "Native tool calls through the host (JSON → libffi → JSON) versus a direct C call.")

    @OptionGroup var plugins: PluginOptions
    @Option(help: "Calls per measurement.") var calls = 200_000
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() throws {
        do {
            let result = try ToolCallBenchmark.run(catalog: PluginCatalog(pluginPath: plugins.pluginPath), calls: calls)
            if json {
                print(result.json.jsonText)
            } else {
                print("tool calls, \(result.tool), \(result.calls) calls each")
                print("  direct C call:               \(Int(result.directCallsPerSecond)) calls/s")
                print("  retort host (JSON → libffi):  \(Int(result.hostCallsPerSecond)) calls/s")
                print("  ratio host/direct:           \(String(format: "%.4f", result.ratio))")
            }
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}

struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training throughput of a LLaMA-shaped student (SFT, AdamW) against the measured sgemm peak.",
        discussion: "Defaults: SmolLM2-135M's shape with 6 layers, batch 8 × 256 tokens.")

    @Option(help: "Decoder layers.") var layers = 6
    @Option(help: "Hidden size.") var hidden = 576
    @Option(help: "MLP intermediate size.") var ffn = 1536
    @Option(help: "Attention heads.") var heads = 9
    @Option(help: "Key/value heads.") var kvHeads = 3
    @Option(help: "Vocabulary size.") var vocab = 49152
    @Option(help: "Sequences per step.") var batch = 8
    @Option(help: "Tokens per sequence.") var seq = 256
    @Option(help: "Timed steps (after one warm-up step).") var steps = 3
    @Option(help: "Matrix-product inputs: float32, or bf16 (bfloat16 inputs, float32 accumulation and master weights).")
    var precision: MatrixPrecision = .float32
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() throws {
        var shape = TrainingBenchmarkShape()
        (shape.layers, shape.hidden, shape.ffn, shape.heads, shape.kvHeads) = (layers, hidden, ffn, heads, kvHeads)
        (shape.vocab, shape.batch, shape.sequence, shape.steps) = (vocab, batch, seq, steps)
        shape.precision = precision
        do {
            let r = try TrainingBenchmark.run(shape)
            if json {
                print(r.json.jsonText)
            } else {
                print("train: \(layers) layers × hidden \(hidden), batch \(batch) × \(seq), AdamW, \(precision.rawValue) products on \(r.gemmBackend)")
                print("  tokens/s:          \(String(format: "%.0f", r.tokensPerSecond))")
                print("  step time:         \(String(format: "%.2f", r.secondsPerStep)) s")
                print("  achieved:          \(String(format: "%.1f", r.achievedGFLOPs)) GFLOP/s = "
                    + "\(String(format: "%.2f", r.achievedGFLOPs / r.sgemmPeakGFLOPs)) × the sgemm peak "
                    + "(\(String(format: "%.1f", r.sgemmPeakGFLOPs)) GFLOP/s measured now)")
                print("  peak memory:       \(String(format: "%.0f", Double(r.peakMemoryBytes) / 1e6)) MB")
            }
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}

extension MatrixPrecision: ExpressibleByArgument {}
