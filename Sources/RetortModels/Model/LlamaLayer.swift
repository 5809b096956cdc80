// The weights of one decoder layer: pre-attention RMSNorm, q/k/v/o projections (q/k/v optionally
// biased, as in Qwen2), pre-MLP RMSNorm and the SwiGLU MLP (gate, up, down), plus any LoRA adapters.
import RetortTensor

/// The seven linear projections of a layer, by their Hugging Face module names.
public enum LlamaProjection: String, CaseIterable, Sendable, Hashable {
    case q = "q_proj", k = "k_proj", v = "v_proj", o = "o_proj"
    case gate = "gate_proj", up = "up_proj", down = "down_proj"

    /// The module path below "model.layers.<i>.", e.g. "self_attn.q_proj".
    public var modulePath: String {
        switch self {
        case .q, .k, .v, .o: return "self_attn." + rawValue
        case .gate, .up, .down: return "mlp." + rawValue
        }
    }

    /// (out, in) of the weight matrix under `config`.
    public func weightShape(_ config: LlamaConfig) -> [Int] {
        switch self {
        case .q: return [config.queryWidth, config.hiddenSize]
        case .k, .v: return [config.keyValueWidth, config.hiddenSize]
        case .o: return [config.hiddenSize, config.queryWidth]
        case .gate, .up: return [config.intermediateSize, config.hiddenSize]
        case .down: return [config.hiddenSize, config.intermediateSize]
        }
    }
}

public final class LlamaLayer: @unchecked Sendable {
    public let index: Int
    public let attentionNorm: ModelParameter
    public let mlpNorm: ModelParameter
    /// Weight of each projection, (out, in) as in nn.Linear.
    public let weights: [LlamaProjection: ModelParameter]
    /// Bias of q, k and v when the config asks for attention bias.
    public let biases: [LlamaProjection: ModelParameter]
    /// LoRA adapters on some projections (see LlamaModel.addLoRA).
    public internal(set) var adapters: [LlamaProjection: LoRAAdapter] = [:]

    /// Matrices from `matrix` (normal(0, initializerRange) draws, or zeros), zero biases and unit norms.
    init(index: Int, config: LlamaConfig, matrix: (_ shape: [Int]) -> Tensor) {
        self.index = index
        let prefix = "model.layers.\(index)."
        let C = config.hiddenSize
        let ones = { (name: String) -> ModelParameter in
            let value = Tensor(shape: [C])
            value.fill(1)
            return ModelParameter(name: prefix + name + ".weight", value: value, weightDecay: false)
        }
        attentionNorm = ones("input_layernorm")
        mlpNorm = ones("post_attention_layernorm")
        var weights: [LlamaProjection: ModelParameter] = [:]
        for projection in LlamaProjection.allCases {
            let value = matrix(projection.weightShape(config))
            weights[projection] = ModelParameter(name: prefix + projection.modulePath + ".weight", value: value, weightDecay: true)
        }
        self.weights = weights
        var biases: [LlamaProjection: ModelParameter] = [:]
        if config.attentionBias {
            for projection in [LlamaProjection.q, .k, .v] {
                biases[projection] = ModelParameter(
                    name: prefix + projection.modulePath + ".bias",
                    value: Tensor(shape: [projection.weightShape(config)[0]]), weightDecay: false)
            }
        }
        self.biases = biases
    }

    func weight(_ projection: LlamaProjection) -> ModelParameter { weights[projection]! }

    /// Every base parameter of the layer in a fixed order (norms, projections, biases); not adapters.
    public var parameters: [ModelParameter] {
        [attentionNorm] + [LlamaProjection.q, .k, .v].flatMap { p in [weights[p]!] + (biases[p].map { [$0] } ?? []) }
            + [weights[.o]!, mlpNorm, weights[.gate]!, weights[.up]!, weights[.down]!]
    }
}
