// GGUF export: a model written as GGUF and loaded back computes the same logits (exactly for F32,
// within stated bounds for F16, Q8_0 and Q4_0), with tensors under GGUF names, q/k rows in the
// order of the architecture, norms and biases in F32, hyper-parameters from the model's own
// config and the tokenizer and chat template of its source; bad input is a clear error.
import Foundation
@testable import RetortModels
import Testing

@Suite struct ConversionGGUFExportTests {
    @Test func f32ExportLoadsBackWithIdenticalLogitsAndItsConfig() throws {
        let dir = try ConversionFixtures.scratch("f32")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (modelType, bias, tied) in [("llama", false, false), ("llama", true, true), ("qwen2", true, false), ("mistral", false, true)] {
            let model = try ConversionFixtures.model(modelType: modelType, bias: bias, tied: tied)
            let path = dir + "/\(modelType)-\(bias)-\(tied).gguf"
            let summary = try model.writeGGUF(to: path, type: .f32, metadata: ConversionFixtures.metadata())
            #expect(summary.tensorTypes == ["F32": model.parameters.count])
            let file = try GGUFFile(path: path)
            let loaded = try LlamaModel(gguf: file)
            #expect(loaded.config.numHiddenLayers == 2)
            #expect(loaded.config.tieWordEmbeddings == tied)
            #expect(loaded.config.attentionBias == bias)
            #expect(try ConversionFixtures.logits(loaded) == ConversionFixtures.logits(model), "\(modelType) bias \(bias) tied \(tied)")
            // Mistral runs as llama.cpp's llama architecture.
            #expect(try file.string("general.architecture") == (modelType == "qwen2" ? "qwen2" : "llama"))
        }
    }

    @Test func queryKeyRowsAreInterleavedForLlamaAndKeptForQwen2() throws {
        let dir = try ConversionFixtures.scratch("rows")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for modelType in ["llama", "qwen2"] {
            let model = try ConversionFixtures.model(modelType: modelType, bias: true)
            let path = dir + "/\(modelType).gguf"
            try model.writeGGUF(to: path, type: .f32, metadata: ConversionFixtures.metadata())
            let file = try GGUFFile(path: path)
            let q = model.layers[0].weights[.q]!.value.toArray(), k = model.layers[0].weights[.k]!.value.toArray()
            let kBias = model.layers[0].biases[.k]!.value.toArray()
            let C = model.config.hiddenSize, kvRows = model.config.keyValueWidth
            if modelType == "llama" {
                #expect(try file.floats("blk.0.attn_q.weight") == LlamaTensorNames.permuteHFToGGUF(q, heads: 4, rows: C, columns: C))
                #expect(try file.floats("blk.0.attn_k.weight") == LlamaTensorNames.permuteHFToGGUF(k, heads: 2, rows: kvRows, columns: C))
                #expect(try file.floats("blk.0.attn_k.bias") == LlamaTensorNames.permuteHFToGGUF(kBias, heads: 2, rows: kvRows, columns: 1))
            } else {
                #expect(try file.floats("blk.0.attn_q.weight") == q)
                #expect(try file.floats("blk.0.attn_k.weight") == k)
                #expect(try file.floats("blk.0.attn_k.bias") == kBias)
            }
            #expect(try file.floats("blk.1.attn_v.weight") == model.layers[1].weights[.v]!.value.toArray())
            #expect(try file.tensor(named: "blk.0.ffn_down.weight").dimensions == [128, C])
        }
    }

    @Test func metadataComesFromTheConfigAndTheSource() throws {
        let dir = try ConversionFixtures.scratch("meta")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try ConversionFixtures.model(tied: true)
        let metadata = ConversionFixtures.metadata(name: "tiny student")
        try model.writeGGUF(to: dir + "/m.gguf", type: .q8_0, metadata: metadata)
        let file = try GGUFFile(path: dir + "/m.gguf")
        #expect(try file.string("general.name") == "tiny student")
        #expect(try file.string("general.license") == "apache-2.0")
        #expect(try file.int("general.file_type") == 7)
        #expect(try file.int("llama.block_count") == 2)
        #expect(try file.int("llama.embedding_length") == 64)
        #expect(try file.int("llama.feed_forward_length") == 128)
        #expect(try file.int("llama.attention.head_count") == 4)
        #expect(try file.int("llama.attention.head_count_kv") == 2)
        #expect(try file.int("llama.context_length") == 256)
        #expect(try file.int("llama.rope.dimension_count") == 16)
        #expect(try file.float("llama.attention.layer_norm_rms_epsilon") == 1e-5)
        for entry in metadata.tokenizer { #expect(file.value(entry.key) == entry.value, "\(entry.key)") }
        #expect(file.tensors.count == model.parameters.count)
        // Norms stay F32; every matrix takes the export type.
        for tensor in file.tensors {
            #expect(tensor.type == (tensor.dimensions.count == 1 ? .f32 : .q8_0), "\(tensor.name)")
        }
    }

    /// Stated tolerances. Weights: each matrix's relative error ‖Δw‖ / ‖w‖ stays within the format's
    /// rounding (F16 ≈ 2⁻¹¹ relative; Q8_0 and Q4_0 round to a grid of max|block| / 127 and / 8).
    /// Logits: the mean KL divergence between the next-token distributions before and after, in nats.
    @Test(arguments: [(GGUFExportType.f16, 5e-4, 1e-6), (.q8_0, 1e-2, 5e-4), (.q4_0, 0.15, 5e-2)])
    func quantizedExportsStayCloseToTheModel(type: GGUFExportType, weightBound: Double, klBound: Double) throws {
        let dir = try ConversionFixtures.scratch("quant")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try ConversionFixtures.model(bias: true, initializerRange: 0.05)
        let summary = try model.writeGGUF(to: dir + "/m.gguf", type: type, metadata: ConversionFixtures.metadata())
        // 7 matrices per layer, the embedding and the head; a 4-bit file keeps the head at Q8_0.
        let expected = type == .q4_0 ? ["Q4_0": 15, "Q8_0": 1, "F32": 11] : [type.description: 16, "F32": 11]
        #expect(summary.tensorTypes == expected)
        #expect(summary.fallbacks.isEmpty)
        let file = try GGUFFile(path: dir + "/m.gguf")
        #expect(try file.tensor(named: "output.weight").type == (type == .q4_0 ? .q8_0 : type.matrixType))
        let loaded = try LlamaModel(gguf: file)
        for (original, exported) in zip(model.parameters, loaded.parameters) {
            let error = ConversionFixtures.relativeError(original.value.toArray(), exported.value.toArray())
            if original.value.shape.count == 1 {
                #expect(error == 0, "\(original.name) is stored as F32")
            } else {
                #expect(error > 0 && error < weightBound, "\(type) \(original.name): relative weight error \(error)")
            }
        }
        let kl = ConversionFixtures.meanKL(try ConversionFixtures.logits(model), try ConversionFixtures.logits(loaded),
                                           vocab: model.config.vocabSize)
        #expect(kl < klBound, "\(type): mean KL \(kl) nats")
    }

    @Test func rowsThatAreNotWholeBlocksFallBackToF16() throws {
        let dir = try ConversionFixtures.scratch("fallback")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try ConversionFixtures.model(hidden: 48, initializerRange: 0.05)  // rows of 48 are not whole 32-blocks; down_proj's 128 are
        let summary = try model.writeGGUF(to: dir + "/m.gguf", type: .q4_0, metadata: ConversionFixtures.metadata())
        #expect(summary.fallbacks.contains("blk.0.attn_q.weight"))
        #expect(!summary.fallbacks.contains("blk.0.ffn_down.weight"))
        let file = try GGUFFile(path: dir + "/m.gguf")
        #expect(try file.tensor(named: "blk.0.attn_q.weight").type == .f16)
        #expect(try file.tensor(named: "blk.0.ffn_down.weight").type == .q4_0)
        #expect(ConversionFixtures.meanKL(try ConversionFixtures.logits(model), try ConversionFixtures.logits(LlamaModel(gguf: file)),
                                          vocab: model.config.vocabSize) < 5e-2)
    }

    @Test func aVocabularyShorterThanTheEmbeddingIsPadded() throws {
        let dir = try ConversionFixtures.scratch("pad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let V = ConversionFixtures.vocabularySize + 6
        let model = try ConversionFixtures.model(vocab: V)
        let summary = try model.writeGGUF(to: dir + "/m.gguf", type: .f32, metadata: ConversionFixtures.metadata())
        #expect(summary.paddedTokens == 6)
        let file = try GGUFFile(path: dir + "/m.gguf")
        let info = try GGUFModelInfo(file)
        #expect(info.tokenizer.tokens.count == V)
        #expect(info.tokenizer.tokens.last == "[PAD\(V - 1)]")
        #expect(info.tokenizer.tokenTypes?.last == BPETokenizer.TokenType.unused.rawValue)
        #expect(try BPETokenizer(gguf: info.tokenizer).encode("hello") == [262])
        #expect(try ConversionFixtures.logits(LlamaModel(gguf: file)) == ConversionFixtures.logits(model))
    }

    @Test func theFileIsReplacedWholeAndNoTemporaryFileIsLeft() throws {
        let dir = try ConversionFixtures.scratch("atomic")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/m.gguf"
        try Data("an older file".utf8).write(to: URL(fileURLWithPath: path))
        try ConversionFixtures.model().writeGGUF(to: path, type: .f16, metadata: ConversionFixtures.metadata())
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["m.gguf"])
        #expect(try GGUFFile(path: path).tensors.count == 2 * 9 + 3)

        #expect {
            try ConversionFixtures.model().writeGGUF(to: dir + "/no/such/folder/m.gguf", type: .f16, metadata: ConversionFixtures.metadata())
        } throws: { error in
            "\(error.localizedDescription)".contains("\(dir)/no/such/folder/m.gguf: cannot be written")
        }
    }

    @Test func unsupportedTypesAndMismatchedModelsAreClearErrors() throws {
        #expect(GGUFExportType(name: "Q8_0") == .q8_0)
        #expect(GGUFExportType(name: "q4_1") == nil)
        #expect(GGUFExportType(name: "q5_k") == nil)

        func failure(_ model: LlamaModel, metadata: GGUFExportMetadata = ConversionFixtures.metadata()) -> String {
            do {
                try model.writeGGUF(to: NSTemporaryDirectory() + "retort-never-written-\(UUID().uuidString).gguf", type: .q8_0, metadata: metadata)
                return "no error"
            } catch {
                return error.localizedDescription
            }
        }
        let small = try ConversionFixtures.model(vocab: 200)
        #expect(failure(small).contains("the tokenizer has \(ConversionFixtures.vocabularySize) tokens but the model's embedding has 200 rows"))

        let adapted = try ConversionFixtures.model()
        try adapted.addLoRA(rank: 2, alpha: 4, projections: [.q], seed: 1)
        #expect(failure(adapted).contains("merge them into the base weights (mergeLoRA)"))

        var partial = try ConversionFixtures.model().config
        partial.partialRotaryFactor = 0.5
        #expect(failure(try LlamaModel(config: partial, seed: 1)).contains("partial_rotary_factor 0.5 cannot be exported"))

        var other = try ConversionFixtures.model().config
        other.modelType = "phi3"
        #expect(failure(try LlamaModel(config: other, seed: 1)).contains("model type phi3 is not supported"))

        var noTokenizer = ConversionFixtures.metadata()
        noTokenizer.tokenizer.removeAll { $0.key == "tokenizer.ggml.tokens" }
        #expect(failure(try ConversionFixtures.model(), metadata: noTokenizer).contains("no tokenizer.ggml.tokens"))

        #expect(throws: ModelConversionError.self) { try GGUFExportMetadata(from: GGUFFile(path: GGUFFixtures.reference)) }
    }
}

/// The embedded SmolLM2 as a layer-subset student: exported with the teacher's tokenizer and chat
/// template, it loads back, tokenizes like the teacher and generates.
@Suite struct ConversionSmolLM2ExportTests {
    @Test func aLayerSubsetStudentKeepsTheTokenizerAndChatTemplateAndGenerates() throws {
        let dir = try ConversionFixtures.scratch("student")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ConversionSmolLM2.with { teacher in
            let keep = LlamaModel.everyKthLayer(6, of: 30)
            let student = try LlamaModel.layerSubset(of: teacher.model, keep: keep)
            student.isTraining = false
            let f32 = dir + "/student-f32.gguf", q8 = dir + "/student-q8_0.gguf"
            try student.writeGGUF(to: f32, type: .f32, metadataFrom: teacher.file, name: "SmolLM2 student")
            try student.writeGGUF(to: q8, type: .q8_0, metadataFrom: teacher.file)

            let file = try GGUFFile(path: f32)
            #expect(try file.int("llama.block_count") == keep.count)
            #expect(try file.string("general.name") == "SmolLM2 student")
            #expect(try file.string("general.license") == "apache-2.0")
            for key in teacher.file.metadataKeys where key.hasPrefix("tokenizer.") {
                #expect(file.value(key) == teacher.file.value(key), "\(key) differs")
            }
            let exported = try LocalLanguageModel(ggufPath: f32)
            #expect(exported.chatTemplate?.source == teacher.info.chatTemplate)
            let prompt = try exported.chatPrompt([["role": "user", "content": "What is the capital of France?"]])
            let ids = exported.tokenizer.encode(prompt)
            #expect(ids == teacher.tokenizer.encode(prompt))
            #expect(try ConversionFixtures.logits(exported.model, ids) == ConversionFixtures.logits(student, ids))

            // Five of thirty layers make a model that amplifies rounding: Q8_0 still moves its
            // next-token distributions by less than 0.05 nats.
            let quantized = try LocalLanguageModel(ggufPath: q8)
            let kl = ConversionFixtures.meanKL(try ConversionFixtures.logits(student, ids), try ConversionFixtures.logits(quantized.model, ids),
                                               vocab: student.config.vocabSize)
            #expect(kl < 0.05, "Q8_0 mean KL \(kl) nats")
            var sampling = SamplingParameters()
            sampling.temperature = 0
            let answer = try quantized.generate(prompt: prompt, maxTokens: 8, sampling: sampling)
            #expect(!answer.tokens.isEmpty)
            #expect(!answer.text.isEmpty)
        }
    }
}
