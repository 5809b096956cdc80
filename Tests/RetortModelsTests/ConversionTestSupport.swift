// Shared helpers of the export/import tests: tiny random models (LLaMA, Mistral, Qwen2 flavours)
// with a hand-made byte-level tokenizer, the real SmolLM2 file lent to one test at a time, logit
// comparisons, scratch folders, and running Python when a test compares with llama.cpp or tokenizers.
import Foundation
@testable import RetortModels
import RetortTensor
import Testing

enum ConversionFixtures {
    /// A byte-level vocabulary: three ChatML control tokens, the 256 byte tokens and a few merges.
    static let tokens: [String] = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"] + ByteLevelMapping.byteToScalar.map { String($0) }
        + ["he", "ll", "hell", "hello", "Ġw", "or", "Ġwor"]
    static let merges = ["h e", "l l", "he ll", "hell o", "Ġ w", "Ġw or"]
    static let chatTemplate = """
        {% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a tiny test model.<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}
        """

    /// The tokenizer of `tokens` as GGUF metadata (smollm pre-tokenizer, ChatML template).
    static func metadata(name: String = "tiny") -> GGUFExportMetadata {
        let vocabulary = tokens
        let types: [Int32] = [3, 3, 3] + Array(repeating: 1, count: vocabulary.count - 3)
        return GGUFExportMetadata(name: name, general: [GGUFMetadataEntry("general.license", .string("apache-2.0"))], tokenizer: [
            .init("tokenizer.ggml.model", .string("gpt2")),
            .init("tokenizer.ggml.pre", .string("smollm")),
            .init("tokenizer.ggml.tokens", .array(.string(vocabulary))),
            .init("tokenizer.ggml.token_type", .array(.int32(types))),
            .init("tokenizer.ggml.merges", .array(.string(merges))),
            .init("tokenizer.ggml.bos_token_id", .uint32(1)),
            .init("tokenizer.ggml.eos_token_id", .uint32(2)),
            .init("tokenizer.ggml.padding_token_id", .uint32(2)),
            .init("tokenizer.ggml.add_bos_token", .bool(false)),
            .init("tokenizer.chat_template", .string(chatTemplate)),
        ])
    }

    static var vocabularySize: Int { tokens.count }

    /// A random two-layer model whose matrices are whole Q8_0/Q4_0 blocks (rows of 64 and 128).
    static func model(modelType: String = "llama", bias: Bool = false, tied: Bool = false, hidden: Int = 64,
                      vocab: Int? = nil, initializerRange: Float = 0.2, seed: UInt64 = 7) throws -> LlamaModel {
        let config = try LlamaConfig(
            hiddenSize: hidden, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, intermediateSize: 128,
            vocabSize: vocab ?? vocabularySize, ropeTheta: 10_000, rmsNormEps: 1e-5, tieWordEmbeddings: tied,
            maxPositionEmbeddings: 256, attentionBias: bias, initializerRange: initializerRange, modelType: modelType)
        let model = try LlamaModel(config: config, seed: seed)
        // Norms away from 1 and biases away from 0, so a wrong mapping of either shows in the logits.
        var generator = SplitMix64(seed: seed &+ 1)
        for parameter in model.parameters where parameter.value.shape.count == 1 {
            let values = (0..<parameter.value.count).map { _ in generator.nextUnitFloat() * 0.5 + (parameter.name.hasSuffix("bias") ? -0.25 : 0.75) }
            try parameter.value.load(values)
        }
        model.isTraining = false
        return model
    }

    static let probeTokens: [Int32] = [1, 60, 262, 105, 3, 200, 263, 2, 50, 41]

    static func logits(_ model: LlamaModel, _ tokens: [Int32] = probeTokens) throws -> [Float] {
        model.isTraining = false
        return try model.forward(tokens: tokens, B: 1, T: tokens.count).logits.toArray()
    }

    /// ‖a − b‖ / ‖a‖: the size of the difference relative to the logits themselves.
    static func relativeError(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count)
        var difference = 0.0, norm = 0.0
        for (x, y) in zip(a, b) {
            difference += Double(x - y) * Double(x - y)
            norm += Double(x) * Double(x)
        }
        return (difference / max(norm, .leastNormalMagnitude)).squareRoot()
    }

    /// The mean over positions of KL(softmax(reference) ‖ softmax(other)), in nats: how much the
    /// next-token distributions moved.
    static func meanKL(_ reference: [Float], _ other: [Float], vocab: Int) -> Double {
        let positions = reference.count / vocab
        var total = 0.0
        for t in 0..<positions {
            let p = logSoftmax(reference[t * vocab..<(t + 1) * vocab]), q = logSoftmax(other[t * vocab..<(t + 1) * vocab])
            total += zip(p, q).reduce(0) { $0 + exp($1.0) * ($1.0 - $1.1) }
        }
        return total / Double(positions)
    }

    static func logSoftmax(_ logits: ArraySlice<Float>) -> [Double] {
        let m = Double(logits.max()!)
        let logSum = log(logits.reduce(0) { $0 + exp(Double($1) - m) }) + m
        return logits.map { Double($0) - logSum }
    }

    /// A fresh scratch folder, removed by the caller.
    static func scratch(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "retort-conversion-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// The real SmolLM2 GGUF, loaded once and lent to one test at a time (a model's forward pass is
/// not thread-safe). Missing, the tests fail and say how to get it.
enum ConversionSmolLM2 {
    struct Source {
        let file: GGUFFile
        let info: GGUFModelInfo
        let model: LlamaModel
        let tokenizer: BPETokenizer
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: Result<Source, any Error>?

    @discardableResult
    static func with<T>(_ body: (Source) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if loaded == nil {
            let path = GenerationTestModel.path
            guard FileManager.default.fileExists(atPath: path) else { throw GenerationTestModel.MissingModel(path: path) }
            loaded = Result {
                let file = try GGUFFile(path: path)
                let info = try GGUFModelInfo(file)
                let model = try LlamaModel(gguf: file)
                model.isTraining = false
                return Source(file: file, info: info, model: model, tokenizer: try BPETokenizer(gguf: info.tokenizer))
            }
        }
        return try body(try loaded!.get())
    }

    static let chatPrompt = "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n"
}

/// Runs Python 3 for the tests that compare with llama.cpp or Hugging Face `tokenizers`.
enum PythonCheck {
    /// Whether `python3 -c "import <module>"` succeeds.
    static func canImport(_ module: String) -> Bool {
        (try? run(["-c", "import \(module)"]))?.status == 0
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
