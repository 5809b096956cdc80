// One named weight of the model with its gradient buffer, which exists only while the weight is
// trainable: freezing a weight (a LoRA base) drops the buffer so backward skips that product.
// A frozen matrix may also carry the ggml blocks it was loaded from, which decoding reads instead of
// the float32 values (same bits, a fraction of the bytes). The blocks are only a copy: anything that
// can change the values drops them (unfreezing, assign, LoRA merge), and an optimizer only ever
// sees trainable, hence block-free, parameters.
import RetortTensor

public final class ModelParameter: @unchecked Sendable {
    /// The Hugging Face name, e.g. "model.layers.0.self_attn.q_proj.weight".
    public let name: String
    public let value: Tensor
    /// d loss / d value, accumulated by backward; nil when frozen.
    public private(set) var gradient: Tensor?
    /// Whether AdamW's decoupled weight decay applies (matrices yes, norms and biases no).
    public let weightDecay: Bool
    /// The blocks `value` was dequantized from, while frozen and unchanged since.
    public private(set) var quantized: BlockQuantizedMatrix?

    public init(name: String, value: Tensor, weightDecay: Bool) {
        self.name = name
        self.value = value
        self.weightDecay = weightDecay
        gradient = Tensor(shape: value.shape)
    }

    public var isTrainable: Bool { gradient != nil }

    /// Frozen weights get no gradient buffer, so backward neither computes nor stores their gradient.
    public func freeze() { gradient = nil }

    /// Gives the weight a zeroed gradient buffer again; training may now change it, so its blocks go.
    public func unfreeze() {
        quantized = nil
        if gradient == nil { gradient = Tensor(shape: value.shape) }
    }

    /// The optimizer's view; nil when frozen.
    public var trainable: TrainableParameter? {
        guard let gradient else { return nil }
        return try? TrainableParameter(name: name, value: value, gradient: gradient, weightDecay: weightDecay)
    }

    /// Copies `values` in (count checked); drops the blocks, which no longer describe the weight.
    public func assign(_ values: [Float]) throws {
        quantized = nil
        try value.load(values)
    }

    /// Copies another parameter's values in (shapes checked); drops the blocks.
    public func assign(from source: ModelParameter) throws {
        guard source.value.shape == value.shape else {
            throw ModelError.parameterShapeMismatch(name: name, expected: value.shape, actual: source.value.shape)
        }
        quantized = nil
        try value.copy(from: source.value)
    }

    /// Marks the float32 values as changed in place by the caller (a LoRA merge): the blocks go.
    func valuesChanged() { quantized = nil }

    /// Keeps `blocks` for decoding. The caller vouches that they dequantize to exactly `value` (both
    /// were just loaded from the same file); the weight must be frozen and a matrix of their shape.
    func attach(_ blocks: BlockQuantizedMatrix) throws {
        guard !isTrainable else {
            throw ModelError.invalidConfig(field: name, reason: "quantized blocks are only kept for frozen weights")
        }
        guard value.shape == [blocks.rows, blocks.columns] else {
            throw ModelError.parameterShapeMismatch(name: name, expected: value.shape, actual: [blocks.rows, blocks.columns])
        }
        quantized = blocks
    }
}
