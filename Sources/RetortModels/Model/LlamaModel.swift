// The LLaMA-family decoder: token embedding, a stack of LlamaLayers, a final RMSNorm and an LM head
// (its own matrix or the embedding, tied). Parameters carry Hugging Face names so they map one to
// one onto safetensors checkpoints. Forward and backward live in LlamaModel+Forward/+Backward.
import RetortTensor

public final class LlamaModel: @unchecked Sendable {
    public let config: LlamaConfig
    /// (vocab, hidden): "model.embed_tokens.weight".
    public let embedding: ModelParameter
    public let layers: [LlamaLayer]
    /// (hidden): "model.norm.weight".
    public let finalNorm: ModelParameter
    /// (vocab, hidden): "lm_head.weight"; nil when tied to the embedding.
    public let lmHead: ModelParameter?
    /// Whether LoRA dropout is active in forward (no other op of the model is stochastic).
    public var isTraining = true

    /// Buffers of the last forward pass, reused while (B, T) stays the same.
    var activations: LlamaActivations?
    /// The last forward's inputs, which backward needs again.
    var lastTokens: [Int32] = []
    var lastPositions: [Int32] = []
    var lastSegments: [Int32]?

    /// A randomly initialized model: matrices ~ normal(0, initializer_range), norms 1, biases 0,
    /// all drawn from SplitMix64(seed) so a seed gives the same weights on every platform.
    public convenience init(config: LlamaConfig, seed: UInt64) throws {
        var generator: SplitMix64? = SplitMix64(seed: seed)
        try self.init(config: config, generator: &generator)
    }

    /// A model whose matrices are all zero, to be overwritten by loaded weights (drawing random
    /// ones first would cost more than reading the file).
    public convenience init(zeroedFor config: LlamaConfig) throws {
        var none: SplitMix64?
        try self.init(config: config, generator: &none)
    }

    private init(config: LlamaConfig, generator: inout SplitMix64?) throws {
        try config.validate()
        self.config = config
        let V = config.vocabSize, C = config.hiddenSize
        func matrix(_ shape: [Int]) -> Tensor {
            guard generator != nil else { return Tensor(shape: shape) }
            return Tensor.normal(shape: shape, std: config.initializerRange, generator: &generator!)
        }
        embedding = ModelParameter(name: "model.embed_tokens.weight", value: matrix([V, C]), weightDecay: true)
        var layers: [LlamaLayer] = []
        for index in 0..<config.numHiddenLayers {
            layers.append(LlamaLayer(index: index, config: config, matrix: matrix))
        }
        self.layers = layers
        let norm = Tensor(shape: [C])
        norm.fill(1)
        finalNorm = ModelParameter(name: "model.norm.weight", value: norm, weightDecay: false)
        lmHead = config.tieWordEmbeddings ? nil : ModelParameter(name: "lm_head.weight", value: matrix([V, C]), weightDecay: true)
    }

    /// The matrix the LM head multiplies by: lm_head.weight, or the embedding when tied.
    var headParameter: ModelParameter { lmHead ?? embedding }

    /// Every base parameter in checkpoint order (embedding, layers, final norm, head); no adapters.
    public var parameters: [ModelParameter] {
        [embedding] + layers.flatMap(\.parameters) + [finalNorm] + (lmHead.map { [$0] } ?? [])
    }

    /// Every LoRA adapter parameter (A then B, layer by layer, projections in LlamaProjection order).
    public var adapterParameters: [ModelParameter] {
        layers.flatMap { layer in
            LlamaProjection.allCases.compactMap { layer.adapters[$0] }.flatMap { [$0.a, $0.b] }
        }
    }

    /// What an optimizer updates: every parameter, base or adapter, that is not frozen.
    public var trainableParameters: [TrainableParameter] {
        (parameters + adapterParameters).compactMap(\.trainable)
    }

    /// The parameter (base or adapter) with this Hugging Face name.
    public func parameter(named name: String) throws -> ModelParameter {
        guard let found = (parameters + adapterParameters).first(where: { $0.name == name }) else {
            throw ModelError.unknownParameter(name: name)
        }
        return found
    }

    /// Copies `values` into the named parameter, checking its element count.
    public func load(_ values: [Float], into name: String, shape: [Int]? = nil) throws {
        let target = try parameter(named: name)
        guard values.count == target.value.count, shape.map({ $0 == target.value.shape }) ?? true else {
            throw ModelError.parameterShapeMismatch(name: name, expected: target.value.shape, actual: shape ?? [values.count])
        }
        try target.assign(values)
    }

    /// Sets every gradient buffer to zero.
    public func zeroGradients() {
        for parameter in parameters + adapterParameters { parameter.gradient?.zero() }
    }
}
