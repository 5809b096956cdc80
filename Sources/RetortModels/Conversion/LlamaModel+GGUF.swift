// Loading a LLaMA-family model from a GGUF file (llama.cpp, Ollama): the configuration from the
// llama.* metadata, every tensor dequantized to float32 and renamed to the HF convention, with the
// query/key rows put back in HF order. A missing output.weight means tied embeddings.

import RetortTensor

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
    /// A model with the GGUF file's configuration and weights. `forInference` freezes every weight
    /// and keeps the Q4_0, Q4_1 and Q8_0 matrices' blocks, which decoding then reads instead of the
    /// float32 values (the same bits from a fraction of the bytes); unfreezing to train drops them.
    public convenience init(gguf file: GGUFFile, forInference: Bool = false) throws {
        let config = try LlamaConfig(gguf: file)
        try self.init(zeroedFor: config)
        try loadWeights(gguf: file)
        if forInference {
            freezeBaseParameters()
            try keepQuantizedBlocks(gguf: file)
        }
    }

    /// Loads every parameter from `file`, which must describe this model's shapes.
    public func loadWeights(gguf file: GGUFFile) throws {
        let sources = ggufSources(file)
        for parameter in parameters {
            guard let tensor = sources.tensors[parameter.name] else {
                throw GGUFModelLoadError(
                    file: file.path,
                    message: "has no tensor \(LlamaTensorNames.gguf(fromHF: parameter.name) ?? parameter.name) for \(parameter.name)")
            }
            let shape = parameter.value.shape
            guard tensor.shape == shape || (shape.count == 1 && tensor.shape == [shape[0]]) else {
                throw GGUFModelLoadError(file: file.path, message: "tensor \(tensor.name) has shape \(tensor.shape), the model expects \(shape)")
            }
            var values = try file.floats(tensor.name)
            if let heads = sources.permutedHeads(parameter.name) {
                values = LlamaTensorNames.permuteGGUFToHF(values, heads: heads, rows: shape[0], columns: shape.count == 2 ? shape[1] : 1)
            }
            try parameter.assign(values)
        }
    }

    /// Gives each frozen matrix stored as Q4_0, Q4_1 or Q8_0 in `file` (just loaded from it) its
    /// blocks, rows in the model's order.
    private func keepQuantizedBlocks(gguf file: GGUFFile) throws {
        let sources = ggufSources(file)
        for parameter in parameters where parameter.value.shape.count == 2 {
            guard let tensor = sources.tensors[parameter.name], let format = BlockQuantizedMatrix.Format(tensor.type) else { continue }
            let rows = parameter.value.shape[0], columns = parameter.value.shape[1]
            guard let rowBytes = format.rowBytes(columns: columns), tensor.byteCount == rows * rowBytes else { continue }
            let heads = sources.permutedHeads(parameter.name)
            let bytes = try file.withTensorBytes(tensor.name) { raw in
                [UInt8](unsafeUninitializedCapacity: rows * rowBytes) { buffer, initialized in
                    for row in 0..<rows {
                        let from = heads.map { LlamaTensorNames.ggufRow(ofHFRow: row, heads: $0, rows: rows) } ?? row
                        (buffer.baseAddress! + row * rowBytes).initialize(
                            from: raw.baseAddress!.advanced(by: from * rowBytes).assumingMemoryBound(to: UInt8.self), count: rowBytes)
                    }
                    initialized = rows * rowBytes
                }
            }
            try parameter.attach(BlockQuantizedMatrix(format: format, rows: rows, columns: columns, bytes: bytes))
        }
    }

    /// The file's tensors by HF name, and which ones hold query/key rows in llama.cpp's interleaved order.
    private func ggufSources(_ file: GGUFFile) -> GGUFSources {
        var byHFName: [String: GGUFTensorInfo] = [:]
        for tensor in file.tensors {
            if let name = LlamaTensorNames.hf(fromGGUF: tensor.name) { byHFName[name] = tensor }
        }
        // Qwen2 files keep Hugging Face's row order (llama.cpp runs them with the NeoX RoPE).
        let interleaved = LlamaFamily.ggufInterleavesQueryKey(architecture: (try? file.string("general.architecture")) ?? "llama")
        return GGUFSources(tensors: byHFName, interleaved: interleaved, heads: config.numAttentionHeads, kvHeads: config.numKeyValueHeads)
    }
}

private struct GGUFSources {
    let tensors: [String: GGUFTensorInfo]
    let interleaved: Bool
    let heads: Int
    let kvHeads: Int

    /// The head count to put a parameter's rows back in HF order by, or nil when they already are.
    func permutedHeads(_ name: String) -> Int? {
        guard interleaved else { return nil }
        if name.hasSuffix("q_proj.weight") || name.hasSuffix("q_proj.bias") { return heads }
        if name.hasSuffix("k_proj.weight") || name.hasSuffix("k_proj.bias") { return kvHeads }
        return nil
    }
}

extension BlockQuantizedMatrix.Format {
    /// The block format of a ggml type the quantized product reads directly; nil for the others.
    init?(_ type: GGMLType) {
        switch type {
        case .q4_0: self = .q4_0
        case .q4_1: self = .q4_1
        case .q8_0: self = .q8_0
        default: return nil
        }
    }
}
