// `retort bench decode`: how fast the local teacher runs a GGUF model. Load time; prompt
// tokens/s (one prefill of a prompt); decode tokens/s one sequence at a time and for a batch of
// sequences sharing each step; and the same batch as generation calls through the scheduler, with
// sampling and stop checks. Token ids are drawn from a seeded generator: speed does not depend on
// them. benchmarks/decode_peer.py runs llama.cpp on the same file and shapes.
import Foundation
import RetortJSON
import RetortTensor

public struct DecodeBenchmarkShape: Sendable {
    public var promptTokens = 256
    public var decodeTokens = 128
    public var batch = 16
    /// Timed runs of each measurement; the fastest counts.
    public var repeats = 2

    public init() {}
}

public struct DecodeBenchmarkResult: Sendable {
    public let modelPath: String
    public let shape: DecodeBenchmarkShape
    public let loadSeconds: Double
    public let promptTokensPerSecond: Double
    /// One sequence, one token per step, after the prompt.
    public let decodeTokensPerSecond: Double
    /// `shape.batch` sequences after the same prompt, one token each per step.
    public let batchedDecodeTokensPerSecond: Double
    /// The same batch as greedy generation calls through the scheduler (tokens generated per second,
    /// prefill included; a call may stop early at an end-of-sequence token).
    public let generationTokensPerSecond: Double
    public let gemmBackend: String
    public let threads: Int

    public var json: JSONValue {
        [
            "model": .string(modelPath), "prompt_tokens": .number(Double(shape.promptTokens)),
            "decode_tokens": .number(Double(shape.decodeTokens)), "batch": .number(Double(shape.batch)),
            "load_seconds": .number(loadSeconds), "prompt_tokens_per_second": .number(promptTokensPerSecond),
            "decode_tokens_per_second": .number(decodeTokensPerSecond),
            "batched_decode_tokens_per_second": .number(batchedDecodeTokensPerSecond),
            "generation_tokens_per_second": .number(generationTokensPerSecond),
            "gemm_backend": .string(gemmBackend), "threads": .number(Double(threads)),
        ]
    }
}

public enum DecodeBenchmark {
    public static func run(ggufPath: String, shape: DecodeBenchmarkShape = DecodeBenchmarkShape()) throws -> DecodeBenchmarkResult {
        let P = shape.promptTokens, D = shape.decodeTokens, B = shape.batch
        guard P >= 1, D >= 1, B >= 1, shape.repeats >= 1 else {
            throw GenerationError.invalidOption("prompt, decode tokens, batch and repeats must all be at least 1")
        }
        let started = Date()
        let lm = try LocalLanguageModel(ggufPath: ggufPath)
        let loadSeconds = Date().timeIntervalSince(started)
        let model = lm.model, V = model.config.vocabSize
        guard P + D < lm.contextLength else {
            throw GenerationError.promptTooLong(promptTokens: P + D, contextLength: lm.contextLength)
        }
        var generator = SplitMix64(seed: 2024)
        func tokens(_ count: Int) -> [Int32] { (0..<count).map { _ in Int32(generator.next() % UInt64(V)) } }
        let prompt = tokens(P), continuation = tokens(D), workspace = model.makeDecodeWorkspace()

        // Prompt: one prefill of the whole prompt.
        var promptSeconds = Double.infinity, prefilled = model.makeCache(capacity: P + D)
        for _ in 0..<shape.repeats {
            let cache = model.makeCache(capacity: P + D)
            promptSeconds = min(promptSeconds, try time { _ = try model.decode([DecodeInput(tokens: prompt, cache: cache)], workspace: workspace) })
            prefilled = cache
        }

        // Decode, one sequence: D steps of one token after the prompt.
        var singleSeconds = Double.infinity
        for _ in 0..<shape.repeats {
            let cache = prefilled.copy()
            singleSeconds = min(singleSeconds, try time {
                for token in continuation { _ = try model.decode([DecodeInput(tokens: [token], cache: cache)], workspace: workspace) }
            })
        }

        // Decode, a batch: B copies of the prompt's cache, D steps of B tokens.
        var batchSeconds = Double.infinity
        for _ in 0..<shape.repeats {
            let caches = (0..<B).map { _ in prefilled.copy() }
            batchSeconds = min(batchSeconds, try time {
                for (step, token) in continuation.enumerated() {
                    let inputs = caches.enumerated().map { b, cache in
                        DecodeInput(tokens: [Int32((Int(token) + b * 7 + step) % V)], cache: cache)
                    }
                    _ = try model.decode(inputs, workspace: workspace)
                }
            })
        }

        // Generation: B greedy calls of up to D tokens after their own prompts, through the scheduler.
        var generated = 0
        let prompts = (0..<B).map { _ in tokens(P) }
        let generationSeconds = try time {
            let scheduler = DecodeScheduler(model: lm, workspace: workspace, maxStepRows: max(256, B + 1), maxSequences: B)
            var failure: (any Error)?
            for prompt in prompts {
                scheduler.add(try GenerationJob(promptTokens: prompt, options: GenerationOptions(maxTokens: D), model: lm,
                                                cancellation: nil, onStep: { _ in }) { outcome in
                    switch outcome {
                    case .success(let results): generated += results.reduce(0) { $0 + $1.tokens.count }
                    case .failure(let error): failure = error
                    }
                })
            }
            while !scheduler.isIdle { scheduler.step() }
            if let failure { throw failure }
        }

        return DecodeBenchmarkResult(
            modelPath: ggufPath, shape: shape, loadSeconds: loadSeconds, promptTokensPerSecond: Double(P) / promptSeconds,
            decodeTokensPerSecond: Double(D) / singleSeconds, batchedDecodeTokensPerSecond: Double(B * D) / batchSeconds,
            generationTokensPerSecond: Double(generated) / generationSeconds, gemmBackend: GEMM.backend.name,
            threads: Parallel.workerCount)
    }

    private static func time(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
