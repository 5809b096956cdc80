// Exporting a model to GGUF for llama.cpp and Ollama (and back into Retort): every base weight
// under its GGUF name, query/key rows in GGML's interleaved order where the architecture wants it,
// tensors typed as GGUFExportType says (as llama.cpp's quantizer would); `<arch>.*` hyper-parameters
// from the model's own config (a layer-subset student says its own block_count); the tokenizer and
// chat template from the metadata given (usually the teacher's file). Written atomically.
import Foundation

/// What an export wrote.
public struct GGUFExportSummary: Sendable, Equatable {
    public let path: String
    public let type: GGUFExportType
    public let tensorCount: Int
    /// How many tensors were stored as each ggml type ("F32": 61, "Q8_0": 211…).
    public let tensorTypes: [String: Int]
    /// Matrices stored as F16 because their rows are not whole blocks of the quantized type.
    public let fallbacks: [String]
    /// Tokens added as "[PAD<id>]" because the embedding has more rows than the tokenizer has tokens.
    public let paddedTokens: Int
    public let bytes: Int
}

extension LlamaModel {
    /// Writes the model to `path`, its tokenizer and chat template (and name and license) taken
    /// from `source`, the GGUF file it came from.
    @discardableResult
    public func writeGGUF(to path: String, type: GGUFExportType, metadataFrom source: GGUFFile, name: String? = nil) throws
        -> GGUFExportSummary
    {
        var metadata = try GGUFExportMetadata(from: source)
        if let name { metadata.name = name }
        return try writeGGUF(to: path, type: type, metadata: metadata)
    }

    /// Writes the model to `path` with the given tokenizer and descriptive metadata.
    @discardableResult
    public func writeGGUF(to path: String, type: GGUFExportType, metadata: GGUFExportMetadata) throws -> GGUFExportSummary {
        var summary = GGUFExportSummary(path: path, type: type, tensorCount: 0, tensorTypes: [:], fallbacks: [], paddedTokens: 0, bytes: 0)
        let writer = try ggufWriter(type: type, metadata: metadata, file: path, summary: &summary)
        let data = try writer.serialized()
        do {
            try AtomicFile.write(data, to: path)
        } catch {
            throw ModelConversionError(file: path, "cannot be written: \(error.localizedDescription)")
        }
        return GGUFExportSummary(path: path, type: type, tensorCount: summary.tensorCount, tensorTypes: summary.tensorTypes,
                                 fallbacks: summary.fallbacks, paddedTokens: summary.paddedTokens, bytes: data.count)
    }

    /// The whole file in a writer; `file` names the destination in errors.
    func ggufWriter(type: GGUFExportType, metadata: GGUFExportMetadata, file: String, summary: inout GGUFExportSummary) throws
        -> GGUFWriter
    {
        let family = try checkExportable(file: file, gguf: true)
        let arch = family.ggufArchitecture
        var writer = GGUFWriter()
        writer.set("general.architecture", .string(arch))
        writer.set("general.type", .string("model"))
        if let name = metadata.name { writer.set("general.name", .string(name)) }
        for entry in metadata.general { writer.set(entry.key, entry.value) }
        func u32(_ value: Int, _ key: String) throws -> GGUFValue {
            guard let v = UInt32(exactly: value) else {
                throw ModelConversionError(file: file, "\(key) = \(value) does not fit the uint32 GGUF stores")
            }
            return .uint32(v)
        }
        writer.set("\(arch).vocab_size", try u32(config.vocabSize, "vocab_size"))
        writer.set("\(arch).context_length", try u32(config.maxPositionEmbeddings, "max_position_embeddings"))
        writer.set("\(arch).embedding_length", try u32(config.hiddenSize, "hidden_size"))
        writer.set("\(arch).block_count", try u32(config.numHiddenLayers, "num_hidden_layers"))
        writer.set("\(arch).feed_forward_length", try u32(config.intermediateSize, "intermediate_size"))
        writer.set("\(arch).attention.head_count", try u32(config.numAttentionHeads, "num_attention_heads"))
        writer.set("\(arch).attention.head_count_kv", try u32(config.numKeyValueHeads, "num_key_value_heads"))
        writer.set("\(arch).rope.freq_base", .float32(config.ropeTheta))
        writer.set("\(arch).attention.layer_norm_rms_epsilon", .float32(config.rmsNormEps))
        writer.set("\(arch).rope.dimension_count", try u32(config.rotaryDim, "head_dim"))
        writer.set("general.file_type", .uint32(type.fileType))
        writer.set("general.quantization_version", .uint32(2))

        let (tokenizer, padded) = try paddedTokenizer(metadata.tokenizer, file: file)
        for entry in tokenizer { writer.set(entry.key, entry.value) }

        var counts: [String: Int] = [:]
        var fallbacks: [String] = []
        let interleave = LlamaFamily.ggufInterleavesQueryKey(architecture: arch)
        for parameter in parameters {
            guard let name = LlamaTensorNames.gguf(fromHF: parameter.name) else {
                throw ModelConversionError(file: file, "parameter \(parameter.name) has no GGUF name")
            }
            let shape = parameter.value.shape
            var values = parameter.value.toArray()
            if interleave, let heads = queryKeyHeads(parameter.name) {
                values = LlamaTensorNames.permuteHFToGGUF(values, heads: heads, rows: shape[0], columns: shape.count == 2 ? shape[1] : 1)
            }
            let dimensions = Array(shape.reversed())
            let isOutput = name == "output.weight" || (config.tieWordEmbeddings && name == "token_embd.weight")
            let tensorType = type.tensorType(dimensions: dimensions, isOutput: isOutput)
            if tensorType == .f16 && type.matrixType != .f16 && dimensions.count >= 2 { fallbacks.append(name) }
            do {
                try writer.addTensor(name, values: values, dimensions: dimensions, as: tensorType)
            } catch let error as GGUFError {
                throw ModelConversionError(file: file, "\(error.field) (\(parameter.name)): \(error.problem)")
            }
            counts[tensorType.description, default: 0] += 1
        }
        summary = GGUFExportSummary(path: file, type: type, tensorCount: parameters.count, tensorTypes: counts,
                                    fallbacks: fallbacks, paddedTokens: padded, bytes: 0)
        return writer
    }

    /// The heads a q/k weight or bias is split into (its rows are reordered per head), else nil.
    private func queryKeyHeads(_ name: String) -> Int? {
        if name.hasSuffix("q_proj.weight") || name.hasSuffix("q_proj.bias") { return config.numAttentionHeads }
        if name.hasSuffix("k_proj.weight") || name.hasSuffix("k_proj.bias") { return config.numKeyValueHeads }
        return nil
    }

    /// Refuses what the format (GGUF for llama.cpp's llama/qwen2 graphs, or transformers' classes)
    /// cannot express, and weights whose shapes disagree with the config.
    func checkExportable(file: String, gguf: Bool) throws -> LlamaFamily {
        let family = try LlamaFamily(modelType: config.modelType, file: file)
        if !adapterParameters.isEmpty {
            throw ModelConversionError(file: file, "the model has LoRA adapters; merge them into the base weights (mergeLoRA) before exporting")
        }
        if let factor = config.partialRotaryFactor, factor != 1 {
            throw ModelConversionError(file: file, "partial_rotary_factor \(factor) cannot be exported: llama.cpp's and transformers' \(family.rawValue) rotate whole heads")
        }
        if gguf, let headDim = config.headDim, headDim * config.numAttentionHeads != config.hiddenSize {
            throw ModelConversionError(file: file, "head_dim \(headDim) × \(config.numAttentionHeads) heads differs from hidden_size \(config.hiddenSize); GGUF export needs head_dim = hidden_size / num_attention_heads")
        }
        if config.resolvedHeadDim % 2 != 0 {
            throw ModelConversionError(file: file, "head size \(config.resolvedHeadDim) is odd; RoPE needs an even head size")
        }
        if gguf && family == .qwen2 && !config.attentionBias {
            throw ModelConversionError(file: file, "a qwen2 model without q/k/v biases cannot be exported as qwen2 (llama.cpp requires them); set model_type llama")
        }
        for parameter in parameters {
            let expected = expectedShape(of: parameter.name)
            guard let expected, expected == parameter.value.shape else {
                throw ModelConversionError(file: file, "parameter \(parameter.name) has shape \(parameter.value.shape), but the config implies \(expected.map { "\($0)" } ?? "no such parameter")")
            }
        }
        return family
    }

    /// The shape the config implies for a base parameter, or nil for a name it has none for.
    func expectedShape(of name: String) -> [Int]? {
        let V = config.vocabSize, C = config.hiddenSize
        switch name {
        case "model.embed_tokens.weight", "lm_head.weight": return [V, C]
        case "model.norm.weight": return [C]
        default: break
        }
        let parts = name.split(separator: ".")
        guard parts.count >= 5, parts[0] == "model", parts[1] == "layers" else { return nil }
        let rest = parts[3...].joined(separator: ".")
        if rest == "input_layernorm.weight" || rest == "post_attention_layernorm.weight" { return [C] }
        for projection in LlamaProjection.allCases {
            if rest == projection.modulePath + ".weight" { return projection.weightShape(config) }
            if rest == projection.modulePath + ".bias" { return [projection.weightShape(config)[0]] }
        }
        return nil
    }

    /// The tokenizer keys with the vocabulary padded to the embedding's rows ("[PAD<id>]", type
    /// unused, as Hugging Face's converter does); more tokens than rows is an error.
    func paddedTokenizer(_ entries: [GGUFMetadataEntry], file: String) throws -> ([GGUFMetadataEntry], Int) {
        guard let tokensIndex = entries.firstIndex(where: { $0.key == "tokenizer.ggml.tokens" }),
              case .array(.string(var tokens)) = entries[tokensIndex].value
        else {
            throw ModelConversionError(file: file, "the tokenizer metadata has no tokenizer.ggml.tokens string array")
        }
        let V = config.vocabSize
        guard tokens.count <= V else {
            throw ModelConversionError(
                file: file, "the tokenizer has \(tokens.count) tokens but the model's embedding has \(V) rows (vocab_size); the model and tokenizer do not belong together")
        }
        let padding = V - tokens.count
        guard padding > 0 else { return (entries, 0) }
        let start = tokens.count
        tokens += (start..<V).map { "[PAD\($0)]" }
        var out = entries
        out[tokensIndex].value = .array(.string(tokens))
        for (i, entry) in out.enumerated() {
            switch (entry.key, entry.value) {
            case ("tokenizer.ggml.token_type", .array(let array)):
                guard let types = array.intValues, types.count == start else {
                    throw ModelConversionError(file: file, "tokenizer.ggml.token_type does not hold one integer per token")
                }
                out[i].value = .array(.int32(types.map { Int32(clamping: $0) } + Array(repeating: BPETokenizer.TokenType.unused.rawValue, count: padding)))
            case ("tokenizer.ggml.scores", .array(.float32(let scores))) where scores.count == start:
                out[i].value = .array(.float32(scores + Array(repeating: 0, count: padding)))
            default:
                break
            }
        }
        return (out, padding)
    }
}
