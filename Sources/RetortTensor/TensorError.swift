// The typed errors of RetortTensor: every shape, size or state mismatch names the op, the argument
// and what was expected, so a caller learns what to fix without reading kernel code.
import Foundation

public enum TensorError: Error, LocalizedError, Equatable {
    /// An argument's element count or trailing dimension disagrees with the sizes given to an op.
    case shapeMismatch(op: String, argument: String, expected: [Int], actual: [Int])
    /// `reshaped(_:)` was asked for a shape with a different number of elements.
    case invalidReshape(from: [Int], to: [Int])
    /// `rows(_:)` was asked for rows the tensor does not have.
    case rowRangeOutOfBounds(range: Range<Int>, rows: Int)
    /// An index array (token ids, targets, positions, segment ids) has the wrong length.
    case lengthMismatch(op: String, argument: String, expected: Int, actual: Int)
    /// A token id or target lies outside the vocabulary.
    case indexOutOfRange(op: String, argument: String, position: Int, value: Int, limit: Int)
    /// Sizes or hyperparameters that no input can satisfy (e.g. nHeads not a multiple of nKVHeads).
    case invalidConfiguration(op: String, reason: String)
    /// Optimizer state being restored does not fit the parameters it is restored into.
    case optimizerStateMismatch(optimizer: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .shapeMismatch(op, argument, expected, actual):
            return "\(op): argument '\(argument)' has shape \(actual) (\(actual.reduce(1, *)) elements), "
                + "expected \(expected) (\(expected.reduce(1, *)) elements); check the sizes passed to \(op)."
        case let .invalidReshape(from, to):
            return "reshape: cannot view shape \(from) (\(from.reduce(1, *)) elements) as \(to) "
                + "(\(to.reduce(1, *)) elements); the element counts must agree."
        case let .rowRangeOutOfBounds(range, rows):
            return "rows: range \(range.lowerBound)..<\(range.upperBound) is outside the tensor's \(rows) rows."
        case let .lengthMismatch(op, argument, expected, actual):
            return "\(op): '\(argument)' has \(actual) entries, expected \(expected) (one per row)."
        case let .indexOutOfRange(op, argument, position, value, limit):
            return "\(op): '\(argument)'[\(position)] = \(value) is outside 0..<\(limit); "
                + "check the tokenizer's vocabulary size against the model's."
        case let .invalidConfiguration(op, reason):
            return "\(op): \(reason)"
        case let .optimizerStateMismatch(optimizer, reason):
            return "\(optimizer): cannot restore state: \(reason); the checkpoint was saved for other parameters."
        }
    }
}

/// Checks that `tensor` can stand for a row-major array of shape `expected`: the element counts
/// agree, and one shape's last dimension spans whole trailing dimensions of the other. So
/// (B, T, C) passes for (B*T, C), and (N, nHeads*headDim) for (N, nHeads, headDim), but a
/// transposed (C, OC) matrix fails where (OC, C) is expected. With `flat`, only counts must agree.
func expectShape(_ tensor: Tensor, _ expected: [Int], op: String, argument: String, flat: Bool = false) throws {
    let count = expected.reduce(1, *)
    var compatible = tensor.count == count
    if compatible && !flat && count > 0, let last = tensor.shape.last, let expectedLast = expected.last {
        compatible = suffixProducts(expected).contains(last) || suffixProducts(tensor.shape).contains(expectedLast)
    }
    if !compatible {
        throw TensorError.shapeMismatch(op: op, argument: argument, expected: expected, actual: tensor.shape)
    }
}

/// The products of the last 1, 2, ... dimensions of `shape`.
func suffixProducts(_ shape: [Int]) -> [Int] {
    var products: [Int] = []
    var product = 1
    for dimension in shape.reversed() {
        product *= dimension
        products.append(product)
    }
    return products
}

@inline(__always)
func expectLength(_ actual: Int, _ expected: Int, op: String, argument: String) throws {
    if actual != expected {
        throw TensorError.lengthMismatch(op: op, argument: argument, expected: expected, actual: actual)
    }
}
