// Tensor: a shape over contiguous row-major float32 storage, with views (row ranges, reshape) that
// share the storage. It carries no autograd; ops read and write tensors through raw pointers.

/// Owns one allocation of floats; tensors and their views keep it alive.
final class TensorStorage: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = UnsafeMutablePointer<Float>.allocate(capacity: max(capacity, 1))
        base.initialize(repeating: 0, count: max(capacity, 1))
    }

    deinit { base.deallocate() }
}

/// A float32 tensor. Reference semantics: a view and its parent see the same numbers.
/// Not synchronized: callers must not write one tensor from several threads except through the
/// ops, which split work so that no two threads write the same element.
public final class Tensor: @unchecked Sendable {
    public let shape: [Int]
    public let count: Int
    let storage: TensorStorage
    let offset: Int

    /// A zero-filled tensor of the given shape.
    public init(shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension")
        self.shape = shape
        count = shape.reduce(1, *)
        storage = TensorStorage(capacity: count)
        offset = 0
    }

    /// A tensor holding `values`, which must have exactly shape.product elements.
    public convenience init(shape: [Int], values: [Float]) throws {
        let count = shape.reduce(1, *)
        guard values.count == count else {
            throw TensorError.shapeMismatch(op: "Tensor.init", argument: "values", expected: shape, actual: [values.count])
        }
        self.init(shape: shape)
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    init(shape: [Int], storage: TensorStorage, offset: Int) {
        self.shape = shape
        count = shape.reduce(1, *)
        self.storage = storage
        self.offset = offset
    }

    /// The first element. Valid while this tensor (or another view of its storage) is alive.
    public var data: UnsafeMutablePointer<Float> { storage.base + offset }

    /// The elements as a buffer, for loops and for handing to C.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: data, count: count) }

    /// The size of the first dimension (1 for a scalar).
    public var rowCount: Int { shape.first ?? 1 }

    /// The number of elements in one row (the product of all but the first dimension).
    public var rowSize: Int { shape.count <= 1 ? 1 : shape.dropFirst().reduce(1, *) }

    public subscript(index: Int) -> Float {
        get { precondition(index >= 0 && index < count, "Tensor index \(index) out of 0..<\(count)"); return data[index] }
        set { precondition(index >= 0 && index < count, "Tensor index \(index) out of 0..<\(count)"); data[index] = newValue }
    }

    /// A view of rows `range` of the first dimension, sharing storage.
    public func rows(_ range: Range<Int>) throws -> Tensor {
        guard range.lowerBound >= 0, range.upperBound <= rowCount, !shape.isEmpty else {
            throw TensorError.rowRangeOutOfBounds(range: range, rows: shape.isEmpty ? 0 : rowCount)
        }
        var newShape = shape
        newShape[0] = range.count
        return Tensor(shape: newShape, storage: storage, offset: offset + range.lowerBound * rowSize)
    }

    /// The same elements seen with another shape, sharing storage (no copy).
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        guard newShape.allSatisfy({ $0 >= 0 }), newShape.reduce(1, *) == count else {
            throw TensorError.invalidReshape(from: shape, to: newShape)
        }
        return Tensor(shape: newShape, storage: storage, offset: offset)
    }

    /// A new tensor with its own storage and the same shape and values.
    public func copy() -> Tensor {
        let result = Tensor(shape: shape)
        result.data.update(from: data, count: count)
        return result
    }

    /// The elements as an array, in row-major order.
    public func toArray() -> [Float] { Array(buffer) }

    /// Overwrites every element with `value` (use `zero()` before accumulating gradients).
    public func fill(_ value: Float) { data.update(repeating: value, count: count) }

    public func zero() { fill(0) }

    /// Copies the elements of `source`, which must have the same element count.
    public func copy(from source: Tensor) throws {
        guard source.count == count else {
            throw TensorError.shapeMismatch(op: "Tensor.copy(from:)", argument: "source", expected: shape, actual: source.shape)
        }
        data.update(from: source.data, count: count)
    }

    /// Replaces the elements with `values`, which must have the same count.
    public func load(_ values: [Float]) throws {
        guard values.count == count else {
            throw TensorError.shapeMismatch(op: "Tensor.load", argument: "values", expected: shape, actual: [values.count])
        }
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }
}

extension Tensor {
    /// A tensor of independent normal samples with mean 0 and standard deviation `std`.
    public static func normal(shape: [Int], std: Float, generator: inout SplitMix64) -> Tensor {
        let tensor = Tensor(shape: shape)
        for i in 0..<tensor.count { tensor.data[i] = std * generator.nextGaussian() }
        return tensor
    }

    /// A tensor of independent uniform samples in `range`.
    public static func uniform(shape: [Int], in range: ClosedRange<Float>, generator: inout SplitMix64) -> Tensor {
        let tensor = Tensor(shape: shape)
        for i in 0..<tensor.count {
            tensor.data[i] = range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUnitFloat()
        }
        return tensor
    }
}
