// The key/value cache of one sequence for inference: per layer, the rotated keys and the values
// of every token seen so far, so each new token attends to them without recomputing them. Its
// buffers grow as tokens arrive (doubling, up to `capacity`), so a batch of many sequences that
// may each run to the end of the context only holds memory for the tokens it has.
import RetortTensor

public final class LlamaKVCache: @unchecked Sendable {
    /// The most tokens the cache may hold.
    public let capacity: Int
    /// Tokens cached so far (the position of the next token).
    public internal(set) var length = 0
    /// Tokens the buffers have room for now (at most `capacity`).
    public private(set) var reserved = 0
    /// nKVHeads·headDim: the width of one token's keys (and values) in one layer.
    let width: Int
    /// Per layer: (reserved, width) keys (after RoPE) and values, row-major.
    private(set) var keys: [Tensor]
    private(set) var values: [Tensor]

    /// Buffers start small and grow; the first reservation is at least this many tokens.
    static let initialReservation = 64

    init(config: LlamaConfig, capacity: Int) {
        self.capacity = capacity
        width = config.keyValueWidth
        keys = (0..<config.numHiddenLayers).map { _ in Tensor(shape: [0, config.keyValueWidth]) }
        values = keys.map { _ in Tensor(shape: [0, config.keyValueWidth]) }
    }

    /// Forgets everything (the buffers are kept for reuse).
    public func reset() { length = 0 }

    /// Makes room for `count` more tokens; the caller has checked that length + count ≤ capacity.
    func reserve(_ count: Int) {
        let needed = length + count
        guard needed > reserved else { return }
        let grown = min(capacity, max(needed, 2 * reserved, Self.initialReservation))
        keys = keys.map { grow($0, to: grown) }
        values = values.map { grow($0, to: grown) }
        reserved = grown
    }

    private func grow(_ buffer: Tensor, to rows: Int) -> Tensor {
        let bigger = Tensor(shape: [rows, width])
        bigger.data.update(from: buffer.data, count: length * width)
        return bigger
    }

    var layerCount: Int { keys.count }

    /// Layer `layer`'s keys of token `position` (width floats).
    @inline(__always)
    func key(_ layer: Int, _ position: Int) -> UnsafeMutablePointer<Float> { keys[layer].data + position * width }

    /// Layer `layer`'s values of token `position` (width floats).
    @inline(__always)
    func value(_ layer: Int, _ position: Int) -> UnsafeMutablePointer<Float> { values[layer].data + position * width }

    /// A new cache with the same capacity holding the same tokens (the prompt shared by n choices).
    public func copy() -> LlamaKVCache {
        let copy = LlamaKVCache(width: width, layers: keys.count, capacity: capacity)
        copy.reserve(length)
        for l in 0..<keys.count {
            copy.keys[l].data.update(from: keys[l].data, count: length * width)
            copy.values[l].data.update(from: values[l].data, count: length * width)
        }
        copy.length = length
        return copy
    }

    private init(width: Int, layers: Int, capacity: Int) {
        self.capacity = capacity
        self.width = width
        keys = (0..<layers).map { _ in Tensor(shape: [0, width]) }
        values = keys.map { _ in Tensor(shape: [0, width]) }
    }
}
