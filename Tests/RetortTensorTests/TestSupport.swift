// Helpers shared by the RetortTensor tests: random tensors and approximate comparison.
@testable import RetortTensor

func randomTensor(_ shape: [Int], seed: UInt64, std: Float = 1) -> Tensor {
    var rng = SplitMix64(seed: seed)
    return Tensor.normal(shape: shape, std: std, generator: &rng)
}

/// The largest |a[i] - b[i]|, or infinity when the counts differ.
func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Float { maxAbsDifference(a.toArray(), b.toArray()) }
