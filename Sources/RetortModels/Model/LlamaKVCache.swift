// The key/value cache of one sequence for inference: per layer, the rotated keys and the values
// of every token seen so far, so each new token attends to them without recomputing them.
import RetortTensor

public final class LlamaKVCache: @unchecked Sendable {
    public let capacity: Int
    /// Tokens cached so far (the position of the next token).
    public internal(set) var length = 0
    /// Per layer: (capacity, nKVHeads·headDim) keys (after RoPE) and values.
    let keys: [Tensor]
    let values: [Tensor]

    init(config: LlamaConfig, capacity: Int) {
        self.capacity = capacity
        keys = (0..<config.numHiddenLayers).map { _ in Tensor(shape: [capacity, config.keyValueWidth]) }
        values = (0..<config.numHiddenLayers).map { _ in Tensor(shape: [capacity, config.keyValueWidth]) }
    }

    /// Forgets everything (the buffers are kept for reuse).
    public func reset() { length = 0 }
}
