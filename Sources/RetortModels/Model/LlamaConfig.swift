// The architecture of a LLaMA-family decoder as Hugging Face's config.json spells it (LLaMA,
// Mistral, Qwen2 with QKV bias, partial-rotary variants), decoded and validated before any weight
// is allocated.
import Foundation

public struct LlamaConfig: Codable, Equatable, Sendable {
    public var hiddenSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    /// Grouped-query attention: how many key/value heads (equal to numAttentionHeads for MHA).
    public var numKeyValueHeads: Int
    public var intermediateSize: Int
    public var vocabSize: Int
    public var ropeTheta: Float
    public var rmsNormEps: Float
    public var tieWordEmbeddings: Bool
    public var maxPositionEmbeddings: Int
    /// Per-head size; HF's default is hiddenSize / numAttentionHeads.
    public var headDim: Int?
    /// The fraction of each head's dims that rotate (Phi, StableLM); 1 when absent.
    public var partialRotaryFactor: Float?
    /// Bias on q, k and v projections (Qwen2; LLaMA's attention_bias also biases o, which this
    /// kernel does not support, so true means q/k/v bias only).
    public var attentionBias: Bool
    /// Standard deviation of the normal weight initialization (HF's initializer_range).
    public var initializerRange: Float
    public var modelType: String?

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads"
        case intermediateSize = "intermediate_size"
        case vocabSize = "vocab_size"
        case ropeTheta = "rope_theta"
        case rmsNormEps = "rms_norm_eps"
        case tieWordEmbeddings = "tie_word_embeddings"
        case maxPositionEmbeddings = "max_position_embeddings"
        case headDim = "head_dim"
        case partialRotaryFactor = "partial_rotary_factor"
        case attentionBias = "attention_bias"
        case initializerRange = "initializer_range"
        case modelType = "model_type"
    }

    /// A validated config; defaults follow transformers' LlamaConfig.
    public init(
        hiddenSize: Int, numHiddenLayers: Int, numAttentionHeads: Int, numKeyValueHeads: Int? = nil,
        intermediateSize: Int, vocabSize: Int, ropeTheta: Float = 10_000, rmsNormEps: Float = 1e-6,
        tieWordEmbeddings: Bool = false, maxPositionEmbeddings: Int = 2048, headDim: Int? = nil,
        partialRotaryFactor: Float? = nil, attentionBias: Bool = false, initializerRange: Float = 0.02,
        modelType: String? = "llama"
    ) throws {
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.numKeyValueHeads = numKeyValueHeads ?? numAttentionHeads
        self.intermediateSize = intermediateSize
        self.vocabSize = vocabSize
        self.ropeTheta = ropeTheta
        self.rmsNormEps = rmsNormEps
        self.tieWordEmbeddings = tieWordEmbeddings
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.headDim = headDim
        self.partialRotaryFactor = partialRotaryFactor
        self.attentionBias = attentionBias
        self.initializerRange = initializerRange
        self.modelType = modelType
        try validate()
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func required(_ key: CodingKeys) throws -> Int {
            guard let value = try c.decodeIfPresent(Int.self, forKey: key) else {
                throw ModelError.invalidConfig(field: key.rawValue, reason: "is missing")
            }
            return value
        }
        hiddenSize = try required(.hiddenSize)
        numHiddenLayers = try required(.numHiddenLayers)
        numAttentionHeads = try required(.numAttentionHeads)
        numKeyValueHeads = try c.decodeIfPresent(Int.self, forKey: .numKeyValueHeads) ?? numAttentionHeads
        intermediateSize = try required(.intermediateSize)
        vocabSize = try required(.vocabSize)
        ropeTheta = try c.decodeIfPresent(Float.self, forKey: .ropeTheta) ?? 10_000
        rmsNormEps = try c.decodeIfPresent(Float.self, forKey: .rmsNormEps) ?? 1e-6
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 2048
        headDim = try c.decodeIfPresent(Int.self, forKey: .headDim)
        partialRotaryFactor = try c.decodeIfPresent(Float.self, forKey: .partialRotaryFactor)
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType)
        // Qwen2's config has no attention_bias field: its q/k/v projections always carry a bias.
        attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? (modelType == "qwen2")
        initializerRange = try c.decodeIfPresent(Float.self, forKey: .initializerRange) ?? 0.02
        try validate()
    }

    /// Decodes config.json bytes; `source` names them in errors.
    public init(configJSON data: Data, source: String = "config.json") throws {
        do {
            self = try JSONDecoder().decode(LlamaConfig.self, from: data)
        } catch let error as ModelError {
            throw error
        } catch {
            throw ModelError.unreadableConfig(source: source, reason: String(describing: error))
        }
    }

    /// Reads and decodes the config.json at `path`.
    public init(configJSON path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError.unreadableConfig(source: path, reason: "the file does not exist or cannot be read")
        }
        try self.init(configJSON: data, source: path)
    }

    /// The size of one attention head.
    public var resolvedHeadDim: Int { headDim ?? hiddenSize / numAttentionHeads }

    /// How many leading dims of each head rotate: headDim * partialRotaryFactor, rounded down to even.
    public var rotaryDim: Int {
        let dims = Int(Float(resolvedHeadDim) * (partialRotaryFactor ?? 1))
        return dims - dims % 2
    }

    /// Width of the q projection's output and the o projection's input: numAttentionHeads * headDim.
    public var queryWidth: Int { numAttentionHeads * resolvedHeadDim }

    /// Width of the k and v projections' outputs: numKeyValueHeads * headDim.
    public var keyValueWidth: Int { numKeyValueHeads * resolvedHeadDim }

    /// Throws `ModelError.invalidConfig` naming the first field that no model can have.
    public func validate() throws {
        let positives: [(String, Int)] = [
            ("hidden_size", hiddenSize), ("num_hidden_layers", numHiddenLayers),
            ("num_attention_heads", numAttentionHeads), ("num_key_value_heads", numKeyValueHeads),
            ("intermediate_size", intermediateSize), ("vocab_size", vocabSize),
            ("max_position_embeddings", maxPositionEmbeddings),
        ]
        for (field, value) in positives where value <= 0 {
            throw ModelError.invalidConfig(field: field, reason: "must be positive, got \(value)")
        }
        if let headDim {
            guard headDim > 0 else { throw ModelError.invalidConfig(field: "head_dim", reason: "must be positive, got \(headDim)") }
        } else if hiddenSize % numAttentionHeads != 0 {
            throw ModelError.invalidConfig(
                field: "num_attention_heads",
                reason: "(\(numAttentionHeads)) must divide hidden_size (\(hiddenSize)) when head_dim is not given")
        }
        // Widths and weight sizes multiply these; bounding each (and the head widths) keeps every
        // product of two inside Int, so a corrupted config is refused here instead of trapping later.
        let largest = Int(Int32.max)
        let dimensions = positives + [("head_dim", headDim ?? 0)]
        for (field, value) in dimensions where value > largest {
            throw ModelError.invalidConfig(field: field, reason: "is \(value), larger than any model (at most \(largest))")
        }
        if queryWidth > largest || keyValueWidth > largest {
            throw ModelError.invalidConfig(
                field: "head_dim", reason: "times the number of heads is larger than any model (at most \(largest))")
        }
        if numAttentionHeads % numKeyValueHeads != 0 {
            throw ModelError.invalidConfig(
                field: "num_key_value_heads",
                reason: "(\(numKeyValueHeads)) must divide num_attention_heads (\(numAttentionHeads))")
        }
        if let factor = partialRotaryFactor, !(factor > 0 && factor <= 1) {
            throw ModelError.invalidConfig(field: "partial_rotary_factor", reason: "must lie in (0, 1], got \(factor)")
        }
        if !(ropeTheta > 0) {
            throw ModelError.invalidConfig(field: "rope_theta", reason: "must be positive, got \(ropeTheta)")
        }
        if !(rmsNormEps > 0) {
            throw ModelError.invalidConfig(field: "rms_norm_eps", reason: "must be positive, got \(rmsNormEps)")
        }
        if !(initializerRange >= 0) {
            throw ModelError.invalidConfig(field: "initializer_range", reason: "must not be negative, got \(initializerRange)")
        }
    }
}
