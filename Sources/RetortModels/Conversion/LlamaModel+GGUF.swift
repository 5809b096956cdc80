// Loading a LLaMA-family model from a GGUF file (llama.cpp, Ollama): the configuration from the
// llama.* metadata, every tensor dequantized to float32 and renamed to the HF convention, with the
// query/key rows put back in HF order. A missing output.weight means tied embeddings.

public struct GGUFModelLoadError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let message: String
    public var description: String { "\(file): \(message)" }
}

extension LlamaConfig {
    /// The decoder configuration a GGUF file describes.
    public init(gguf file: GGUFFile) throws {
        let info = try GGUFModelInfo(file)
        guard ["llama", "mistral", "qwen2"].contains(info.architecture) else {
            throw GGUFModelLoadError(file: file.path, message: "architecture \(info.architecture) is not supported; llama, mistral and qwen2 are")
        }
        let intermediate = try file.tensor(named: "blk.0.ffn_up.weight").shape[0]
        let tied = (try? file.tensor(named: "output.weight")) == nil
        let hasQKVBias = (try? file.tensor(named: "blk.0.attn_q.bias")) != nil
        try self.init(
            hiddenSize: info.embeddingLength, numHiddenLayers: info.blockCount, numAttentionHeads: info.headCount,
            numKeyValueHeads: info.headCountKV, intermediateSize: intermediate, vocabSize: info.vocabSize,
            ropeTheta: info.ropeFreqBase, rmsNormEps: info.rmsNormEpsilon, tieWordEmbeddings: tied,
            maxPositionEmbeddings: info.contextLength, attentionBias: hasQKVBias, modelType: info.architecture)
    }
}

extension LlamaModel {
    /// A model with the GGUF file's configuration and weights.
    public convenience init(gguf file: GGUFFile) throws {
        let config = try LlamaConfig(gguf: file)
        try self.init(zeroedFor: config)
        try loadWeights(gguf: file)
    }

    /// Loads every parameter from `file`, which must describe this model's shapes.
    public func loadWeights(gguf file: GGUFFile) throws {
        var byHFName: [String: GGUFTensorInfo] = [:]
        for tensor in file.tensors {
            if let name = LlamaTensorNames.hf(fromGGUF: tensor.name) { byHFName[name] = tensor }
        }
        let heads = config.numAttentionHeads, kvHeads = config.numKeyValueHeads
        // Qwen2 files keep Hugging Face's row order (llama.cpp runs them with the NeoX RoPE).
        let interleaved = LlamaFamily.ggufInterleavesQueryKey(architecture: (try? file.string("general.architecture")) ?? "llama")
        for parameter in parameters {
            guard let tensor = byHFName[parameter.name] else {
                throw GGUFModelLoadError(
                    file: file.path,
                    message: "has no tensor \(LlamaTensorNames.gguf(fromHF: parameter.name) ?? parameter.name) for \(parameter.name)")
            }
            let shape = parameter.value.shape
            guard tensor.shape == shape || (shape.count == 1 && tensor.shape == [shape[0]]) else {
                throw GGUFModelLoadError(file: file.path, message: "tensor \(tensor.name) has shape \(tensor.shape), the model expects \(shape)")
            }
            var values = try file.floats(tensor.name)
            let columns = shape.count == 2 ? shape[1] : 1
            if interleaved && (parameter.name.hasSuffix("q_proj.weight") || parameter.name.hasSuffix("q_proj.bias")) {
                values = LlamaTensorNames.permuteGGUFToHF(values, heads: heads, rows: shape[0], columns: columns)
            } else if interleaved && (parameter.name.hasSuffix("k_proj.weight") || parameter.name.hasSuffix("k_proj.bias")) {
                values = LlamaTensorNames.permuteGGUFToHF(values, heads: kvHeads, rows: shape[0], columns: columns)
            }
            try parameter.value.load(values)
        }
    }
}
