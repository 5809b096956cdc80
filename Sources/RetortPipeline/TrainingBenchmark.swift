// `retort bench train`: training throughput of a LLaMA-shaped student (SFT, AdamW) with tokens/s,
// step time, peak memory and achieved GFLOP/s as a fraction of the sgemm peak measured in the
// same run, so the number says how close the kernel is to what the GEMM backend can do.
import Foundation
import RetortDistill
import RetortJSON
import RetortModels
import RetortTensor

public struct TrainingBenchmarkShape: Sendable {
    public var layers = 6, hidden = 576, ffn = 1536, heads = 9, kvHeads = 3, vocab = 49152
    public var batch = 8, sequence = 256, steps = 3
    public var precision = MatrixPrecision.float32
    public init() {}
}

public struct TrainingBenchmarkResult: Sendable {
    public let shape: TrainingBenchmarkShape
    public let gemmBackend: String
    public let tokensPerSecond: Double
    public let secondsPerStep: Double
    public let achievedGFLOPs: Double
    public let sgemmPeakGFLOPs: Double
    public let peakMemoryBytes: Int64
    public let finalLoss: Double

    public var json: JSONValue {
        ["layers": .number(Double(shape.layers)), "hidden": .number(Double(shape.hidden)), "batch": .number(Double(shape.batch)),
         "sequence": .number(Double(shape.sequence)), "gemm_backend": .string(gemmBackend),
         "precision": .string(shape.precision.rawValue),
         "tokens_per_second": .number(tokensPerSecond), "seconds_per_step": .number(secondsPerStep),
         "achieved_gflops": .number(achievedGFLOPs), "sgemm_peak_gflops": .number(sgemmPeakGFLOPs),
         "fraction_of_sgemm_peak": .number(achievedGFLOPs / sgemmPeakGFLOPs),
         "peak_memory_bytes": .number(Double(peakMemoryBytes)), "final_loss": .number(finalLoss)]
    }
}

public enum TrainingBenchmark {
    public static func run(_ shape: TrainingBenchmarkShape) throws -> TrainingBenchmarkResult {
        let config = try LlamaConfig(
            hiddenSize: shape.hidden, numHiddenLayers: shape.layers, numAttentionHeads: shape.heads,
            numKeyValueHeads: shape.kvHeads, intermediateSize: shape.ffn, vocabSize: shape.vocab, tieWordEmbeddings: true)
        let model = try LlamaModel(config: config, seed: 1)
        var generator = SplitMix64(seed: 2)
        // One example per row, each exactly a row long, so every position is trained.
        let examples = (0..<(shape.batch * (shape.steps + 1))).map { _ in
            TrainingExample(
                tokens: (0..<shape.sequence).map { _ in Int32(generator.next() % UInt64(shape.vocab)) },
                lossMask: [Float](repeating: 1, count: shape.sequence), teacher: nil)
        }
        var configuration = TrainerConfiguration(
            objectives: [.init(name: "sft", weight: 1)], batchRows: shape.batch, sequenceLength: shape.sequence,
            maxSteps: shape.steps + 1, learningRate: .constant(1e-4))
        configuration.shuffles = false
        configuration.matrixPrecision = shape.precision
        let trainer = try DistillationTrainer(model: model, examples: examples, configuration: configuration)
        _ = try trainer.step()  // warm-up: allocations, page faults, BLAS threads
        let clock = ContinuousClock()
        let start = clock.now
        var last = 0.0
        for _ in 0..<shape.steps { last = try trainer.step().loss }
        let elapsed = (clock.now - start).seconds
        let tokens = Double(shape.batch * shape.sequence * shape.steps)
        return TrainingBenchmarkResult(
            shape: shape, gemmBackend: shape.precision == .bfloat16 ? GEMM.bfloat16Backend?.name ?? "none" : GEMM.backend.name, tokensPerSecond: tokens / elapsed,
            secondsPerStep: elapsed / Double(shape.steps),
            achievedGFLOPs: trainingFLOPs(config: config, tokensPerStep: shape.batch * shape.sequence, sequence: shape.sequence)
                * Double(shape.steps) / elapsed / 1e9,
            sgemmPeakGFLOPs: measureSgemmPeak(), peakMemoryBytes: peakResidentBytes(), finalLoss: last)
    }

    /// 6·N per token for the matrix products of forward and backward (N counts every projection
    /// and the head, not the embedding lookup), plus 12·L·T·C per token for attention scores and
    /// their use (forward and backward), as in llm.c and the PaLM appendix.
    static func trainingFLOPs(config: LlamaConfig, tokensPerStep: Int, sequence: Int) -> Double {
        let C = Double(config.hiddenSize), L = Double(config.numHiddenLayers)
        let perLayer = C * Double(config.queryWidth) * 2 + C * Double(config.keyValueWidth) * 2
            + 3 * C * Double(config.intermediateSize)
        let matrixParameters = L * perLayer + C * Double(config.vocabSize)
        let perToken = 6 * matrixParameters + 12 * L * Double(sequence) * C / 2  // causal: half the pairs
        return perToken * Double(tokensPerStep)
    }

    /// The best of a few 1024³ products through the GEMM backend in use.
    static func measureSgemmPeak() -> Double {
        let n = 1024
        let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<5 {
            let start = clock.now
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        GEMM.sgemm(transA: false, transB: true, M: n, N: n, K: n, alpha: 1, A: pa.baseAddress!, lda: n,
                                   B: pb.baseAddress!, ldb: n, beta: 0, C: pc.baseAddress!, ldc: n)
                    }
                }
            }
            best = min(best, (clock.now - start).seconds)
        }
        return 2 * Double(n * n * n) / best / 1e9
    }

    /// The process's peak resident memory (VmHWM on Linux, ru_maxrss in bytes on macOS).
    static func peakResidentBytes() -> Int64 {
        #if os(Linux)
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Int64(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kb * 1024
        #else
        var usage = rusage()
        getrusage(RUSAGE_SELF, &usage)
        return Int64(usage.ru_maxrss)
        #endif
    }
}
