// One named weight of the model with its gradient buffer, which exists only while the weight is
// trainable: freezing a weight (a LoRA base) drops the buffer so backward skips that product.
import RetortTensor

public final class ModelParameter: @unchecked Sendable {
    /// The Hugging Face name, e.g. "model.layers.0.self_attn.q_proj.weight".
    public let name: String
    public let value: Tensor
    /// d loss / d value, accumulated by backward; nil when frozen.
    public private(set) var gradient: Tensor?
    /// Whether AdamW's decoupled weight decay applies (matrices yes, norms and biases no).
    public let weightDecay: Bool

    public init(name: String, value: Tensor, weightDecay: Bool) {
        self.name = name
        self.value = value
        self.weightDecay = weightDecay
        gradient = Tensor(shape: value.shape)
    }

    public var isTrainable: Bool { gradient != nil }

    /// Frozen weights get no gradient buffer, so backward neither computes nor stores their gradient.
    public func freeze() { gradient = nil }

    /// Gives the weight a zeroed gradient buffer again.
    public func unfreeze() { if gradient == nil { gradient = Tensor(shape: value.shape) } }

    /// The optimizer's view; nil when frozen.
    public var trainable: TrainableParameter? {
        guard let gradient else { return nil }
        return try? TrainableParameter(name: name, value: value, gradient: gradient, weightDecay: weightDecay)
    }
}
