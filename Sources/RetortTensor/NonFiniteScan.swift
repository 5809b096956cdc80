// Finding NaN or ±Inf in a float buffer without a branch per element: x·0 is 0 for finite x and
// NaN otherwise, so lanes of x·0 sum to 0 exactly when every element is finite.

/// The index of the first NaN or infinite element of x[0..<n], or nil when all are finite.
public func firstNonFinite(_ x: UnsafePointer<Float>, _ n: Int) -> Int? {
    var acc = SIMD16<Float>.zero
    var i = 0
    while i + 16 <= n {
        acc += loadVector(x + i) * 0
        i += 16
    }
    var tail: Float = 0
    while i < n {
        tail += x[i] * 0
        i += 1
    }
    if acc.sum() + tail == 0 { return nil }
    return (0..<n).first { !x[$0].isFinite }
}
